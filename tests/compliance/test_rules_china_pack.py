"""China: GB/T 45251-2025 and the CBA collection guideline (2026)."""

from datetime import date, timedelta

from compliance.engine import DEFAULT, Consent, ContactRequest, PriorAttempt, Visit, check_wording
from compliance.packs.cn import missing_notice_items, retention_until, NOTICE_ITEMS
from tests.compliance.factories import CN_MOBILE, SHANGHAI, at, blocked_by, call, cn_facts, decide

MORNING = at(SHANGHAI, 2026, 3, 10, 9, 0)


def test_cn_time_no_collection_after_ten_pm_beijing_time():
    decision = decide(call(cn_facts(), at(SHANGHAI, 2026, 3, 10, 22, 0)))
    assert blocked_by(decision, "CN.TIME")
    assert decision.next_allowed_at == at(SHANGHAI, 2026, 3, 11, 8, 0)


def test_cn_time_allowed_at_nine_thirty_pm_and_when_the_debtor_agreed():
    assert decide(call(cn_facts(), at(SHANGHAI, 2026, 3, 10, 21, 30))).allowed
    agreed = cn_facts(consents=(Consent("time", MORNING - timedelta(days=1)),))
    assert decide(call(agreed, at(SHANGHAI, 2026, 3, 10, 23, 0))).allowed


def test_cn_calls_connected_fourth_connected_call_in_a_day_is_blocked():
    history = tuple(PriorAttempt("call", MORNING + timedelta(hours=i), "conversation", CN_MOBILE, same_debt=False) for i in range(3))
    decision = decide(call(cn_facts(prior_attempts=history), MORNING + timedelta(hours=5)))
    assert blocked_by(decision, "CN.CALLS.CONNECTED")
    assert decision.next_allowed_at == at(SHANGHAI, 2026, 3, 11, 8, 0)


def test_cn_calls_attempts_seventh_attempt_to_the_same_number_is_blocked():
    history = tuple(PriorAttempt("call", MORNING + timedelta(minutes=20 * i), "no_answer", CN_MOBILE) for i in range(6))
    assert blocked_by(decide(call(cn_facts(prior_attempts=history), MORNING + timedelta(hours=4))), "CN.CALLS.ATTEMPTS")


def test_cn_visit_needs_two_collectors():
    alone = ContactRequest("visit", MORNING, cn_facts(), visit=Visit(collectors=1))
    assert blocked_by(decide(alone), "CN.VISIT")
    assert decide(ContactRequest("visit", MORNING, cn_facts(), visit=Visit(collectors=2))).allowed


def test_cn_prohibited_intimidation_and_impersonation_are_blocked():
    request = ContactRequest("sms", MORNING, cn_facts(), CN_MOBILE, "经侦已立案，再不还款后果自负。", language="zh-Hans")
    decision = decide(request)
    assert blocked_by(decision, "CN.PROHIBITED")
    assert {f.category for f in decision.findings} >= {"false_authority", "violence"}


def test_cn_prohibited_benign_mention_of_the_court_is_allowed():
    assert check_wording("如您对账单有异议，可依法向人民法院提起诉讼维护权益。", language="zh-Hans", jurisdiction="CN") == ()


def test_cn_recording_keep_records_two_years():
    assert retention_until(date(2026, 3, 10)) == date(2028, 3, 10)
    layer = DEFAULT.packs["CN"].in_force(MORNING)
    assert layer.rule("CN.RECORDING").params["years"] == 2
    assert not DEFAULT.is_enabled(layer.rule("CN.RECORDING.5Y"))  # five years is unverified (U)


def test_cn_notice_collection_letter_items():
    letter = {item: "x" for item in NOTICE_ITEMS}
    assert missing_notice_items(letter) == []
    del letter["seal"]
    assert missing_notice_items(letter) == ["seal"]


def test_cn_outsource_agency_may_not_collect_before_the_debtor_is_told():
    agency = cn_facts(collector_type="third_party")
    assert blocked_by(decide(call(agency, MORNING)), "CN.OUTSOURCE")
    told = cn_facts(collector_type="third_party", outsourcing_notified_at=MORNING - timedelta(days=3))
    assert decide(call(told, MORNING)).allowed


def test_cn_nifa2018_is_unverified_and_encodes_nothing():
    rule = DEFAULT.packs["CN"].in_force(MORNING).rule("CN.NIFA2018")
    assert rule.status == "U" and rule.check is None and not DEFAULT.is_enabled(rule)
