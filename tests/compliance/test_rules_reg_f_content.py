"""Regulation F — what a message may and must say, and the documents and records around it."""

from datetime import date, timedelta

from compliance.engine import ContactRequest, Envelope, Email, PriorAttempt, required_content_missing
from compliance.packs.us import (
    business_days_after, missing_validation_items, recording_retention_until, retention_until,
    validation_notice_due, validation_period_end, VALIDATION_ITEMS,
)
from tests.compliance.factories import DISCLOSED, NEW_YORK, NY_MOBILE, at, blocked_by, call, decide, us_facts

NOON = at(NEW_YORK, 2026, 3, 10, 12, 0)


def letter(facts, message, **kw):
    return ContactRequest("letter", NOON, facts, "home", message, **kw)


def test_us_harass_obscene_language_is_blocked():
    assert blocked_by(decide(letter(us_facts(), f"{DISCLOSED} Pay up, you deadbeat.")), "US.HARASS")


def test_us_harass_call_without_identifying_the_caller_is_blocked():
    assert blocked_by(decide(call(us_facts(), NOON, caller_identified=False)), "US.HARASS")


def test_us_mislead_threat_of_arrest_is_blocked():
    decision = decide(letter(us_facts(), f"{DISCLOSED} A warrant for your arrest has been issued."))
    assert blocked_by(decision, "US.MISLEAD")
    assert decision.findings[0].text == "warrant for your arrest"


def test_us_mislead_statement_of_suit_is_fine_once_suit_is_authorised():
    message = f"{DISCLOSED} The creditor may file suit if the balance remains unpaid."
    assert blocked_by(decide(letter(us_facts(), message)), "US.MISLEAD")
    assert decide(letter(us_facts(suit_authorized=True), message)).allowed


def test_us_disclosure_first_communication_needs_the_full_statement():
    facts = us_facts(initial_communication_at=None, validation_notice_sent_at=None)
    assert blocked_by(decide(letter(facts, DISCLOSED)), "US.DISCLOSURE")
    full = "We are attempting to collect a debt and any information obtained will be used for that purpose."
    assert decide(letter(facts, full)).allowed


def test_us_disclosure_later_communications_say_they_are_from_a_debt_collector():
    assert blocked_by(decide(letter(us_facts(), "Please call us about your account.")), "US.DISCLOSURE")
    assert decide(letter(us_facts(), f"{DISCLOSED} Please call us about your account.")).allowed


def test_us_disclosure_must_be_in_the_language_of_the_message():
    english_in_chinese_letter = letter(us_facts(), f"请致电我们。{DISCLOSED}", language="zh-Hans")
    assert blocked_by(decide(english_in_chinese_letter), "US.DISCLOSURE")
    assert decide(letter(us_facts(), "本信息来自债务催收机构。请致电我们。", language="zh-Hans")).allowed


def test_us_limited_content_voicemail_may_not_mention_the_debt():
    ok = "Hi, this is Sam Lee from Acme Services. Please call us back at 555-0100."
    assert decide(call(us_facts(), NOON, message=ok, purpose="limited_content")).allowed
    bad = "Hi, this is Sam from Acme about your overdue debt. Call 555-0100."
    assert blocked_by(decide(call(us_facts(), NOON, message=bad, purpose="limited_content")), "US.LIMITED_CONTENT")


def test_us_unfair_no_postcards_and_no_collection_name_on_the_envelope():
    assert blocked_by(decide(letter(us_facts(), DISCLOSED, envelope=Envelope(postcard=True))), "US.UNFAIR")
    revealing = Envelope(sender_name="Acme Debt Collection Agency")
    assert blocked_by(decide(letter(us_facts(), DISCLOSED, envelope=revealing)), "US.UNFAIR")
    assert decide(letter(us_facts(), DISCLOSED, envelope=Envelope(sender_name="Acme Services"))).allowed


def test_us_unfair_no_email_to_a_known_employer_address():
    facts = us_facts(emails=(Email("j@employer.example", workplace=True, creditor_notice_sent_at=NOON - timedelta(days=40),
                                   creditor_notice_opt_out_days=35),))
    request = ContactRequest("email", NOON, facts, "j@employer.example", f"{DISCLOSED} Reply STOP to opt out.")
    assert blocked_by(decide(request), "US.UNFAIR")


def test_us_time_barred_no_threat_of_suit():
    decision = decide(letter(us_facts(suit_authorized=True, time_barred=True), f"{DISCLOSED} We will sue you."))
    assert blocked_by(decision, "US.TIME_BARRED")


def test_us_credit_report_needs_a_notice_and_fourteen_days():
    sent = (PriorAttempt("letter", NOON - timedelta(days=10), "sent", "home"),)
    early = decide(letter(us_facts(prior_attempts=sent), DISCLOSED, purpose="credit_report"))
    assert blocked_by(early, "US.CREDIT_REPORT")
    assert early.next_allowed_at == NOON + timedelta(days=4)
    talked = (PriorAttempt("call", NOON - timedelta(days=1), "conversation", NY_MOBILE),)
    assert decide(letter(us_facts(prior_attempts=talked), DISCLOSED, purpose="credit_report")).allowed


def test_us_validation_timing_notice_within_five_days_of_the_initial_communication():
    facts = us_facts(initial_communication_at=NOON - timedelta(days=6), validation_notice_sent_at=None)
    assert blocked_by(decide(call(facts, NOON)), "US.VALIDATION.TIMING")
    assert validation_notice_due(date(2026, 3, 2)) == date(2026, 3, 7)


def test_us_validation_period_skips_weekends_and_federal_holidays():
    # Sent Thursday 2026-07-02: Fri 3 July (Independence Day observed), Sat and Sun skipped → receipt Fri 10 July.
    assert business_days_after(date(2026, 7, 2), 5) == date(2026, 7, 10)
    assert validation_period_end(date(2026, 7, 2)) == date(2026, 8, 9)
    assert validation_period_end(date(2026, 3, 2)) == date(2026, 4, 8)


def test_us_validation_content_lists_every_missing_item():
    notice = {item: "x" for item in VALIDATION_ITEMS}
    assert missing_validation_items(notice) == []
    del notice["cfpb_website"]
    assert missing_validation_items(notice, electronic=True) == ["cfpb_website", "electronic_dispute_instructions"]


def test_us_retention_three_years_after_last_activity():
    assert retention_until(date(2026, 3, 10)) == date(2029, 3, 10)
    assert recording_retention_until(date(2024, 2, 29)) == date(2027, 2, 28)


def test_required_content_missing_names_the_missing_statements():
    assert required_content_missing("Hello", channel="sms") == ["later_disclosure", "opt_out"]
