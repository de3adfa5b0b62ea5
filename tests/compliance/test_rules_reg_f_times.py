"""Regulation F — when a consumer may be contacted (12 CFR 1006.6(b)(1))."""

from dataclasses import replace
from datetime import time, timedelta

from compliance.engine import Consent, ConsumerContact, ContactRequest, InconvenientTime, Phone, PostalAddress, PriorAttempt
from tests.compliance.factories import (
    DISCLOSED, LA_MOBILE, NEW_YORK, NY_MOBILE, OPT_OUT, at, blocked_by, call, decide, us_facts,
)


def test_us_time_call_before_eight_local_is_blocked():
    decision = decide(call(us_facts(), at(NEW_YORK, 2026, 3, 10, 7, 59)))
    assert blocked_by(decision, "US.TIME")
    assert decision.next_allowed_at == at(NEW_YORK, 2026, 3, 10, 8, 0)


def test_us_time_call_at_eight_local_is_allowed():
    assert decide(call(us_facts(), at(NEW_YORK, 2026, 3, 10, 8, 0))).allowed


def test_us_time_nine_pm_is_outside_the_window():
    assert blocked_by(decide(call(us_facts(), at(NEW_YORK, 2026, 3, 10, 21, 0))), "US.TIME")


def test_us_time_a_time_the_consumer_named_inconvenient_is_blocked():
    facts = us_facts(inconvenient_times=(InconvenientTime(time(12), time(14)),))
    decision = decide(call(facts, at(NEW_YORK, 2026, 3, 10, 12, 30)))
    assert blocked_by(decision, "US.TIME")
    assert decision.next_allowed_at == at(NEW_YORK, 2026, 3, 10, 14, 0)


def test_us_time_direct_prior_consent_overrides_the_window():
    facts = us_facts(consents=(Consent("time", at(NEW_YORK, 2026, 3, 1, 9)),))
    assert decide(call(facts, at(NEW_YORK, 2026, 3, 10, 7, 30))).allowed


def test_us_time_ambiguous_eastern_mobile_and_pacific_address_allows_eleven_to_nine_eastern():
    # Comment 6(b)(1)(i)-2's own example.
    facts = us_facts(addresses=(PostalAddress("US", "CA", "94105"),))
    early = decide(call(facts, at(NEW_YORK, 2026, 3, 10, 10, 59)))
    assert blocked_by(early, "US.TIME.AMBIGUOUS")
    assert early.next_allowed_at == at(NEW_YORK, 2026, 3, 10, 11, 0)
    assert decide(call(facts, at(NEW_YORK, 2026, 3, 10, 11, 0))).allowed


def test_us_time_ambiguous_state_spanning_two_zones_uses_both():
    # Tennessee spans Eastern and Central: 08:30 Eastern is 07:30 Central.
    facts = us_facts(phones=(), addresses=(PostalAddress("US", "TN"),))
    request = ContactRequest("visit", at(NEW_YORK, 2026, 3, 10, 8, 30), facts)
    assert not decide(request).allowed


def test_us_time_sent_text_is_judged_at_the_moment_of_sending():
    message = f"{DISCLOSED} Please call us. {OPT_OUT}"
    late = ContactRequest("sms", at(NEW_YORK, 2026, 3, 10, 21, 5), us_facts(), NY_MOBILE, message)
    on_time = ContactRequest("sms", at(NEW_YORK, 2026, 3, 10, 20, 55), us_facts(), NY_MOBILE, message)
    assert blocked_by(decide(late), "US.TIME")
    assert decide(on_time).allowed


def test_us_time_reply_once_to_a_consumer_who_called_at_a_time_they_named_inconvenient():
    inconvenient = (InconvenientTime(time(18), time(21)),)
    contacted = (ConsumerContact("call", at(NEW_YORK, 2026, 3, 10, 18, 45)),)
    facts = us_facts(inconvenient_times=inconvenient, consumer_contacts=contacted)
    reply = call(facts, at(NEW_YORK, 2026, 3, 10, 19, 0), purpose="reply")
    assert decide(reply).allowed
    replied = (PriorAttempt("call", at(NEW_YORK, 2026, 3, 10, 19, 0), "conversation", NY_MOBILE, purpose="reply", consent=True),)
    second = call(replace(facts, prior_attempts=replied), at(NEW_YORK, 2026, 3, 10, 19, 30), purpose="reply")
    assert blocked_by(decide(second), "US.TIME")


def test_us_time_next_allowed_moment_crosses_the_spring_dst_change():
    # 2026-03-08 02:00 Eastern clocks jump to 03:00; 22:00 on the 7th → 08:00 EDT on the 8th.
    decision = decide(call(us_facts(), at(NEW_YORK, 2026, 3, 7, 22, 0)))
    assert decision.next_allowed_at == at(NEW_YORK, 2026, 3, 8, 8, 0)
    assert decision.next_allowed_at.astimezone(NEW_YORK).utcoffset() == timedelta(hours=-4)


def test_us_time_letters_are_not_time_gated():
    request = ContactRequest("letter", at(NEW_YORK, 2026, 3, 10, 23, 0), us_facts(), "addr", f"{DISCLOSED}")
    assert "US.TIME" not in decide(request).rule_ids
