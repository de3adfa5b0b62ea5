"""Holds, consents, opt-outs and the channels a consumer may be reached on (Regulation F)."""

from datetime import date, timedelta

from compliance.engine import ConsumerContact, ContactRequest, Email, Hold, OptOut, Phone, PriorAttempt
from tests.compliance.factories import (
    DISCLOSED, NEW_YORK, NY_MOBILE, OPT_OUT, at, blocked_by, call, decide, us_facts,
)

NOON = at(NEW_YORK, 2026, 3, 10, 12, 0)
OPENED = at(NEW_YORK, 2026, 3, 1, 9, 0)
TEXT = f"{DISCLOSED} Please call us back. {OPT_OUT}"


def test_us_attorney_represented_consumer_cannot_be_called():
    facts = us_facts(holds=(Hold("attorney", OPENED),))
    assert blocked_by(decide(call(facts, NOON)), "US.ATTORNEY")


def test_us_attorney_unresponsive_attorney_reopens_contact():
    facts = us_facts(holds=(Hold("attorney", OPENED, attorney_unresponsive=True),))
    assert decide(call(facts, NOON)).allowed


def test_us_attorney_one_reply_to_a_consumer_initiated_call():
    facts = us_facts(holds=(Hold("attorney", OPENED),), consumer_contacts=(ConsumerContact("call", NOON - timedelta(hours=1)),))
    assert decide(call(facts, NOON, purpose="reply")).allowed


def test_us_workplace_not_at_a_work_number_after_the_consumer_said_so():
    facts = us_facts(phones=(Phone("+12125550177", workplace=True),), not_at_work_since=OPENED)
    assert blocked_by(decide(call(facts, NOON)), "US.WORKPLACE")


def test_us_workplace_employer_prohibition_blocks_work_email():
    facts = us_facts(emails=(Email("j@employer.example", workplace=True, consumer_used=True),), employer_prohibits_contact=True)
    request = ContactRequest("email", NOON, facts, "j@employer.example", TEXT)
    assert blocked_by(decide(request), "US.WORKPLACE")


def test_us_cease_only_the_three_permitted_messages_after_a_cease_request():
    facts = us_facts(holds=(Hold("cease", OPENED),))
    assert blocked_by(decide(call(facts, NOON)), "US.CEASE")
    letter = ContactRequest("letter", NOON, facts, "home", DISCLOSED, purpose="cease_efforts_ending")
    assert decide(letter).allowed


def test_us_dispute_within_validation_period_pauses_collection_until_verification():
    facts = us_facts(holds=(Hold("dispute", OPENED),), validation_period_end=date(2026, 3, 20))
    assert blocked_by(decide(call(facts, NOON)), "US.DISPUTE")
    verification = ContactRequest("letter", NOON, facts, "home", DISCLOSED, purpose="verification")
    assert decide(verification).allowed


def test_us_dispute_after_validation_period_only_warns():
    facts = us_facts(holds=(Hold("dispute", OPENED),), validation_period_end=date(2026, 2, 20))
    decision = decide(call(facts, NOON))
    assert decision.allowed and "US.DISPUTE" in [w.rule_id for w in decision.warnings]


def test_us_medium_opt_out_blocks_that_medium_across_all_debts():
    facts = us_facts(opt_outs=(OptOut(OPENED, channel="sms"),))
    assert blocked_by(decide(ContactRequest("sms", NOON, facts, NY_MOBILE, TEXT)), "US.MEDIUM")
    assert decide(call(facts, NOON)).allowed


def test_us_medium_one_confirmation_of_an_electronic_opt_out_is_allowed():
    facts = us_facts(opt_outs=(OptOut(OPENED, channel="sms"),))
    confirm = ContactRequest("sms", NOON, facts, NY_MOBILE, TEXT, purpose="opt_out_confirmation")
    assert decide(confirm).allowed
    sent = (PriorAttempt("sms", NOON, "sent", NY_MOBILE, purpose="opt_out_confirmation"),)
    again = ContactRequest("sms", NOON + timedelta(hours=1), us_facts(opt_outs=facts.opt_outs, prior_attempts=sent),
                           NY_MOBILE, TEXT, purpose="opt_out_confirmation")
    assert blocked_by(decide(again), "US.MEDIUM")


def test_us_email_safe_address_the_consumer_never_used_is_blocked():
    facts = us_facts(emails=(Email("j@example.com"),))
    assert blocked_by(decide(ContactRequest("email", NOON, facts, "j@example.com", TEXT)), "US.EMAIL.SAFE")


def test_us_email_safe_creditor_notice_after_a_35_day_opt_out_window():
    email = Email("j@example.com", creditor_notice_sent_at=NOON - timedelta(days=36), creditor_notice_opt_out_days=35)
    assert decide(ContactRequest("email", NOON, us_facts(emails=(email,)), "j@example.com", TEXT)).allowed


def test_us_email_safe_text_consent_older_than_60_days_needs_a_reassigned_number_check():
    stale = Phone(NY_MOBILE, line="mobile", text_consent_at=NOON - timedelta(days=61))
    assert blocked_by(decide(ContactRequest("sms", NOON, us_facts(phones=(stale,)), NY_MOBILE, TEXT)), "US.EMAIL.SAFE")
    checked = Phone(NY_MOBILE, line="mobile", text_consent_at=NOON - timedelta(days=61), reassigned_check_at=NOON - timedelta(days=1))
    assert decide(ContactRequest("sms", NOON, us_facts(phones=(checked,)), NY_MOBILE, TEXT)).allowed


def test_us_opt_out_text_without_reply_stop_is_blocked():
    request = ContactRequest("sms", NOON, us_facts(), NY_MOBILE, f"{DISCLOSED} Please call us back.")
    assert blocked_by(decide(request), "US.OPT_OUT")


def test_us_opt_out_chinese_text_with_tuiding_passes():
    message = "本信息来自债务催收机构。请回电。回复TD退订。"
    assert decide(ContactRequest("sms", NOON, us_facts(), NY_MOBILE, message, language="zh-Hans")).allowed


def test_policy_bankruptcy_hold_blocks_collection_contact():
    decision = decide(call(us_facts(holds=(Hold("bankruptcy", OPENED),)), NOON))
    assert blocked_by(decision, "POLICY.HOLD.BANKRUPTCY")
    assert [r.policy for r in decision.reasons] == [True]
    assert decision.next_allowed_at is None


def test_policy_first_party_reg_f_is_on_by_default_and_can_be_switched_off():
    from compliance.engine import DEFAULT

    facts = us_facts(collector_type="first_party")
    early = call(facts, at(NEW_YORK, 2026, 3, 10, 7, 30))
    decision = decide(early)
    assert blocked_by(decision, "US.TIME") and decision.reasons[0].policy
    assert decide(early, pack_registry=DEFAULT.with_policy(us_first_party_reg_f=False)).allowed
