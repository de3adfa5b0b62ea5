"""Massachusetts overlay: 940 CMR 7 (creditors and collectors) and 209 CMR 18 (licensed collectors).

These bind lenders as well as agencies, so none of them is conditional on firm policy.
"""

from __future__ import annotations

from datetime import time
from functools import lru_cache
from types import MappingProxyType as frozen

from compliance import zones as tz
from compliance.packs import (
    CALL, CONVERSATION, DELIVERED, NO_ANSWER, PROMISE, RIGHT_PARTY_CONTACT, SENT, SMS, VERIFIED, VISIT,
    VOICEMAIL, Context, Outcome, Pack, PackVersion, Rule, cap_lookback, counted_cap, effective, fmt_local, on,
    outside_window,
)

EASTERN = "America/New_York"
WAKING_HOURS = tz.DailyWindow(time(8), time(21))
# Armata v. Target Corp., 480 Mass. 14 (2018): a call "initiates a communication" whenever the
# creditor could have left a message — unanswered calls count, busy and dead lines do not.
COULD_LEAVE_MESSAGE = frozenset({CONVERSATION, RIGHT_PARTY_CONTACT, PROMISE, NO_ANSWER, VOICEMAIL})
TEXT_SENT = frozenset({SENT, DELIVERED})


def _personal_numbers(ctx: Context) -> frozenset[str]:
    """Residence, mobile or other numbers the debtor gave as personal (the 7-day bucket)."""
    return _personal_of(tuple((p.number, p.at_residence or p.line == "mobile" or p.personal) for p in ctx.facts.phones))


@lru_cache(maxsize=4096)
def _personal_of(phones: tuple[tuple[str, bool], ...]) -> frozenset[str]:
    """The personal numbers among (number, personal?) pairs (cached by value); the first
    entry for a number is the one that counts."""
    first: dict[str, bool] = {}
    for number, personal in phones:
        if number:
            first.setdefault(number, personal)
    return frozenset(number for number, personal in first.items() if personal)


def _bucketed_cap(ctx: Context, rule: Rule, key: str, channels: tuple[str, ...], counts) -> Outcome | None:
    """The cap on the contacts ``counts`` picks out of the history, in this contact's bucket (personal or other numbers)."""
    personal = ctx.once("US-MA.personal", _personal_numbers)
    personal_now = ctx.at_residence or ctx.request.destination in personal  # the 7-day bucket
    days = rule.params["personal_days"] if personal_now else rule.params["other_days"]
    same_bucket = ctx.select((key, personal_now), lambda attempts: [
        a for a in counts(attempts) if (a.at_residence or a.destination in personal) == personal_now],
        channels=channels, within_days=cap_lookback(days))
    until = counted_cap(ctx, same_bucket, rule.params["cap"], days, (EASTERN,))
    if until is None:
        return None
    where = "residence or mobile" if personal_now else "other numbers"
    return Outcome(f"Massachusetts limit: {rule.param('cap')} contacts per {days} days to {where}; next allowed {fmt_local(until, (EASTERN,))}.",
                   f"马萨诸塞州限制：每{days}天{rule.param('cap')}次；下一可联系时间 {fmt_local(until, (EASTERN,))}。", until=until)


def _phone_contacts(attempts) -> list:
    return [a for a in attempts
            if (a.channel == CALL and a.outcome in COULD_LEAVE_MESSAGE) or (a.channel == SMS and a.outcome in TEXT_SENT)]


def _calls_that_could_leave_a_message(calls) -> list:
    return [a for a in calls if a.outcome in COULD_LEAVE_MESSAGE]


def _creditor_calls(ctx: Context, rule: Rule) -> Outcome | None:
    # 940 CMR 7.04(1)(f): creditor-initiated calls, texts and recorded messages.
    if not ctx.first_party or ctx.channel not in (CALL, SMS):
        return None
    return _bucketed_cap(ctx, rule, "US-MA.phone_contacts", (CALL, SMS), _phone_contacts)


def _collector_calls(ctx: Context, rule: Rule) -> Outcome | None:
    # 209 CMR 18.16(1): licensed collectors, phone and text contacts; 08:00–21:00.
    if ctx.first_party or ctx.channel not in (CALL, SMS):
        return None
    result = outside_window(ctx, (EASTERN,), WAKING_HOURS)
    if result is not False:
        return Outcome(f"Massachusetts collectors may call 08:00–21:00 only; next allowed {fmt_local(result, (EASTERN,))}.",
                       f"马萨诸塞州催收机构仅可在 08:00–21:00 联系；下一可联系时间 {fmt_local(result, (EASTERN,))}。", until=result)
    return _bucketed_cap(ctx, rule, "US-MA.phone_contacts", (CALL, SMS), _phone_contacts)


def _household(ctx: Context, rule: Rule) -> Outcome | None:
    # 940 CMR 7.05(3): calls at the residence, waking hours (08:00–21:00 Eastern if unknown),
    # no visits to the workplace.
    if ctx.channel == VISIT and ctx.at_workplace:
        return Outcome("Massachusetts: no visits to the debtor's workplace.", "马萨诸塞州：不得前往债务人工作场所。")
    if ctx.channel != CALL:
        return None
    result = outside_window(ctx, (EASTERN,), WAKING_HOURS)
    if result is not False:
        return Outcome(f"Massachusetts waking hours are 08:00–21:00 Eastern; next allowed {fmt_local(result, (EASTERN,))}.",
                       f"马萨诸塞州：东部时间 08:00–21:00 以外不得致电；下一可联系时间 {fmt_local(result, (EASTERN,))}。", until=result)
    return _bucketed_cap(ctx, rule, "US-MA.calls", (CALL,), _calls_that_could_leave_a_message)


def _visits(ctx: Context, rule: Rule) -> Outcome | None:
    # 209 CMR 18.17(6)-(7): one home visit per 30 days, 08:00–21:00; workplace only on request.
    if ctx.channel != VISIT:
        return None
    visit = ctx.request.visit
    if ctx.at_workplace and not (visit and visit.requested_by_consumer):
        return Outcome("Massachusetts: no workplace visits unless the debtor asked.", "马萨诸塞州：除非债务人要求，不得到访工作场所。")
    result = outside_window(ctx, (EASTERN,), WAKING_HOURS)
    if result is not False:
        return Outcome("Massachusetts visits 08:00–21:00 only.", "马萨诸塞州：上门仅限 08:00–21:00。", until=result)
    visits = [a for a in ctx.attempts(channels=(VISIT,)) if a.outcome != "not_attempted"]
    until = counted_cap(ctx, visits, rule.param("cap"), rule.param("days"), (EASTERN,))
    if until is not None:
        return Outcome("Massachusetts: one home visit per 30 days.", "马萨诸塞州：每30天仅可上门一次。", until=until)
    return None


RULES = (
    Rule("US-MA.CREDITOR.CALLS", "940 CMR 7.04(1)(f); Armata v. Target (Mass. 2018)", VERIFIED,
         "creditor-initiated calls/texts ≤ 2 per 7 days (personal numbers), ≤ 2 per 30 days elsewhere",
         _creditor_calls, frozen({"cap": 2, "personal_days": 7, "other_days": 30}), scope=on(CALL, SMS), lifts=True),
    Rule("US-MA.HOUSEHOLD", "940 CMR 7.05(3)", VERIFIED,
         "≤ 2 calls per 7 days at the residence, ≤ 2 per 30 days elsewhere; 08:00–21:00 Eastern; no workplace visits",
         _household, frozen({"cap": 2, "personal_days": 7, "other_days": 30}), scope=on(CALL, VISIT), lifts=True),
    Rule("US-MA.COLLECTOR", "209 CMR 18.16(1)", VERIFIED,
         "licensed collectors: 08:00–21:00; ≤ 2 phone/text contacts per 7 days (residence/mobile), ≤ 2 per 30 days elsewhere",
         _collector_calls, frozen({"cap": 2, "personal_days": 7, "other_days": 30,
                                   # An oral "don't call me at work" lasts 10 days unless confirmed in writing
                                   # within 7; Reg F (US.WORKPLACE) keeps it indefinitely, and is stricter.
                                   "oral_workplace_request_days": 10, "written_confirmation_days": 7}),
         scope=on(CALL, SMS), lifts=True),
    Rule("US-MA.VISITS", "209 CMR 18.17(6)-(7)", VERIFIED, "≤ 1 home visit per 30 days, 08:00–21:00; no workplace visits unless requested",
         _visits, frozen({"cap": 1, "days": 30}), scope=on(VISIT), lifts=True),
)

PACK = Pack("US-MA", (PackVersion("US-MA", "2021-11-30", effective("2021-11-30"), RULES,
                                  note="940 CMR 7 and 209 CMR 18 as in force with Regulation F"),), parent="US")
