"""Regulation F — call frequency (12 CFR 1006.14(b))."""

from datetime import timedelta

from compliance.engine import Consent, ConsumerContact, PriorAttempt
from tests.compliance.factories import NEW_YORK, NY_MOBILE, at, blocked_by, call, calls, decide, us_facts

MONDAY = at(NEW_YORK, 2026, 3, 9, 9, 0)


def test_us_calls_7in7_eighth_call_in_seven_days_is_blocked():
    facts = us_facts(prior_attempts=calls(MONDAY, 7, every=timedelta(hours=20)))
    decision = decide(call(facts, MONDAY + timedelta(days=6, hours=1)))
    assert blocked_by(decision, "US.CALLS.7IN7")


def test_us_calls_7in7_seventh_call_in_seven_days_is_allowed():
    facts = us_facts(prior_attempts=calls(MONDAY, 6, every=timedelta(hours=20)))
    assert decide(call(facts, MONDAY + timedelta(days=6, hours=1))).allowed


def test_us_calls_7in7_block_lifts_when_the_first_call_leaves_the_seven_days():
    facts = us_facts(prior_attempts=calls(MONDAY, 7, every=timedelta(minutes=30)))  # all on Monday the 9th
    decision = decide(call(facts, MONDAY + timedelta(days=2)))
    assert decision.next_allowed_at == at(NEW_YORK, 2026, 3, 16, 8, 0)  # day 8, first convenient moment


def test_us_calls_7in7_no_call_within_seven_days_after_a_conversation():
    facts = us_facts(prior_attempts=(PriorAttempt("call", MONDAY, "conversation", NY_MOBILE),))
    decision = decide(call(facts, MONDAY + timedelta(days=6, hours=3)))  # Sunday the 15th = day 7
    assert blocked_by(decision, "US.CALLS.7IN7")
    assert decision.next_allowed_at == at(NEW_YORK, 2026, 3, 16, 8, 0)


def test_us_calls_7in7_a_conversation_on_a_call_the_consumer_placed_counts_too():
    # 1006.14(b)(2)(i)(B), CFPB FAQ: "regardless of which party initiated the telephone call".
    facts = us_facts(consumer_contacts=(ConsumerContact("call", MONDAY, "conversation"),))
    decision = decide(call(facts, MONDAY + timedelta(days=3)))
    assert blocked_by(decision, "US.CALLS.7IN7")
    assert decision.next_allowed_at == at(NEW_YORK, 2026, 3, 16, 8, 0)


def test_us_calls_7in7_an_inbound_call_is_not_a_call_placed_and_other_debts_do_not_count():
    # Seven calls the consumer placed are not seven calls placed by the collector, and a
    # conversation about another debt does not start this debt's seven quiet days.
    unanswered = tuple(ConsumerContact("call", MONDAY + timedelta(hours=i), "no_answer") for i in range(8))
    other_debt = (ConsumerContact("call", MONDAY, "conversation", same_debt=False),)
    for contacts in (unanswered, other_debt):
        assert decide(call(us_facts(consumer_contacts=contacts), MONDAY + timedelta(days=1))).allowed


def test_us_calls_counted_voicemail_and_unanswered_calls_count():
    history = calls(MONDAY, 4, "voicemail") + calls(MONDAY + timedelta(hours=5), 3, "no_answer")
    assert blocked_by(decide(call(us_facts(prior_attempts=history), MONDAY + timedelta(days=1))), "US.CALLS.7IN7")


def test_us_calls_counted_texts_and_emails_do_not_count():
    texts = tuple(PriorAttempt("sms", MONDAY + timedelta(hours=i), "delivered", NY_MOBILE) for i in range(9))
    assert decide(call(us_facts(prior_attempts=texts), MONDAY + timedelta(days=1))).allowed


def test_us_calls_excluded_busy_and_not_in_service_do_not_count():
    history = calls(MONDAY, 4, "busy") + calls(MONDAY + timedelta(hours=5), 4, "not_in_service")
    assert decide(call(us_facts(prior_attempts=history), MONDAY + timedelta(days=1))).allowed


def test_us_calls_excluded_calls_made_with_direct_prior_consent_do_not_count():
    history = calls(MONDAY, 7, consent=True)
    assert decide(call(us_facts(prior_attempts=history), MONDAY + timedelta(days=1))).allowed


def test_us_calls_excluded_consent_within_seven_days_lets_the_consumer_be_called_back():
    facts = us_facts(prior_attempts=(PriorAttempt("call", MONDAY, "conversation", NY_MOBILE),),
                     consents=(Consent("calls", MONDAY + timedelta(minutes=5), channel="call"),))
    assert decide(call(facts, MONDAY + timedelta(days=2))).allowed


def test_us_calls_excluded_wrong_number_calls_do_not_count():
    history = calls(MONDAY, 7, "wrong_number")
    assert decide(call(us_facts(prior_attempts=history), MONDAY + timedelta(days=1))).allowed


def test_us_calls_burst_two_calls_within_five_minutes_warn_but_do_not_block():
    facts = us_facts(prior_attempts=calls(MONDAY, 1))
    decision = decide(call(facts, MONDAY + timedelta(minutes=3)))
    assert decision.allowed
    assert [w.rule_id for w in decision.warnings] == ["US.CALLS.BURST"]


def test_us_calls_burst_seventh_call_in_one_day_warns():
    facts = us_facts(prior_attempts=calls(MONDAY, 6, every=timedelta(minutes=30)))
    decision = decide(call(facts, MONDAY + timedelta(hours=5)))
    assert decision.allowed and "US.CALLS.BURST" in [w.rule_id for w in decision.warnings]


def test_us_calls_blocked_attempts_in_history_never_count():
    history = calls(MONDAY, 7, allowed=False)
    assert decide(call(us_facts(prior_attempts=history), MONDAY + timedelta(days=1))).allowed
