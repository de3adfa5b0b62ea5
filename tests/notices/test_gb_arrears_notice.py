"""GB.INFO (CONC 7.4.1R): arrears and balance; CONC 7.3.10R: no pressure; CONC 7.9.7R."""

from datetime import date
from decimal import Decimal

import pytest

from collections_app.models import Instalment, PaymentPlan
from notices.context import notice_context
from notices.rendering import render_notice

from .conftest import flat, make_case


def test_gb_arrears_notice_states_arrears_and_balance(rendered_letter):
    _, _, _, text = rendered_letter("GB", "gb_arrears_notice")
    shown = flat(text)
    assert "Arrears (the amount overdue) £1,450.00" in shown
    assert "Total balance of the account £1,450.00" in shown
    assert "24 November 2026" in shown  # British date order


def test_gb_arrears_notice_points_to_free_debt_advice_and_the_fca(rendered_letter):
    _, _, _, text = rendered_letter("GB", "gb_arrears_notice")
    shown = flat(text)
    assert "www.moneyhelper.org.uk" in shown
    assert "Financial Conduct Authority (FRN 000000)" in shown
    assert "You do not need to pay the balance in one sum." in shown


@pytest.mark.django_db
def test_gb_arrears_under_a_plan_are_the_overdue_instalments_only():
    case = make_case("GB")
    plan = PaymentPlan.objects.create(case=case, currency="GBP")
    Instalment.objects.create(plan=plan, due_date=date(2026, 10, 1), amount=Decimal("100.00"), paid_amount=Decimal("100.00"))
    Instalment.objects.create(plan=plan, due_date=date(2026, 11, 1), amount=Decimal("100.00"), paid_amount=Decimal("40.00"))
    Instalment.objects.create(plan=plan, due_date=date(2026, 12, 1), amount=Decimal("100.00"))
    context = notice_context(case, "gb_arrears_notice", sent_on=date(2026, 11, 24))
    notice = render_notice("gb_arrears_notice", context, language="en", channel="letter")
    assert "Arrears (the amount overdue) £60.00" in notice.plain_text
    assert "Total balance of the account £1,450.00" in notice.plain_text


@pytest.mark.django_db
def test_gb_letter_window_is_marked_private_and_confidential():
    case = make_case("GB")
    notice = render_notice("gb_arrears_notice", notice_context(case, "gb_arrears_notice", sent_on=date(2026, 11, 24)),
                           language="en", channel="letter")
    from notices.print_batch import window_text

    assert window_text(notice.html)["recipient"].startswith("Private and confidential Oliver Smith")
