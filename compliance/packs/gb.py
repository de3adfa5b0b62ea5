"""United Kingdom: FCA Handbook CONC 7 (arrears, default and recovery).  Binds lenders and agencies.

CONC 7.9 sets no hours: our contact window is firm policy (default 08:00–21:00 Europe/London,
configurable in ``Policy.gb_time_window``) and every decision labels it as policy.
"""

from __future__ import annotations

from types import MappingProxyType as frozen

from compliance import zones as tz
from compliance.packs import (
    CALL, EMAIL, LETTER, SMS, THIRD_PARTY, VERIFIED, VISIT, Context, Outcome, Pack, PackVersion, Rule, effective,
    fmt_local, on, outside_window, ref, wording_rule,
)
from compliance.wording import debt_disclosures
from compliance.wording_data import (
    ACTION_NOT_INTENDED, CONTACT_BAIT, EXPOSURE, FALSE_ARREST, FALSE_AUTHORITY, MISSTATED_AMOUNT, OBSCENE,
    PRESSURE_TO_BORROW, VIOLENCE,
)

LONDON = "Europe/London"


def _forbearance(ctx: Context, rule: Rule) -> Outcome | None:
    # CONC 7.3.4R: forbearance and due consideration before escalating.
    if ctx.purpose == "escalation" and ctx.facts.forbearance_reviewed_at is None:
        return Outcome("Review forbearance options before escalating.", "升级处理前须先进行宽限评估。")
    return None


def _information(ctx: Context, rule: Rule) -> Outcome | None:
    # CONC 7.4.1R: arrears notices state the arrears and the balance.
    if ctx.purpose != "arrears_notice" or ctx.normalised_message is None:
        return None
    text = ctx.normalised_message.text
    if all(any(word in text for word in alternatives) for alternatives in rule.param("must_mention")):
        return None
    return Outcome("An arrears notice must state the arrears and the balance.", "欠款通知须载明欠款金额和余额。")


def _reasonable_time(ctx: Context, rule: Rule) -> Outcome | None:
    # CONC 7.9: no contact at unreasonable times; honour reasonable requests about when and how.
    if ctx.channel == LETTER:
        return None
    for opt_out in ctx.facts.opt_outs:
        if opt_out.at <= ctx.moment and opt_out.channel in (None, ctx.channel) and opt_out.destination in (None, ctx.request.destination):
            return Outcome("The customer asked not to be contacted this way.", "客户已要求不以此方式联系。")
    if ctx.consented("time"):
        return None
    start, end = ctx.policy.gb_time_window
    named = [tz.DailyWindow(t.start, t.end) for t in ctx.facts.inconvenient_times]
    result = outside_window(ctx, (LONDON,), tz.DailyWindow(start, end), named)
    if result is False:
        return None
    return Outcome(f"Outside our contact hours {start:%H:%M}–{end:%H:%M} UK time (firm policy under CONC 7.9); next allowed {fmt_local(result, (LONDON,))}.",
                   f"超出公司政策规定的英国联系时间 {start:%H:%M}–{end:%H:%M}；下一可联系时间 {fmt_local(result, (LONDON,))}。", until=result)


def _third_party(ctx: Context, rule: Rule) -> Outcome | None:
    # CONC 7.9.7R–7.9.8G: no disclosure to third parties; post private and confidential, no
    # collection-revealing name outside.
    found = wording_rule(ctx, rule)
    if found:
        return found
    envelope = ctx.request.envelope
    if ctx.channel == LETTER and envelope is not None:
        if not envelope.marked_private:
            return Outcome('Post must be marked "private and confidential".', "信件须标注“私人保密”。")
        if envelope.sender_name and debt_disclosures(envelope.sender_name, ref(rule)):
            return Outcome("The outside of the envelope may not reveal debt collection.", "信封外部不得透露催收。")
    if ctx.channel == THIRD_PARTY and ctx.normalised_message is not None:
        disclosed = debt_disclosures(ctx.normalised_message, ref(rule))
        if disclosed:
            return Outcome("Do not disclose the debt to a third party.", "不得向第三方透露债务。", findings=tuple(disclosed))
    return None


def _identity(ctx: Context, rule: Rule) -> Outcome | None:
    # CONC 7.9.10R: confirm identity before discussing the debt; no "occupier" letters.
    addressee = (ctx.request.addressee or "").casefold()
    if ctx.channel == LETTER and ("occupier" in addressee or "resident" in addressee):
        return Outcome('No letters addressed to "the occupier".', "不得寄送收件人为“住户”的信件。")
    return None


def _visit(ctx: Context, rule: Rule) -> Outcome | None:
    # CONC 7.9.12R: state the purpose; no visit to a customer who is or may be vulnerable.
    if ctx.channel != VISIT:
        return None
    if ctx.facts.vulnerable:
        return Outcome("No visits to a customer who is or may be vulnerable.", "不得上门拜访可能属于弱势群体的客户。")
    visit = ctx.request.visit
    if visit is None or not visit.purpose_stated:
        return Outcome("A visit must have its purpose stated in advance.", "上门须事先说明目的。")
    return None


RULES = (
    Rule("GB.FORBEARANCE", "CONC 7.3.4R", VERIFIED, "forbearance review before escalation", _forbearance,
         scope=on(purposes=("escalation",))),
    Rule("GB.PRESSURE", "CONC 7.3.10R", VERIFIED, "no undue pressure: large sums, short deadlines, borrowing or selling property",
         wording_rule, kind="wording", scope=on(message=True)),
    Rule("GB.INFO", "CONC 7.4.1R", VERIFIED, "notices state the arrears and the balance", _information,
         frozen({"must_mention": (("arrears", "欠款"), ("balance", "余额"))}), kind="document",
         scope=on(message=True, purposes=("arrears_notice",))),
    Rule("GB.TIME", "CONC 7.9 (hours are firm policy)", VERIFIED,
         "no contact at unreasonable times; honour requests about when and how (window: firm policy)", _reasonable_time,
         frozen({"default_window": ("08:00", "21:00"), "zone": LONDON, "window_is_policy": True}),
         scope=on(CALL, SMS, EMAIL, VISIT, THIRD_PARTY), lifts=True),
    Rule("GB.THIRD_PARTY", "CONC 7.9.7R–7.9.8G", VERIFIED, "no disclosure to third parties; private and confidential post",
         _third_party, kind="wording", scope=on(LETTER, message=True)),
    Rule("GB.IDENTITY", "CONC 7.9.10R", VERIFIED, "confirm identity first; no occupier letters", _identity, scope=on(LETTER)),
    Rule("GB.VISIT", "CONC 7.9.12R", VERIFIED, "visits: purpose stated; not when vulnerable; no entry without consent", _visit,
         scope=on(VISIT)),
    Rule("GB.MISREP", "CONC 7.11", VERIFIED, "no false authority, official-looking documents or false claims of action",
         wording_rule, kind="wording", scope=on(message=True)),
)

WORDING = {
    VIOLENCE: ("GB.PRESSURE",), OBSCENE: ("GB.PRESSURE",), FALSE_AUTHORITY: ("GB.MISREP",), FALSE_ARREST: ("GB.MISREP",),
    ACTION_NOT_INTENDED: ("GB.MISREP",), EXPOSURE: ("GB.THIRD_PARTY",), MISSTATED_AMOUNT: ("GB.MISREP",),
    PRESSURE_TO_BORROW: ("GB.PRESSURE",), CONTACT_BAIT: ("GB.MISREP",),
}

PACK = Pack("GB", (PackVersion("GB", "2014-04-01", effective("2014-04-01"), RULES, WORDING,
                               note="FCA CONC 7 (consumer credit transferred to the FCA 1 April 2014)"),))
