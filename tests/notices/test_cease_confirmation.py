"""US.CEASE (12 CFR 1006.6(c)(2)): after a cease request, only that efforts are ending, that
a named remedy may be invoked, or that a named remedy will be."""

from datetime import date

import pytest

from notices.context import notice_context
from notices.rendering import TemplateRejected, render_notice

from .conftest import make_case

SENT_ON = date(2026, 11, 24)
# Nothing that asks for money or states what is owed.
NOT_PERMITTED = ("$", "pay", "balance", "amount", "owe", "instalment", "arrangement", "还款", "余额", "金额")


def cease_letter(case, language, message, remedy=None, **facts):
    context = notice_context(case, "cease_confirmation", sent_on=SENT_ON, cease_message=message, remedy=remedy,
                             wording_facts=facts or None)
    return render_notice("cease_confirmation", context, language=language, channel="letter")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-Hans"])
@pytest.mark.parametrize("message,remedy", [
    ("efforts_ending", None), ("remedy_may_invoke", "credit_reporting"), ("remedy_intended", "return_to_creditor"),
])
def test_cease_confirmation_says_only_a_permitted_message(language, message, remedy):
    notice = cease_letter(make_case("US"), language, message, remedy)
    body = notice.plain_text.lower()
    assert [word for word in NOT_PERMITTED if word in body] == []


@pytest.mark.django_db
def test_cease_confirmation_efforts_ending_says_so():
    notice = cease_letter(make_case("US"), "en", "efforts_ending")
    assert "We are ending our efforts to collect this account from you." in notice.plain_text
    assert "This communication is from a debt collector." in notice.plain_text


@pytest.mark.django_db
def test_cease_confirmation_names_the_remedy():
    notice = cease_letter(make_case("US"), "en", "remedy_intended", "credit_reporting")
    assert "intend to report the account to the nationwide consumer reporting agencies" in notice.plain_text


@pytest.mark.django_db
def test_cease_confirmation_naming_a_lawsuit_needs_suit_authorised():
    case = make_case("US")
    with pytest.raises(TemplateRejected, match="US.MISLEAD"):
        cease_letter(case, "en", "remedy_intended", "lawsuit")
    notice = cease_letter(case, "en", "remedy_intended", "lawsuit", suit_authorized=True)
    assert "intend to file a lawsuit" in notice.plain_text


@pytest.mark.django_db
def test_cease_confirmation_refuses_any_other_message():
    with pytest.raises(ValueError, match="1006.6"):
        notice_context(make_case("US"), "cease_confirmation", sent_on=SENT_ON, cease_message="payment_request")
