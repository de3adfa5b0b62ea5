"""Pack versions: a contact is judged under the rules in force at its moment, and replayable."""

from datetime import datetime, timedelta

import pytest

from compliance.engine import DEFAULT, PriorAttempt, evaluate, replay
from tests.compliance.factories import CN_MOBILE, SHANGHAI, at, call, cn_facts

RULES_MD_IDS = {
    "US.TIME", "US.TIME.AMBIGUOUS", "US.TIME.SENT", "US.TIME.REPLY", "US.ATTORNEY", "US.WORKPLACE", "US.CEASE",
    "US.THIRD_PARTY", "US.LOCATION", "US.EMAIL.SAFE", "US.OPT_OUT", "US.MEDIUM", "US.CALLS.7IN7", "US.CALLS.COUNTED",
    "US.CALLS.EXCLUDED", "US.CALLS.BURST", "US.HARASS", "US.MISLEAD", "US.DISCLOSURE", "US.LIMITED_CONTENT", "US.UNFAIR",
    "US.TIME_BARRED", "US.CREDIT_REPORT", "US.VALIDATION.TIMING", "US.VALIDATION.PERIOD", "US.VALIDATION.CONTENT",
    "US.DISPUTE", "US.RETENTION", "US-MA.CREDITOR.CALLS", "US-MA.HOUSEHOLD", "US-MA.COLLECTOR", "US-MA.VISITS",
    "US-CA.ROSENTHAL", "US-CA.NOTICE", "US-WA", "GB.FORBEARANCE", "GB.PRESSURE", "GB.INFO", "GB.TIME", "GB.THIRD_PARTY",
    "GB.IDENTITY", "GB.VISIT", "GB.MISREP", "CN.TIME", "CN.CALLS.CONNECTED", "CN.CALLS.ATTEMPTS", "CN.THIRD_PARTY",
    "CN.VISIT", "CN.PROHIBITED", "CN.RECORDING", "CN.NOTICE", "CN.OUTSOURCE", "CN.NIFA2018",
}
SEVEN_UNANSWERED = tuple(PriorAttempt("call", at(SHANGHAI, 2026, 1, 20, 9) + timedelta(minutes=15 * i), "no_answer", CN_MOBILE)
                         for i in range(6))


def test_every_rules_md_row_is_a_rule_in_the_current_packs():
    encoded = {rule.id for pack in DEFAULT.packs.values() for rule in pack.versions[-1].rules}
    assert RULES_MD_IDS <= encoded


def test_every_rule_carries_a_citation_and_a_status():
    for pack in DEFAULT.packs.values():
        for version in pack.versions:
            for rule in version.rules:
                assert rule.citation and rule.status in ("V", "S", "U"), rule.id


def test_cn_attempt_cap_did_not_exist_before_the_cba_guideline():
    before = evaluate(call(cn_facts(prior_attempts=SEVEN_UNANSWERED), at(SHANGHAI, 2026, 1, 20, 12)))
    assert before.allowed and before.pack_versions["CN"] == "2025-02-28"


def test_cn_attempt_cap_applies_from_the_cba_guideline():
    history = tuple(PriorAttempt("call", a.moment + timedelta(days=20), a.outcome, a.destination) for a in SEVEN_UNANSWERED)
    after = evaluate(call(cn_facts(prior_attempts=history), at(SHANGHAI, 2026, 2, 9, 12)))
    assert not after.allowed and after.pack_versions["CN"] == "2026-01-30"


def test_a_stored_decision_replays_under_the_version_it_names():
    request = call(cn_facts(prior_attempts=SEVEN_UNANSWERED), at(SHANGHAI, 2026, 1, 20, 12))
    stored = evaluate(request).to_dict()
    assert replay(request, stored).to_dict() == stored
    newer = evaluate(request, versions={"CN": "2026-01-30"})
    assert "CN.CALLS.ATTEMPTS" in newer.rule_ids


def test_no_pack_in_force_before_its_first_version():
    with pytest.raises(LookupError):
        evaluate(call(cn_facts(), at(SHANGHAI, 2024, 1, 1, 12)))


def test_decision_serialises_to_a_plain_dict():
    import json

    decision = evaluate(call(cn_facts(), at(SHANGHAI, 2026, 3, 10, 23)))
    data = decision.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert datetime.fromisoformat(data["next_allowed_at"]) == at(SHANGHAI, 2026, 3, 11, 8)
