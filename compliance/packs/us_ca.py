"""California overlay: Rosenthal Fair Debt Collection Practices Act (Civ. Code 1788 ff.), which
binds lenders too, and the first-written-notice requirement of Civ. Code 1812.700."""

from __future__ import annotations

from types import MappingProxyType as frozen

from compliance.packs import (
    CALL, EMAIL, LETTER, SMS, THIRD_PARTY, VERIFIED, Context, Outcome, Pack, PackVersion, Rule, cap_lookback, counted_cap,
    effective, fmt_local, on, wording_rule,
)
from compliance.packs.us import counted_calls
from compliance.wording_data import OBSCENE, VIOLENCE

# Civ. Code 1812.700(a): the prescribed notice (opening words; the full text is in the template).
CALIFORNIA_NOTICE_OPENING = (
    "the state rosenthal fair debt collection practices act and the federal fair debt collection practices act require that"
)


def _rosenthal(ctx: Context, rule: Rule) -> Outcome | None:
    # 1788.11(b): the caller discloses their identity.
    if ctx.channel in (CALL, THIRD_PARTY) and not ctx.request.caller_identified:
        return Outcome("California: the caller must identify themselves.", "加州：来电者须表明身份。")
    # 1788.11(d)-(e): no calls repeated so often as to annoy.  We measure "repeated" with
    # the Regulation F presumption, applied here to lenders too because Rosenthal binds them.
    if ctx.channel == CALL and not ctx.consented("calls", within_days=7):
        calls = counted_calls(ctx, within_days=cap_lookback(rule.param("days")))
        until = counted_cap(ctx, calls, rule.param("cap"), rule.param("days"), ctx.zones)
        if until is not None:
            return Outcome(f"California: calls repeated to annoy; next allowed {fmt_local(until, ctx.zones)}.",
                           f"加州：重复来电构成骚扰；下一可联系时间 {fmt_local(until, ctx.zones)}。", until=until)
    # Written and digital messages from a licensee show the California licence number.
    licence = ctx.facts.california_license_number
    if ctx.channel in (LETTER, EMAIL, SMS) and not ctx.first_party and ctx.request.message:
        if not licence or licence not in ctx.request.message:
            return Outcome("California: written and electronic messages must show our California licence number.",
                           "加州：书面及电子消息须载明加州执照号码。")
    return wording_rule(ctx, rule)


def _california_notice(ctx: Context, rule: Rule) -> Outcome | None:
    # 1812.700: the first written notice carries the California rights notice.
    if ctx.purpose != "first_written_notice" or ctx.normalised_message is None:
        return None
    if CALIFORNIA_NOTICE_OPENING in " ".join(ctx.normalised_message.text.split()):
        return None
    return Outcome("The first written notice must carry the California rights notice (Civ. Code 1812.700).",
                   "首份书面通知须载明加州权利告知（民法典1812.700）。")


RULES = (
    Rule("US-CA.ROSENTHAL", "Cal. Civ. Code 1788.11", VERIFIED,
         "no obscene language; caller identifies self; no repeated calls to annoy; licence number on written/digital messages",
         _rosenthal, frozen({"cap": 7, "days": 7}), scope=on(CALL, THIRD_PARTY, message=True), lifts=True),
    Rule("US-CA.NOTICE", "Cal. Civ. Code 1812.700", VERIFIED, "the first written notice carries the California rights notice",
         _california_notice, frozen({"opening": CALIFORNIA_NOTICE_OPENING}), kind="document",
         scope=on(message=True, purposes=("first_written_notice",))),
)

WORDING = {OBSCENE: ("US-CA.ROSENTHAL",), VIOLENCE: ("US-CA.ROSENTHAL",)}

PACK = Pack("US-CA", (PackVersion("US-CA", "2022-01-01", effective("2022-01-01"), RULES, WORDING,
                                  note="Rosenthal Act with the Debt Collection Licensing Act in force"),), parent="US")
