"""A collector's day in Debian's Chromium: refused a call at 21:30 local time, a threatening
SMS highlighted and blocked, rewritten and sent, a promise recorded; in English and Chinese."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from collections_app.models import ContactAttempt, PromiseToPay
from notices.models import Notice

from ..factories import UserFactory
from .conftest import make_case, new_york

PASSWORD = "correct horse battery staple"

TEXTS = {
    "en": {"refused": "Contact refused by the compliance gate", "sent": "queued in the outbox",
           "promised": "Promise to pay recorded", "login": "Sign in"},
    "zh-hans": {"refused": "合规网关拒绝了此次联系", "sent": "已进入发件箱", "promised": "已记录还款承诺",
                "login": "登录"},
}


def sign_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_collector_works_the_top_case(language, live_server, page, screenshot):
    texts = TEXTS[language]
    collector = UserFactory(role="collector")
    collector.save()
    top = make_case(collector=collector, balance="25000.00")
    make_case(collector=collector, balance="300.00")
    page.set_default_timeout(15_000)

    night, afternoon = new_york(21, 30), new_york(14, 0)  # the same day, before the clock moves
    with time_machine.travel(night) as clock:
        page.goto(f"{live_server.url}/accounts/login/")
        if language != "en":
            page.select_option("#language", language)
            page.get_by_role("button", name="Switch").click()
            expect(page.locator("html")).to_have_attribute("lang", language)
        page.fill("#id_username", collector.username)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("table.queue")).to_be_visible()
        screenshot(f"{language}-1-queue")

        # The top case is the largest expected recovery.
        page.locator("table.queue tbody tr").first.locator("a").click()
        expect(page.locator("h1")).to_contain_text(top.loan.loan_ref)

        # 21:30 in New York: the call is refused, with the rule and its citation.
        page.select_option("#id_contact-channel", "call")
        page.select_option("#id_contact-outcome", "no_answer")
        page.locator("#log-h + form button[type=submit]").click()
        result = page.get_by_test_id("contact-result")
        expect(result).to_contain_text(texts["refused"])
        expect(result).to_contain_text("US.TIME")
        expect(result).to_contain_text("12 CFR 1006.6(b)(1)(i)")
        screenshot(f"{language}-2-call-refused")
        assert ContactAttempt.objects.filter(case=top, allowed=False, channel="call").exists()

        # The afternoon: a threat is highlighted as it is typed, and sending stays disabled.
        clock.move_to(afternoon)
        page.goto(f"{live_server.url}/cases/{top.pk}/")
        message = page.locator("#id_compose-message")
        message.press_sequentially("Pay now or we will sue you.", delay=10)
        expect(page.locator("#composer-check mark.finding").first).to_contain_text("we will sue")
        expect(page.locator("#composer-check")).to_contain_text("1006.18")
        expect(page.locator("#composer-send")).to_be_disabled()
        screenshot(f"{language}-3-threat-blocked")

        # Rewritten: the disclosures are added and the gate lets it through.
        message.fill("")
        message.press_sequentially("Please call us about your account.", delay=10)
        expect(page.locator("#composer-check")).to_contain_text("Reply STOP to opt out.")
        expect(page.locator("#composer-send")).to_be_enabled()
        page.locator("#composer-send").click()
        expect(page.locator(".messages")).to_contain_text(texts["sent"])
        screenshot(f"{language}-4-sent")
        assert Notice.objects.filter(case=top, kind="composed", channel="sms", status="planned").exists()

        # A promise to pay.
        page.fill("#id_promise-amount", "500.00")
        page.fill("#id_promise-due_date", (date.today() + timedelta(days=7)).isoformat())
        page.locator("#promise-h + form button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text(texts["promised"])
        screenshot(f"{language}-5-promise")
        assert PromiseToPay.objects.filter(case=top, amount="500.00").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_composer_checks_text_that_arrives_without_key_presses(live_server, page, screenshot):
    """Chinese typed through an input method, or a pasted message, fires `input` events but
    no key presses: the wording check must still run before anything can be sent."""
    collector = UserFactory(role="collector")
    collector.save()
    case = make_case(collector=collector, jurisdiction="CN", phone="+8613800138000")
    page.set_default_timeout(15_000)
    with time_machine.travel(datetime(2030, 3, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        sign_in(page, live_server, collector)
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        page.locator("#id_compose-message").focus()
        page.keyboard.insert_text("再不还钱我们就派人上门。")  # an input method commits text: no keydown/keyup
        expect(page.locator("#composer-check mark.finding").first).to_contain_text("派人上门")
        expect(page.locator("#composer-check")).to_contain_text("CN.PROHIBITED")
        expect(page.locator("#composer-send")).to_be_disabled()
        screenshot("zh-composer-input-method")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_collector_reads_times_in_the_zone_they_pick(live_server, page, screenshot):
    """A collector in Chicago picks their zone in the header: the next lawful moment and the
    callback field speak Chicago time, and the debtor's clock shows in each of their zones."""
    collector = UserFactory(role="collector")
    collector.save()
    case = make_case(collector=collector)
    page.set_default_timeout(15_000)
    with time_machine.travel(new_york(21, 30)):
        sign_in(page, live_server, collector)
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        expect(page.get_by_test_id("local-times")).to_contain_text("21:30 America/New_York")
        page.fill("#time-zone", "America/Chicago")
        page.get_by_role("button", name="Set zone").click()
        expect(page.locator("main")).to_contain_text("Times are in America/Chicago.")
        expect(page.locator("#id_contact-callback_at_help")).to_contain_text("America/Chicago")
        # The call is refused at 21:30 New York time; the next lawful moment is 08:00 the
        # next morning in New York, written as 07:00 CST.
        page.select_option("#id_contact-channel", "call")
        page.select_option("#id_contact-outcome", "no_answer")
        page.locator("#log-h + form button[type=submit]").click()
        expect(page.get_by_test_id("contact-result")).to_contain_text("CST")
        screenshot("en-time-zone-chicago")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_collector_asks_a_neighbour_once_where_the_debtor_is(live_server, page, screenshot):
    """A location call to a neighbour is allowed once (12 CFR 1006.10); the second is refused
    with the rule, and the timeline says who was called and why."""
    collector = UserFactory(role="collector")
    collector.save()
    case = make_case(collector=collector)
    page.set_default_timeout(15_000)
    with time_machine.travel(new_york(14, 0)):
        sign_in(page, live_server, collector)
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        for expected in ("Contact recorded", "Contact refused by the compliance gate"):
            page.select_option("#id_third-relationship", "neighbour")
            page.select_option("#id_third-purpose", "location")
            page.fill("#id_third-destination", "Mrs Lee, flat 2")
            page.select_option("#id_third-outcome", "conversation")
            page.locator("#third-h + form button[type=submit]").click()
            expect(page.get_by_test_id("contact-result")).to_contain_text(expected)
        expect(page.get_by_test_id("contact-result")).to_contain_text("US.LOCATION")
        expect(page.locator("main")).to_contain_text("Third-party contact (Neighbour: Ask where to reach the debtor)")
        screenshot("en-third-party-location-once")
    assert [a.allowed for a in ContactAttempt.objects.filter(case=case).order_by("id")] == [True, False]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_collector_records_what_the_debtor_asked_and_the_gate_reads_it(live_server, page, screenshot):
    """The debtor says "stop texting me" and "don't call me at lunchtime": recorded on the case
    page, the text and call badges turn to refusals with their rules."""
    collector = UserFactory(role="collector")
    collector.save()
    case = make_case(collector=collector)
    page.set_default_timeout(15_000)
    with time_machine.travel(new_york(12, 30)):
        sign_in(page, live_server, collector)
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        expect(page.get_by_test_id("channel-sms")).to_contain_text("now")
        page.get_by_text("Record an opt-out or a consent").click()
        page.select_option("#id_pref-kind", "opt_out")
        page.select_option("#id_pref-channel", "sms")
        page.fill("#id_pref-evidence", "Said on the call: stop texting me")
        page.locator("#requests-h ~ details form[action$='preferences'] button[type=submit]").click()
        expect(page.get_by_test_id("preferences")).to_contain_text("Opt-out")
        expect(page.get_by_test_id("channel-sms")).to_contain_text("US.MEDIUM")
        page.get_by_text("When and where to reach them").click()
        page.fill("#id_circ-inconvenient_times", "12:00-13:30")
        page.locator("#requests-h ~ details form[action$='circumstances'] button[type=submit]").click()
        expect(page.get_by_test_id("channel-call")).to_contain_text("US.TIME")
        screenshot("en-debtor-requests")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_call_from_the_debtor_starts_seven_quiet_days(live_server, page, screenshot):
    """The debtor calls in and talks: recorded on the case page, the call badge then refuses
    further calls for seven days (1006.14(b)(2)(i)(B): whoever placed the call)."""
    collector = UserFactory(role="collector")
    collector.save()
    case = make_case(collector=collector)
    page.set_default_timeout(15_000)
    with time_machine.travel(new_york(11, 0)):
        sign_in(page, live_server, collector)
        page.goto(f"{live_server.url}/cases/{case.pk}/")
        expect(page.get_by_test_id("channel-call")).to_contain_text("now")
        page.select_option("#id_inbound-channel", "call")
        page.select_option("#id_inbound-outcome", "conversation")
        page.locator("#inbound-h + form button[type=submit]").click()
        expect(page.get_by_test_id("channel-call")).to_contain_text("US.CALLS.7IN7")
        expect(page.locator("main")).to_contain_text("Call from the debtor · Conversation")
        screenshot("en-inbound-call")
