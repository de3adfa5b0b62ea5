"""United Kingdom: FCA CONC 7."""

from datetime import time, timedelta

from compliance.engine import DEFAULT, ContactRequest, Envelope, OptOut, ThirdParty, Visit
from tests.compliance.factories import LONDON, UK_MOBILE, at, blocked_by, call, decide, gb_facts

NOON = at(LONDON, 2026, 6, 10, 12, 0)


def test_gb_forbearance_review_before_escalation():
    escalate = ContactRequest("letter", NOON, gb_facts(), "home", "Your account is being reviewed.", purpose="escalation")
    assert blocked_by(decide(escalate), "GB.FORBEARANCE")
    reviewed = gb_facts(forbearance_reviewed_at=NOON - timedelta(days=2))
    assert decide(ContactRequest("letter", NOON, reviewed, "home", "Your account is being reviewed.", purpose="escalation")).allowed


def test_gb_pressure_no_demand_to_borrow_to_pay():
    request = ContactRequest("sms", NOON, gb_facts(), UK_MOBILE, "Take out a payday loan and clear this today.")
    assert blocked_by(decide(request), "GB.PRESSURE")


def test_gb_info_arrears_notice_states_arrears_and_balance():
    bare = ContactRequest("letter", NOON, gb_facts(), "home", "Please contact us.", purpose="arrears_notice")
    assert blocked_by(decide(bare), "GB.INFO")
    full = ContactRequest("letter", NOON, gb_facts(), "home", "Arrears: £240. Balance: £1,900.", purpose="arrears_notice")
    assert decide(full).allowed


def test_gb_time_policy_window_default_eight_to_nine_london():
    decision = decide(call(gb_facts(), at(LONDON, 2026, 6, 10, 21, 30)))
    assert blocked_by(decision, "GB.TIME")
    assert "firm policy" in decision.reasons[0].message_en
    assert decision.next_allowed_at == at(LONDON, 2026, 6, 11, 8, 0)


def test_gb_time_window_is_configurable():
    registry = DEFAULT.with_policy(gb_time_window=(time(9), time(20)))
    assert blocked_by(decide(call(gb_facts(), at(LONDON, 2026, 6, 10, 8, 30)), pack_registry=registry), "GB.TIME")


def test_gb_time_honours_a_request_not_to_be_called():
    facts = gb_facts(opt_outs=(OptOut(NOON - timedelta(days=1), channel="call"),))
    assert blocked_by(decide(call(facts, NOON)), "GB.TIME")


def test_gb_third_party_post_is_private_and_confidential():
    request = ContactRequest("letter", NOON, gb_facts(), "home", "Please call us.", envelope=Envelope(marked_private=False))
    assert blocked_by(decide(request), "GB.THIRD_PARTY")


def test_gb_identity_no_occupier_letters():
    request = ContactRequest("letter", NOON, gb_facts(), "home", "Please call us.", addressee="The Occupier")
    assert blocked_by(decide(request), "GB.IDENTITY")


def test_gb_visit_not_when_the_customer_may_be_vulnerable():
    request = ContactRequest("visit", NOON, gb_facts(vulnerable=True), visit=Visit(collectors=1))
    assert blocked_by(decide(request), "GB.VISIT")


def test_gb_misrep_no_false_claim_of_bailiffs():
    request = ContactRequest("sms", NOON, gb_facts(), UK_MOBILE, "Bailiffs will attend your home on Friday.")
    assert blocked_by(decide(request), "GB.MISREP")
    assert decide(ContactRequest("sms", NOON, gb_facts(judgment_exists=True), UK_MOBILE, "Bailiffs will attend your home on Friday.")).allowed
