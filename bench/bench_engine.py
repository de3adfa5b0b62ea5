"""Benchmark the compliance engine on one core (no Django, no database).

Prints:
    BENCH evaluate_per_s <value> decisions/s
    BENCH wording_checks_per_s <value> checks/s
plus informational lines (decision mix, blocked-only throughput).

Scenario (kept realistic on purpose, see the docstring of ``decision_requests``):
US-MA debtors, each with 20 prior attempts (mostly calls with mixed outcomes, some texts
and letters) spread over the previous ~10 weeks, stored as UTC datetimes exactly as the
gate (``compliance.facts``) loads them from the database; one debtor's phone area code
conflicts with the address (two candidate zones).  Requests are calls and texts at varied
moments over two weeks, including evenings, nights and weekends, so the mix contains
allowed decisions, decisions blocked by time and frequency (which compute
``next_allowed_at``) and decisions blocked indefinitely.  Every request has its own
``CaseFacts`` object and a distinct moment, so nothing can be memoised per request.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from compliance.engine import (  # noqa: E402
    DEFAULT, CaseFacts, ContactRequest, Email, Phone, PostalAddress, PriorAttempt, evaluate, evaluate_many,
)
from compliance.wording import WordingFacts, normalise  # noqa: E402

UTC = timezone.utc
NEW_YORK = ZoneInfo("America/New_York")
EN = ("Hello John, this is a reminder from Acme Services about your account balance of $1,234.56. "
      "Please call us at 555-0100 between 9am and 5pm, Monday to Friday. This is a communication from a debt "
      "collector. If you are having difficulty paying, we can discuss a plan that fits your budget; there is no fee. "
      "You may dispute this debt in writing. Reply STOP to opt out of text messages. Visit www.cfpb.gov/debt-collection "
      "to learn about your rights. Thank you.")[:500]
ZH = ("张先生您好，本信息来自债务催收机构。您的账户当前余额为一千二百三十四元，本期应还款三百元将于本月十五日到期。"
      "如您暂时有还款困难，可以联系我们申请延期或分期方案，我们不会收取额外费用。如对账单有异议，请通过官方渠道提出，"
      "我们将在收到后暂停催收并尽快核实。逾期可能影响您的个人征信记录，请及时与我们联系。回复TD退订。") * 3
ZH = ZH[:500]
ZH_T = ("張先生您好，本訊息來自債務催收機構。您的帳戶當前餘額為一千二百三十四元，本期應還款三百元將於本月十五日到期。"
        "如您暫時有還款困難，可以聯繫我們申請延期或分期方案。") * 6
ZH_T = ZH_T[:500]
BAD = ("John, we will garnish your wages next week and tell your boss. A w a r r a n t for your arrest is ready. " * 5)[:500]

MOBILE, HOME, CHICAGO = "+16175550123", "+16175550100", "+13125550177"
CALL_OUTCOMES = ("no_answer", "no_answer", "no_answer", "voicemail", "voicemail", "busy", "conversation", "wrong_number")


def bench(fn, seconds=2.0):
    fn()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(200):
            fn()
        count += 200
    return count / (time.perf_counter() - start)


def history(rng: random.Random, now: datetime, recent_days: float) -> tuple[PriorAttempt, ...]:
    """20 attempts over ~10 weeks before ``now`` (the latest ``recent_days`` ago), in UTC as loaded from the DB."""
    out = []
    moment = now - timedelta(days=recent_days)
    for i in range(20):
        local = moment.astimezone(NEW_YORK)
        if local.hour < 9 or local.hour >= 20:  # the dialer calls in the daytime
            moment = moment.replace(hour=15, minute=rng.randrange(60))
        kind = rng.random()
        if kind < 0.75:
            attempt = PriorAttempt("call", moment, rng.choice(CALL_OUTCOMES), rng.choice((MOBILE, MOBILE, HOME)))
        elif kind < 0.92:
            attempt = PriorAttempt("sms", moment, "delivered", MOBILE)
        else:
            attempt = PriorAttempt("letter", moment, "sent")
        out.append(attempt)
        moment -= timedelta(days=rng.uniform(1.5, 5.0), minutes=rng.randrange(600))
    return tuple(sorted(out, key=lambda a: a.moment))


def decision_requests(count: int = 2000) -> list[ContactRequest]:
    rng = random.Random(20260309)
    start = datetime(2026, 3, 9, 12, tzinfo=UTC)  # Monday 08:00 in Boston (DST begins 8 March)
    profiles = []
    for recent_days, phones in (
        (9.0, (Phone(MOBILE, line="mobile", text_consent_at=start - timedelta(days=40)), Phone(HOME, at_residence=True))),
        (2.5, (Phone(MOBILE, line="mobile", text_consent_at=start - timedelta(days=40)), Phone(HOME, at_residence=True))),
        (5.0, (Phone(MOBILE, line="mobile", last_consumer_text_at=start - timedelta(days=90)),)),
        (12.0, (Phone(MOBILE, line="mobile", text_consent_at=start - timedelta(days=20)), Phone(CHICAGO, line="landline"))),
    ):
        profiles.append(CaseFacts(
            jurisdiction="US-MA", phones=phones, addresses=(PostalAddress("US", "MA", "02108"),),
            initial_communication_at=start - timedelta(days=80), validation_notice_sent_at=start - timedelta(days=80),
            prior_attempts=history(rng, start, recent_days),
        ))
    requests = []
    for i in range(count):
        facts = replace(profiles[i % len(profiles)])  # its own object, as the gate builds one per request
        moment = start + timedelta(days=rng.randrange(14), hours=rng.uniform(-4, 20))
        moment = moment.replace(microsecond=0)
        if rng.random() < 0.8:
            requests.append(ContactRequest("call", moment, facts, rng.choice((MOBILE, MOBILE, HOME))))
        else:
            requests.append(ContactRequest("sms", moment, facts, MOBILE, EN))
    return requests


def work_queue_rows(requests: list[ContactRequest], moment: datetime) -> list[list[ContactRequest]]:
    """For the INFO lines on evaluate_many: one row of the collector's work queue per case —
    call, text and email (no message, as the queue asks) about one CaseFacts at one moment.
    The bench's debtors with an email address added, each row its own facts object."""
    rows = []
    for request in requests[:200]:
        facts = replace(request.facts, emails=(Email("debtor@example.com", consumer_used=True),))
        rows.append([ContactRequest("call", moment, facts, MOBILE), ContactRequest("sms", moment, facts, MOBILE),
                     ContactRequest("email", moment, facts, "debtor@example.com")])
    return rows


def bench_work_queue(requests: list[ContactRequest]) -> None:
    for label, moment in (("day", datetime(2026, 3, 10, 18, tzinfo=UTC)),      # Tuesday 14:00 in Boston
                          ("night", datetime(2026, 3, 11, 3, 30, tzinfo=UTC))):  # Tuesday 23:30 in Boston
        rows = work_queue_rows(requests, moment)
        assert all([d.to_dict() for d in evaluate_many(row)] == [evaluate(r).to_dict() for r in row] for row in rows)
        state = {"i": 0}

        def three_evaluates():
            state["i"] = (state["i"] + 1) % len(rows)
            for r in rows[state["i"]]:
                evaluate(r)

        def one_evaluate_many():
            state["i"] = (state["i"] + 1) % len(rows)
            evaluate_many(rows[state["i"]])

        separate, shared = bench(three_evaluates, 1.0), bench(one_evaluate_many, 1.0)
        blocked = sum(not d.allowed for row in rows for d in evaluate_many(row)) / (3 * len(rows))
        print(f"INFO work_queue_rows_per_s {label} ({blocked:.0%} blocked): 3 x evaluate {separate:.0f}, "
              f"evaluate_many {shared:.0f} rows/s (x{shared / separate:.2f})")


def main():
    requests = decision_requests()
    decisions = [evaluate(r) for r in requests]
    allowed = sum(d.allowed for d in decisions)
    timed = sum(1 for d in decisions if not d.allowed and d.next_allowed_at is not None)
    print(f"INFO decision mix: {allowed / len(decisions):.0%} allowed, {timed / len(decisions):.0%} blocked until a "
          f"next allowed moment, {(len(decisions) - allowed - timed) / len(decisions):.0%} blocked indefinitely "
          f"({len(decisions)} distinct requests)")
    state = {"i": 0}

    def one_decision():
        state["i"] = (state["i"] + 1) % len(requests)
        evaluate(requests[state["i"]])

    blocked = [r for r, d in zip(requests, decisions) if not d.allowed and d.next_allowed_at is not None]
    state_b = {"i": 0}

    def one_blocked():
        state_b["i"] = (state_b["i"] + 1) % len(blocked)
        evaluate(blocked[state_b["i"]])

    monday = datetime(2026, 3, 9, 9, tzinfo=NEW_YORK)
    matcher = DEFAULT.matcher(DEFAULT.layers("US-CA", monday))
    cn_matcher = DEFAULT.matcher(DEFAULT.layers("CN", monday))
    messages = [(matcher, EN), (cn_matcher, ZH), (matcher, EN), (cn_matcher, ZH), (cn_matcher, ZH_T), (matcher, BAD)]
    facts_w = WordingFacts()
    state2 = {"i": 0}

    def one_check():
        state2["i"] = (state2["i"] + 1) % len(messages)
        m, text = messages[state2["i"]]
        m.scan(normalise(text), facts_w)

    print(f"BENCH evaluate_per_s {bench(one_decision):.0f} decisions/s")
    print(f"INFO evaluate_blocked_with_next_allowed_per_s {bench(one_blocked, 1.0):.0f} decisions/s")
    print(f"BENCH wording_checks_per_s {bench(one_check):.0f} checks/s")
    bench_work_queue(requests)


if __name__ == "__main__":
    main()
