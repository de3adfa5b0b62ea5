"""China: GB/T 45251-2025 (in force 2025-02-28) and the China Banking Association collection
guideline (in force 2026-01-30).  Most rows are confirmed by secondary sources only (S).

Two versions, so that a contact is judged under the rules in force on its day: the CBA
guideline added the per-contact-method attempt cap and the two-collector visit rule.
"""

from __future__ import annotations

from datetime import time, timedelta
from types import MappingProxyType as frozen

from compliance import zones as tz
from compliance.packs import (
    CALL, CONVERSATION, EMAIL, NOT_ATTEMPTED, PROMISE, RIGHT_PARTY_CONTACT, SECONDARY, SMS, THIRD_PARTY, UNVERIFIED,
    VERIFIED, VISIT, Context, Outcome, Pack, PackVersion, Rule, effective, fmt_local, on, outside_window, ref, wording_rule,
)
from compliance.wording import debt_disclosures
from compliance.wording_data import (
    ACTION_NOT_INTENDED, CONTACT_BAIT, EXPOSURE, FALSE_ARREST, FALSE_AUTHORITY, MISSTATED_AMOUNT, OBSCENE,
    PRESSURE_TO_BORROW, VIOLENCE,
)

BEIJING = "Asia/Shanghai"
DAYTIME = tz.DailyWindow(time(8), time(22))
CONNECTED = frozenset({CONVERSATION, RIGHT_PARTY_CONTACT, PROMISE})


def _next_day(ctx: Context):
    today = tz.local_date(ctx.moment, BEIJING)
    return tz.start_of_local_day(today + timedelta(days=1), BEIJING)


def _today(ctx: Context, attempts):
    today = tz.local_date(ctx.moment, BEIJING)
    return [a for a in attempts if tz.local_date(a.moment, BEIJING) == today]


def _daytime(ctx: Context, rule: Rule) -> Outcome | None:
    # No collection by call, visit or other means between 22:00 and 08:00 unless the debtor agreed.
    if ctx.channel == "letter" or ctx.consented("time"):
        return None
    result = outside_window(ctx, (BEIJING,), DAYTIME)
    if result is False:
        return None
    return Outcome(f"No collection between 22:00 and 08:00 Beijing time; next allowed {fmt_local(result, (BEIJING,))}.",
                   f"22:00 至次日 08:00 不得催收；下一可联系时间 {fmt_local(result, (BEIJING,))}。", until=result)


def _connected_calls(ctx: Context, rule: Rule) -> Outcome | None:
    # GB/T 45251-2025: at most 3 connected voice calls (including AI voice) per debtor per day.
    if ctx.channel != CALL:
        return None
    connected = _today(ctx, [a for a in ctx.attempts(channels=(CALL,), same_debt=False) if a.outcome in CONNECTED])
    if len(connected) < rule.param("per_day"):
        return None
    return Outcome("Already 3 connected calls with the debtor today.", "今日已与债务人接通3次电话。", until=_next_day(ctx))


def _attempts(ctx: Context, rule: Rule) -> Outcome | None:
    # CBA guideline 2026: at most 6 call attempts a day to the same contact method unless agreed.
    if ctx.channel != CALL or ctx.consented("calls"):
        return None
    same_number = [a for a in ctx.attempts(channels=(CALL,), same_debt=False)
                   if a.destination == ctx.request.destination and a.outcome != NOT_ATTEMPTED]
    if len(_today(ctx, same_number)) < rule.param("per_day"):
        return None
    return Outcome("Already 6 call attempts to this number today.", "今日已对该号码拨打6次。", until=_next_day(ctx))


def _third_party(ctx: Context, rule: Rule) -> Outcome | None:
    # Contacts may be reached only when the debtor cannot be (or is dead or incapacitated),
    # only to ask for the debtor's details or pass on a message, stopping if they refuse,
    # and never revealing the debt.
    found = wording_rule(ctx, rule)
    if found:
        return found
    if ctx.channel != THIRD_PARTY:
        return None
    party = ctx.request.third_party
    if party is not None and party.relationship == "guarantor":
        return None
    if not (ctx.facts.debtor_unreachable or ctx.holds("deceased") or ctx.facts.debtor_incapacitated):
        return Outcome("Third parties may be contacted only when the debtor cannot be reached.", "仅在无法联系债务人时方可联系第三方。")
    if ctx.purpose not in rule.param("purposes"):
        return Outcome("A third party may only be asked for the debtor's contact details or to pass on a message.",
                       "联系第三方仅限询问债务人联系方式或转告信息。")
    if (party is not None and party.refused) or ctx.same_party(ctx.facts.third_parties_refused):
        return Outcome("This contact refused to help: stop contacting them.", "该联系人已拒绝：须停止联系。")
    if ctx.normalised_message is not None:
        disclosed = debt_disclosures(ctx.normalised_message, ref(rule))
        if disclosed:
            return Outcome("Never disclose the debt to a third party.", "不得向第三方透露债务信息。", findings=tuple(disclosed))
    return None


def _visit(ctx: Context, rule: Rule) -> Outcome | None:
    # CBA guideline 2026: visits by at least two collectors, within allowed hours (CN.TIME).
    if ctx.channel != VISIT:
        return None
    visit = ctx.request.visit
    if visit is None or visit.collectors < rule.param("min_collectors"):
        return Outcome("A visit needs at least two collectors.", "上门催收须至少两名催收人员。")
    return None


def _outsourcing(ctx: Context, rule: Rule) -> Outcome | None:
    # Consumer-protection measures Art. 41: tell the debtor before placing with an outside agency.
    if ctx.first_party:
        return None
    notified = ctx.facts.outsourcing_notified_at
    if notified is None or notified > ctx.moment:
        return Outcome("The debtor has not been told the debt was placed with an outside agency.", "尚未告知债务人已委外催收。")
    return None


def retention_until(recorded_on, years: int = 2):
    """CN.RECORDING: keep collection records at least 2 years (5 under GB/T 45251 is unverified)."""
    try:
        return recorded_on.replace(year=recorded_on.year + years)
    except ValueError:
        return recorded_on.replace(year=recorded_on.year + years, day=28)


NOTICE_ITEMS = ("name", "balance", "reason_and_legal_basis", "rights_and_duties", "how_to_check_repay_object", "contact", "seal")


def missing_notice_items(notice: dict) -> list[str]:
    """CN.NOTICE (credit-card measures Art. 69): items a collection letter lacks."""
    return [item for item in NOTICE_ITEMS if not notice.get(item)]


_TIME = Rule("CN.TIME", "GB/T 45251-2025; CBA collection guideline 2026", SECONDARY,
             "no collection 22:00–08:00 Beijing time unless the debtor agreed", _daytime, frozen({"window": ("08:00", "22:00")}),
             scope=on(CALL, SMS, EMAIL, VISIT, THIRD_PARTY), lifts=True)
_TIME_2025 = Rule("CN.TIME", "GB/T 45251-2025", SECONDARY,
                  "no collection 22:00–08:00 Beijing time unless the debtor agreed", _daytime, frozen({"window": ("08:00", "22:00")}),
                  scope=on(CALL, SMS, EMAIL, VISIT, THIRD_PARTY), lifts=True)
_CONNECTED = Rule("CN.CALLS.CONNECTED", "GB/T 45251-2025", SECONDARY, "≤ 3 connected voice calls per debtor per day",
                  _connected_calls, frozen({"per_day": 3}), scope=on(CALL), lifts=True)
_ATTEMPTS = Rule("CN.CALLS.ATTEMPTS", "CBA collection guideline 2026", SECONDARY,
                 "≤ 6 call attempts per day to the same contact method unless agreed", _attempts, frozen({"per_day": 6}),
                 scope=on(CALL), lifts=True)
_THIRD_PARTY = Rule("CN.THIRD_PARTY", "GB/T 45251-2025; credit-card measures Art. 68; CFC measures 2024", SECONDARY,
                    "third parties only if the debtor is unreachable; only to locate or pass a message; never disclose the debt",
                    _third_party, frozen({"purposes": ("location", "pass_message")}), kind="wording",
                    scope=on(THIRD_PARTY, message=True))
_VISIT = Rule("CN.VISIT", "CBA collection guideline 2026", SECONDARY, "visits by at least 2 collectors within allowed hours",
              _visit, frozen({"min_collectors": 2}), scope=on(VISIT))
_PROHIBITED = Rule("CN.PROHIBITED", "Criminal Law Art. 293-1; CBA collection guideline §5", VERIFIED,
                   "violence, intimidation, insult, impersonating authorities, fictitious blacklists, exaggerated consequences",
                   wording_rule, kind="wording", scope=on(message=True))
_RECORDING = Rule("CN.RECORDING", "credit-card measures Art. 68", SECONDARY, "record the collection process; keep records ≥ 2 years",
                  kind="record", params=frozen({"years": 2}))
_RECORDING_5Y = Rule("CN.RECORDING.5Y", "GB/T 45251-2025 (unverified)", UNVERIFIED, "keep records 5 years",
                     kind="record", params=frozen({"years": 5}), policy=True)
_NOTICE = Rule("CN.NOTICE", "credit-card measures Art. 69", SECONDARY, "collection letter content",
               kind="document", params=frozen({"items": NOTICE_ITEMS}))
_OUTSOURCE = Rule("CN.OUTSOURCE", "consumer-protection measures Art. 41", SECONDARY,
                  "tell the debtor before placing with an outside agency", _outsourcing)
# NIFA 2018 convention: its articles were not found in primary text; nothing is encoded as law.
_NIFA = Rule("CN.NIFA2018", "NIFA 2018 convention (unverified)", UNVERIFIED, "encode nothing from it as law", kind="record")

WORDING = {
    VIOLENCE: ("CN.PROHIBITED",), OBSCENE: ("CN.PROHIBITED",), FALSE_AUTHORITY: ("CN.PROHIBITED",),
    FALSE_ARREST: ("CN.PROHIBITED",), ACTION_NOT_INTENDED: ("CN.PROHIBITED",), EXPOSURE: ("CN.THIRD_PARTY",),
    MISSTATED_AMOUNT: ("CN.PROHIBITED",), PRESSURE_TO_BORROW: ("CN.PROHIBITED",), CONTACT_BAIT: ("CN.PROHIBITED",),
}

PACK = Pack("CN", (
    PackVersion("CN", "2025-02-28", effective("2025-02-27T16:00:00"),  # 00:00 Beijing time
                (_TIME_2025, _CONNECTED, _THIRD_PARTY, _PROHIBITED, _RECORDING, _RECORDING_5Y, _NOTICE, _OUTSOURCE, _NIFA),
                WORDING, note="GB/T 45251-2025"),
    # The CBA guideline takes effect: per-method attempt cap and two-collector visits.
    PackVersion("CN", "2026-01-30", effective("2026-01-29T16:00:00"),  # 00:00 Beijing time
                (_TIME, _CONNECTED, _ATTEMPTS, _THIRD_PARTY, _VISIT, _PROHIBITED, _RECORDING, _RECORDING_5Y, _NOTICE,
                 _OUTSOURCE, _NIFA),
                WORDING, note="GB/T 45251-2025 + CBA collection guideline"),
))
