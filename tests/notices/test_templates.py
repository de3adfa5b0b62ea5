"""Every template Dunwell can send passes the wording check and carries the required
statements (1006.18(e) disclosure; 1006.6(e) opt-out for email and SMS); a template that
fails can never be sent."""

from datetime import date
from decimal import Decimal

import pytest

from compliance.engine import check_wording, required_content_missing
from notices.context import Money, notice_context
from notices.kinds import all_variants, get_kind
from notices.rendering import TemplateRejected, format_date, format_money, render_notice

from .conftest import context_for, make_case

SENT_ON = date(2026, 11, 24)


def jurisdictions_for(kind):
    k = get_kind(kind)
    return list(k.jurisdictions) if k.jurisdictions else ["US", "CN", "GB"]


VARIANTS = [(kind, language, channel, jurisdiction)
            for kind, language, channel in all_variants() for jurisdiction in jurisdictions_for(kind)]


@pytest.mark.django_db
@pytest.mark.parametrize("kind,language,channel,jurisdiction", VARIANTS, ids=["-".join(v) for v in VARIANTS])
def test_every_template_variant_renders_and_passes_the_checks(kind, language, channel, jurisdiction):
    context = context_for(make_case(jurisdiction), kind, SENT_ON)
    notice = render_notice(kind, context, language=language, channel=channel)
    assert notice.plain_text
    assert check_wording(notice.plain_text, language=language, jurisdiction=jurisdiction) == ()
    assert required_content_missing(notice.plain_text, channel=channel, language=language,
                                    first_communication=get_kind(kind).first_communication) == []
    if channel == "email":
        assert notice.subject and "\n" not in notice.subject


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["reminder", "promise_reminder", "broken_promise", "plan_instalment_reminder"])
def test_english_sms_says_it_is_from_a_debt_collector_and_how_to_stop(kind):
    text = render_notice(kind, context_for(make_case("US"), kind, SENT_ON), language="en", channel="sms").text
    assert "this message is from a debt collector" in text  # US.DISCLOSURE 1006.18(e)(2)
    assert "Reply STOP to opt out" in text                  # US.OPT_OUT 1006.6(e)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["reminder", "promise_reminder", "broken_promise", "plan_instalment_reminder"])
def test_chinese_sms_says_it_is_from_a_debt_collector_and_how_to_unsubscribe(kind):
    text = render_notice(kind, context_for(make_case("CN"), kind, SENT_ON), language="zh-Hans", channel="sms").text
    assert "本短信来自债务催收机构" in text
    assert text.rstrip().endswith("回复TD退订")


@pytest.mark.django_db
def test_california_sms_shows_the_licence_number():
    # Cal. Civ. Code 1788.11(f): written and digital communications show the licence number.
    text = render_notice("reminder", context_for(make_case("US-CA"), "reminder", SENT_ON), language="en", channel="sms").text
    assert "CA licence CA-DCA-0000000" in text


@pytest.mark.django_db
def test_email_carries_an_unsubscribe_line():
    notice = render_notice("reminder", context_for(make_case("US"), "reminder", SENT_ON), language="en", channel="email")
    assert "This email is from a debt collector." in notice.text
    assert 'reply with the word "unsubscribe"' in notice.text
    assert "&quot;" not in notice.text and "&#x27;" not in notice.text  # plain text, not HTML-escaped


@pytest.mark.django_db
def test_threatening_template_is_rejected_naming_the_finding(settings, tmp_path):
    # A template edited to threaten, placed ahead of the real ones on the template path.
    folder = tmp_path / "notices" / "en"
    folder.mkdir(parents=True)
    (folder / "reminder.sms.txt").write_text(
        "{{ collector.name }}: this message is from a debt collector. Pay {{ current_amount }} today "
        "or we will send someone round. Reply STOP to opt out."
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    context = context_for(make_case("US"), "reminder", SENT_ON)
    with pytest.raises(TemplateRejected) as rejected:
        render_notice("reminder", context, language="en", channel="sms")
    assert "US.HARASS" in str(rejected.value)
    assert "send someone round" in str(rejected.value)
    assert [f.category for f in rejected.value.findings] == ["violence"]


@pytest.mark.django_db
def test_template_without_opt_out_is_rejected(settings, tmp_path):
    folder = tmp_path / "notices" / "en"
    folder.mkdir(parents=True)
    (folder / "reminder.sms.txt").write_text("This message is from a debt collector. Please call us.")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with pytest.raises(TemplateRejected, match="missing opt_out"):
        render_notice("reminder", context_for(make_case("US"), "reminder", SENT_ON), language="en", channel="sms")


@pytest.mark.django_db
def test_validation_notice_without_creditor_is_incomplete(settings):
    settings.DUNWELL_DEFAULT_CREDITOR = ""
    case = make_case("US")
    case.loan.originator = case.loan.current_creditor = ""
    case.loan.save()
    context = notice_context(case, "us_validation", sent_on=SENT_ON)
    with pytest.raises(TemplateRejected, match="itemization_creditor"):
        render_notice("us_validation", context, language="en", channel="letter")


@pytest.mark.django_db
def test_loan_without_creditor_names_the_installations_lender(settings):
    settings.DUNWELL_DEFAULT_CREDITOR = "Lakeshore Lending Inc."
    case = make_case("US")
    case.loan.originator = case.loan.current_creditor = ""
    case.loan.save()
    context = notice_context(case, "us_validation", sent_on=SENT_ON)
    assert "Lakeshore Lending Inc." in render_notice("us_validation", context, language="en", channel="letter").plain_text


@pytest.mark.django_db
def test_letter_without_a_postal_address_is_not_rendered():
    case = make_case("US")
    case.debtor.contact_points.all().delete()
    with pytest.raises(TemplateRejected, match="mailing_address"):
        render_notice("reminder", notice_context(case, "reminder", sent_on=SENT_ON), language="en", channel="letter")


@pytest.mark.django_db
def test_kind_is_refused_outside_its_jurisdiction():
    with pytest.raises(ValueError, match="not sent in GB"):
        render_notice("us_validation", notice_context(make_case("GB"), "us_validation", sent_on=SENT_ON),
                      language="en", channel="letter")


@pytest.mark.parametrize("amount,currency,expected", [
    ("1234.56", "USD", "$1,234.56"), ("8600", "CNY", "¥8,600.00"), ("1450", "GBP", "£1,450.00"),
])
def test_money_is_written_the_readers_way(amount, currency, expected):
    assert format_money(Money(Decimal(amount), currency), "en") == expected


def test_dates_are_written_the_readers_way():
    day = date(2026, 11, 24)
    assert format_date(day, "en") == "November 24, 2026"
    assert format_date(day, "zh-Hans") == "2026年11月24日"
    assert format_date(day, "en", "GB") == "24 November 2026"


@pytest.mark.django_db
def test_context_reads_the_case_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    case = make_case("US-CA")
    with django_assert_max_num_queries(2):
        context = notice_context(case, "us_validation", sent_on=SENT_ON)
    assert context["debtor"]["address_lines"] == ["400 Ocean Avenue", "Santa Monica, CA 90402"]
    assert context["account"]["number"].startswith("****")
    assert context["collector"]["california_licence"] == "CA-DCA-0000000"
