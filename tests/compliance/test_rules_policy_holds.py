"""Firm policy: a dispute or cease hold pauses contact where the jurisdiction's own rules say
nothing of it (CN, GB), from policy version 2026-11-25 on; earlier decisions replay as made."""

from datetime import timedelta

from compliance.engine import Hold, replay
from tests.compliance.factories import (
    LONDON, NEW_YORK, SHANGHAI, at, blocked_by, call, cn_facts, decide, gb_facts, us_facts,
)

AFTER = at(SHANGHAI, 2026, 12, 1, 10, 0)
BEFORE = at(SHANGHAI, 2026, 6, 1, 10, 0)


def test_policy_hold_dispute_pauses_calls_to_a_chinese_debtor():
    facts = cn_facts(holds=(Hold("dispute", AFTER - timedelta(days=2)),))
    decision = decide(call(facts, AFTER))
    assert blocked_by(decision, "POLICY.HOLD.DISPUTE")
    (reason,) = [r for r in decision.reasons if r.rule_id == "POLICY.HOLD.DISPUTE"]
    assert reason.policy and reason.citation == "Firm policy (hold register)"


def test_policy_hold_dispute_lets_the_answer_to_the_dispute_through():
    facts = cn_facts(holds=(Hold("dispute", AFTER - timedelta(days=2)),))
    assert not blocked_by(decide(call(facts, AFTER, purpose="verification")), "POLICY.HOLD.DISPUTE")


def test_policy_hold_dispute_ends_when_the_hold_is_closed():
    facts = cn_facts(holds=(Hold("dispute", AFTER - timedelta(days=5), closed_at=AFTER - timedelta(days=1)),))
    assert decide(call(facts, AFTER)).allowed


def test_policy_hold_cease_stops_calls_to_a_uk_customer():
    moment = at(LONDON, 2026, 12, 1, 11, 0)
    facts = gb_facts(holds=(Hold("cease", moment - timedelta(days=1)),))
    assert blocked_by(decide(call(facts, moment)), "POLICY.HOLD.CEASE")


def test_policy_holds_leave_us_disputes_and_ceases_to_regulation_f():
    moment = at(NEW_YORK, 2026, 12, 1, 12, 0)
    for kind, own in (("dispute", "US.DISPUTE"), ("cease", "US.CEASE")):
        decision = decide(call(us_facts(holds=(Hold(kind, moment - timedelta(days=1)),)), moment))
        assert own in decision.rule_ids and not any(r.startswith("POLICY.HOLD") for r in decision.rule_ids)


def test_policy_hold_dispute_did_not_exist_before_its_version():
    facts = cn_facts(holds=(Hold("dispute", BEFORE - timedelta(days=2)),))
    earlier = decide(call(facts, BEFORE))
    assert earlier.allowed and earlier.pack_versions["POLICY"] == "2026-01-01"
    assert replay(call(facts, BEFORE), earlier).allowed
