"""Washington overlay: RCW 19.16.250 (collection agencies).  Secondary-source rows (S)."""

from __future__ import annotations

from datetime import time
from types import MappingProxyType as frozen

from compliance import zones as tz
from compliance.packs import (
    CALL, CONVERSATION, DELIVERED, PROMISE, RIGHT_PARTY_CONTACT, SECONDARY, SENT, VISIT, VISITED, VOICEMAIL, Context,
    Outcome, Pack, PackVersion, Rule, counted_cap, effective, fmt_local, outside_window,
)

HOME_HOURS = tz.DailyWindow(time(7, 30), time(21))
# A "communication" conveys something: a conversation, a message left, a text/email/letter sent, a visit made.
COMMUNICATED = frozenset({CONVERSATION, RIGHT_PARTY_CONTACT, PROMISE, VOICEMAIL, SENT, DELIVERED, VISITED})


def _washington(ctx: Context, rule: Rule) -> Outcome | None:
    # RCW 19.16.250(13): at home not before 7:30 a.m. or after 9 p.m.
    if ctx.at_residence and ctx.channel in (CALL, VISIT):
        result = outside_window(ctx, ctx.zones, HOME_HOURS)
        if result is not False:
            return Outcome(f"Washington: at home only 07:30–21:00; next allowed {fmt_local(result, ctx.zones)}.",
                           f"华盛顿州：住所联系仅限 07:30–21:00；下一可联系时间 {fmt_local(result, ctx.zones)}。", until=result)
    # No more than 3 communications a week with the debtor or spouse (all debts: per debtor).
    communications = [a for a in ctx.attempts(same_debt=False) if a.outcome in COMMUNICATED
                      and (a.channel != "third_party" or a.relationship == "spouse")]
    until = counted_cap(ctx, communications, rule.param("cap"), rule.param("days"), ctx.zones)
    if until is not None:
        return Outcome("Washington: at most 3 communications a week.", "华盛顿州：每周最多沟通3次。", until=until)
    # At the place of employment, no more than once a week.
    if ctx.at_workplace:
        at_work = [a for a in communications if a.workplace]
        until = counted_cap(ctx, at_work, rule.param("workplace_cap"), rule.param("days"), ctx.zones)
        if until is not None:
            return Outcome("Washington: at most one communication a week at the workplace.", "华盛顿州：工作场所每周最多1次。", until=until)
    return None


RULES = (
    Rule("US-WA", "RCW 19.16.250", SECONDARY, "≤ 3 communications per week; workplace ≤ 1 per week; at home 07:30–21:00",
         _washington, frozen({"cap": 3, "workplace_cap": 1, "days": 7, "home_window": ("07:30", "21:00")}), lifts=True),
)

PACK = Pack("US-WA", (PackVersion("US-WA", "2021-11-30", effective("2021-11-30"), RULES),), parent="US")
