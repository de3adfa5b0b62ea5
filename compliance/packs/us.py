"""United States — Regulation F (12 CFR part 1006) with its Official Interpretations.

Reg F binds third-party collectors and debt buyers.  Every rule here is marked ``reg_f``:
for a lender collecting its own loans (first party) it applies only by firm policy, which
is on by default (``Policy.us_first_party_reg_f``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from operator import attrgetter
from types import MappingProxyType as frozen

import holidays

from compliance import zones as tz
from compliance.packs import (
    CALL, CONVERSATION, DELIVERED, ELECTRONIC, EMAIL, LETTER, NO_ANSWER, NOT_IN_SERVICE, BUSY, PROMISE,
    RIGHT_PARTY_CONTACT, SENT, SMS, TALKED, THIRD_PARTY, UNDELIVERABLE, VERIFIED, VISIT, VOICEMAIL, WRONG_NUMBER,
    EVERY_REQUEST, Context, Outcome, Pack, PackVersion, Rule, after, cap_lookback, counted_cap, days, effective, epochs,
    fmt_local, minutes, on, outside_window, ref, wording_rule,
)
from compliance.wording import debt_disclosures, has_required
from compliance.wording_data import (
    ACTION_NOT_INTENDED, CONTACT_BAIT, EXPOSURE, FALSE_ARREST, FALSE_AUTHORITY, MISSTATED_AMOUNT, OBSCENE,
    PRESSURE_TO_BORROW, VIOLENCE,
)

CONVENIENT_HOURS = tz.DailyWindow(time(8), time(21))  # 1006.6(b)(1)(i): 8 a.m. to 9 p.m. local
CEASE_PERMITTED = ("cease_efforts_ending", "cease_remedy_may_invoke", "cease_remedy_intended")
# 1006.6(a): people who count as "the consumer" for communications.
CONSUMER_EQUIVALENTS = ("spouse", "parent_of_minor", "guardian", "executor", "administrator", "confirmed_successor")
# 1006.6(d)(1): people the collector may discuss the debt with.
PERMITTED_THIRD_PARTIES = CONSUMER_EQUIVALENTS + (
    "consumer_attorney", "credit_bureau", "creditor", "creditor_attorney", "collector_attorney",
)


# --- helpers used by several rules --------------------------------------------------------

def primary_zones(ctx: Context) -> tuple[str, ...]:
    """The consumer's own statement of location: explicit zone, else address, else all candidates."""
    return ctx.once("US.primary_zones", _primary_zones)


def _primary_zones(ctx: Context) -> tuple[str, ...]:
    f = ctx.facts
    if f.timezone:
        return (f.timezone,)
    if f.addresses:
        return _address_zones(f.addresses)
    return ctx.zones


@lru_cache(maxsize=4096)
def _address_zones(addresses: tuple) -> tuple[str, ...]:
    # A pure function of the addresses (cached by value).
    out: dict[str, None] = {}
    for a in addresses:
        out.update(dict.fromkeys(tz.address_zones(a.country, a.region, a.postal_code)))
    return tuple(out)


def reply_once_allowed(ctx: Context, since: datetime | None = None) -> bool:
    """One reply on the same medium to a contact the consumer initiated (comment 6(b)(1)-2,
    1006.6(b)(2)(iii), 1006.14(h)(2)(ii))."""
    if ctx.purpose != "reply":
        return False
    inbound = [c.moment for c in ctx.facts.consumer_contacts
               if c.channel == ctx.channel and c.moment <= ctx.moment and (since is None or c.moment >= since)]
    if not inbound:
        return False
    latest = max(inbound)
    already = [a for a in ctx.facts.prior_attempts if a.channel == ctx.channel and latest <= a.moment <= ctx.moment
               and a.purpose == "reply"]
    return not already


def named_inconvenient(ctx: Context) -> tuple[tz.DailyWindow, ...]:
    return ctx.once("inconvenient_times", _named_inconvenient)


def _named_inconvenient(ctx: Context) -> tuple[tz.DailyWindow, ...]:
    return tuple(tz.DailyWindow(t.start, t.end) for t in ctx.facts.inconvenient_times)


def counted_calls(ctx: Context, among: frozenset[str] | None = None, within_days: int | None = None) -> list:
    """1006.14(b)(2)-(3): calls that count toward the 7-in-7 presumption, per debt (those
    with an outcome ``among`` these, if given; made within ``within_days`` days, if given)."""
    counted = ctx.rule("US.CALLS.COUNTED").params["outcomes"]
    excluded = ctx.rule("US.CALLS.EXCLUDED").params["outcomes"]
    return ctx.select(("US.CALLS.COUNTED", counted, excluded, among), lambda calls: [
        a for a in calls if a.outcome in counted and a.outcome not in excluded and not a.consent
        and (among is None or a.outcome in among)], channels=(CALL,), within_days=within_days)


# --- time ----------------------------------------------------------------------------------

def _convenient_time(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.6(b)(1)(i): 8 a.m.–9 p.m. at the consumer's location, and never at a time the
    # consumer named inconvenient.  1006.6(b)(4): the consumer's direct prior consent or a
    # court order overrides.
    if ctx.channel not in rule.params["channels"] or ctx.consented("time") or ctx.court_order_permits():
        return None
    zones = primary_zones(ctx)
    named = () if reply_once_allowed(ctx) else named_inconvenient(ctx)  # US.TIME.REPLY
    result = outside_window(ctx, zones, CONVENIENT_HOURS, named)
    if result is False:
        return None
    return Outcome(
        f"Inconvenient time for the consumer (allowed 08:00–21:00 local and not at times the consumer named); next allowed {fmt_local(result, zones)}.",
        f"对消费者不便的时间（当地 08:00–21:00 以外或消费者指明的不便时间）；下一可联系时间 {fmt_local(result, zones)}。",
        until=result,
    )


def _ambiguous_location(ctx: Context, rule: Rule) -> Outcome | None:
    # Comment 6(b)(1)(i)-2: with conflicting location information, a time is convenient only
    # if it is convenient in every location (address zone and each phone's area code).
    if not ctx.once("US.conflicting_zones", _conflicting_zones):
        return None  # nothing conflicting: US.TIME covers it
    if ctx.channel not in rule.params["channels"] or ctx.consented("time") or ctx.court_order_permits():
        return None
    zones = ctx.zones
    named = () if reply_once_allowed(ctx) else named_inconvenient(ctx)
    result = outside_window(ctx, zones, CONVENIENT_HOURS, named)
    if result is False:
        return None
    return Outcome(
        f"Location uncertain: the moment must be convenient in every candidate zone ({', '.join(zones)}); next allowed {fmt_local(result, zones)}.",
        f"位置不确定：须在所有候选时区（{', '.join(zones)}）均为方便时间；下一可联系时间 {fmt_local(result, zones)}。",
        until=result,
    )


def _conflicting_zones(ctx: Context) -> bool:
    return _conflicting(ctx.zones, primary_zones(ctx))


@lru_cache(maxsize=4096)
def _conflicting(zones: tuple[str, ...], primary: tuple[str, ...]) -> bool:
    return not set(zones) <= set(primary)


# --- who may be contacted ---------------------------------------------------------------------

def _attorney(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.6(b)(2): once the collector knows the consumer has an attorney for the debt,
    # talk to the attorney.
    if ctx.channel == THIRD_PARTY or ctx.channel == LETTER and ctx.purpose == "required_by_law":
        return None
    for hold in ctx.holds("attorney"):
        if hold.attorney_consented or hold.attorney_unresponsive:
            continue  # 1006.6(b)(2)(i)-(ii)
        if ctx.consented("attorney") or ctx.court_order_permits() or reply_once_allowed(ctx, since=hold.opened_at):
            continue
        return Outcome("The consumer is represented by an attorney: contact the attorney.",
                       "消费者已委托律师：请联系其律师。")
    return None


def _workplace(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.6(b)(3): not at the place of employment if the employer prohibits it or the
    # consumer has said so ("not at work").
    f = ctx.facts
    if not ctx.at_workplace:
        return None
    told = f.not_at_work_since is not None and f.not_at_work_since <= ctx.moment
    if not (f.employer_prohibits_contact or told):
        return None
    if ctx.consented("workplace") or ctx.court_order_permits():
        return None
    return Outcome("Contact at the consumer's workplace is not allowed.", "不得在消费者工作场所联系。")


def _cease(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.6(c): after a written/electronic refusal or request to cease, only to say that
    # efforts are ending, that remedies may be invoked, or that a named remedy will be.
    if ctx.holds("cease") and ctx.purpose not in CEASE_PERMITTED and ctx.channel != THIRD_PARTY:
        return Outcome("The consumer asked us to cease communication: only the three permitted notices may be sent.",
                       "消费者已要求停止联系：仅可发送三类许可通知。")
    return None


def _third_party(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.6(d)(1)-(2): the debt may be discussed only with the consumer (and those who count
    # as the consumer), their attorney, credit bureaus, the creditor and attorneys.
    found = wording_rule(ctx, rule)
    if found:
        return found
    if ctx.channel != THIRD_PARTY:
        return None
    party = ctx.request.third_party
    if party is None:
        return Outcome("A third-party contact must say who the third party is.", "第三方联系须注明对象。")
    if party.relationship in PERMITTED_THIRD_PARTIES or ctx.purpose == "location":
        return None  # location requests are governed by US.LOCATION
    if ctx.consented("third_party") or ctx.court_order_permits():
        return None
    return Outcome("The debt may not be discussed with this third party.", "不得与该第三方讨论债务。")


def _location(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.10: location information only; never say the consumer owes a debt; each person
    # once unless asked or the earlier answer was wrong or incomplete; once an attorney is
    # known, only the attorney.
    party = ctx.request.third_party
    if ctx.channel != THIRD_PARTY or ctx.purpose != "location" or party is None:
        return None
    if party.relationship in PERMITTED_THIRD_PARTIES:
        return None
    if ctx.holds("attorney"):
        return Outcome("An attorney is known: seek location information only from the attorney.",
                       "已知律师：仅可向律师询问位置信息。")
    earlier = ctx.same_party(a.destination for a in ctx.attempts(channels=(THIRD_PARTY,))) \
        or ctx.same_party(ctx.facts.third_parties_contacted)
    if earlier and not (party.asked_to_recontact or party.earlier_answer_incomplete):
        return Outcome("This third party was already contacted for location information.",
                       "已就位置信息联系过该第三方。")
    if ctx.normalised_message is not None:
        found = debt_disclosures(ctx.normalised_message, ref(rule))
        if found:
            return Outcome("A location request must not reveal the debt.", "查找位置时不得透露债务。", findings=tuple(found))
    return None


def _electronic_safe(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.6(d)(3)-(5): procedures for email addresses and phone numbers used for electronic messages.
    if ctx.channel == EMAIL:
        email = ctx.email
        if email is None:
            return Outcome("Unknown email address.", "未知的电子邮箱地址。")
        window = rule.param("creditor_notice_min_days")
        notice_done = (email.creditor_notice_sent_at is not None and email.creditor_notice_opt_out_days >= window
                       and ctx.moment >= email.creditor_notice_sent_at + days(email.creditor_notice_opt_out_days))
        if email.consumer_used or email.consented or notice_done or email.inherited_from_prior_collector:
            return None
        return Outcome("This email address has not been shown to be one the consumer uses or agreed to.",
                       "该邮箱地址不符合安全条件（消费者未使用或未同意）。")
    if ctx.channel == SMS:
        phone = ctx.phone
        if phone is None:
            return Outcome("Unknown phone number.", "未知的电话号码。")
        bases = [m for m in (phone.last_consumer_text_at, phone.text_consent_at) if m is not None and m <= ctx.moment]
        if bases:
            basis = max(bases)
            if ctx.moment - basis <= days(rule.param("text_recency_days")):
                return None
            if phone.reassigned_check_at is not None and phone.reassigned_check_at >= basis and not phone.reassigned:
                return None
        return Outcome("This number may not receive texts: no recent text or consent from the consumer, and no reassigned-number check.",
                       "该号码不可接收短信：无近期消费者短信或同意，且未核查号码重新分配。")
    return None


def _opt_out_notice(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.6(e): every email and text carries a clear and simple way to opt out.
    if ctx.channel not in ELECTRONIC:
        return None
    if ctx.normalised_message is None:
        return Outcome("Message not supplied: opt-out notice not checked.", "未提供消息内容：未检查退订说明。", warning=True)
    if has_required(ctx.normalised_message, "opt_out", ctx.request.language):
        return None
    return Outcome('Electronic messages must carry a simple opt-out (e.g. "Reply STOP").',
                   "电子消息须包含简单的退订方式（如“回复TD退订”）。")


def _medium(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.14(h): a medium or address the consumer asked us not to use is blocked across all
    # their debts; exceptions: one confirmation of an electronic opt-out, one reply on the
    # medium the consumer used, and where the law requires that medium.
    for opt_out in ctx.facts.opt_outs:
        if opt_out.at > ctx.moment or opt_out.channel not in (None, ctx.channel):
            continue
        if opt_out.destination not in (None, ctx.request.destination):
            continue
        if ctx.purpose == "required_by_law":
            return None
        if ctx.purpose == "opt_out_confirmation" and ctx.channel in ELECTRONIC:
            confirmations = [a for a in ctx.facts.prior_attempts if a.purpose == "opt_out_confirmation"
                             and a.channel == ctx.channel and opt_out.at <= a.moment <= ctx.moment]
            if not confirmations:
                return None
        if reply_once_allowed(ctx, since=opt_out.at):
            return None
        return Outcome(f"The consumer asked not to be contacted by {ctx.channel}" + (" at this address." if opt_out.destination else "."),
                       f"消费者已要求不通过{ctx.channel}联系" + ("该地址。" if opt_out.destination else "。"))
    return None


# --- call frequency ------------------------------------------------------------------------------

def inbound_conversations(ctx: Context) -> list:
    """Telephone conversations about this debt on calls the consumer placed, up to the moment
    judged (1006.14(b)(2)(i)(B) counts them whoever called)."""
    return [c for c in ctx.facts.consumer_contacts
            if c.channel == CALL and c.outcome in TALKED and c.same_debt and c.moment <= ctx.moment]


def _seven_in_seven(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.14(b)(2): presumed harassment — more than 7 calls within 7 consecutive days, or a
    # call within 7 days after a telephone conversation (conversation day = day 1).
    if ctx.channel != CALL:
        return None
    if ctx.consented("calls", within_days=7):
        return None  # 1006.14(b)(3)(i): the person's direct prior consent within 7 days
    zones = ctx.zones
    lookback = cap_lookback(rule.params["days"])
    calls = counted_calls(ctx, within_days=lookback)
    lifts = []
    cap = counted_cap(ctx, calls, rule.params["cap"], rule.params["days"], zones)
    if cap is not None:
        lifts.append(cap)
    talked = counted_calls(ctx, TALKED, within_days=lookback)
    if ctx.facts.consumer_contacts:  # conversations on calls the consumer placed count too
        talked = sorted([*talked, *inbound_conversations(ctx)], key=attrgetter("moment"))
    quiet = counted_cap(ctx, talked, 1, rule.params["days"], zones)
    if quiet is not None:
        lifts.append(quiet)
    if not lifts:
        return None
    until = max(lifts)
    why = "7 calls already within 7 days" if cap is not None else "a telephone conversation within the last 7 days"
    return Outcome(f"Call frequency limit: {why}; next call allowed {fmt_local(until, zones)}.",
                   f"通话频率限制：{'7日内已拨打7次' if cap is not None else '7日内已有通话'}；下次可拨打时间 {fmt_local(until, zones)}。",
                   until=until)


def _burst(ctx: Context, rule: Rule) -> Outcome | None:
    # Comment 14(b)(2)(i)-2: within the cap, a burst can still be harassment — warn.
    if ctx.channel != CALL:
        return None
    calls = counted_calls(ctx, within_days=3)  # in time order; older calls cannot be today's
    if calls and calls[-1].moment >= ctx.moment - minutes(rule.params["burst_minutes"]):
        return Outcome("Two calls within 5 minutes may be harassment.", "5分钟内两次来电可能构成骚扰。", warning=True)
    zones = ctx.zones or ("UTC",)
    per_day = rule.params["calls_per_day"]
    if len(calls) + 1 < per_day:
        return None  # fewer recent calls than the daily count (same result as counting per zone)
    # A call on today's local date was made less than 3 days before the moment (offsets
    # differ by < 27 hours), so older calls need no local date.
    recent = after(calls, ctx.moment - days(3))
    if len(recent) + 1 < per_day:
        return None
    recent = epochs(recent)
    for z in zones:
        if tz.local_days(recent, z).count(tz.local_day(ctx.epoch, z)) + 1 >= per_day:
            return Outcome("Seven calls in one day may be harassment.", "一天内七次来电可能构成骚扰。", warning=True)
    return None


# --- content ---------------------------------------------------------------------------------------

def _harass(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.14(g): no call without meaningful disclosure of the caller's identity.
    if ctx.channel in (CALL, THIRD_PARTY) and not ctx.request.caller_identified:
        return Outcome("Calls must identify the caller.", "来电须表明身份。")
    return wording_rule(ctx, rule)


def _disclosure(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.18(e): first communication — attempting to collect a debt, information used for
    # that purpose; later — from a debt collector; in the language of the message.
    if ctx.purpose in ("limited_content", "location") or ctx.channel in (VISIT, THIRD_PARTY):
        return None
    if ctx.normalised_message is None:
        if ctx.channel in (SMS, EMAIL, LETTER):
            return Outcome("Message not supplied: required disclosures not checked.", "未提供消息内容：未检查法定披露。", warning=True)
        return None
    first = ctx.facts.initial_communication_at is None or ctx.facts.initial_communication_at >= ctx.moment
    needed = "initial_disclosure" if first else "later_disclosure"
    if has_required(ctx.normalised_message, needed, ctx.request.language):
        return None
    if first:
        return Outcome("First communication must say we are attempting to collect a debt and that information obtained will be used for that purpose.",
                       "首次沟通须说明我们正在催收债务，所获信息将用于该目的。")
    return Outcome("Communication must say it is from a debt collector.", "沟通内容须说明来自债务催收方。")


def _limited_content(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.2(j): a limited-content voicemail reveals nothing about the debt.
    if ctx.purpose != "limited_content" or ctx.normalised_message is None:
        return None
    found = debt_disclosures(ctx.normalised_message, ref(rule))
    if found:
        return Outcome("A limited-content message may not mention the debt.", "有限内容留言不得提及债务。", findings=tuple(found))
    return None


def _unfair(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.22(f): no postcards; envelopes show only our address and a name not revealing
    # collection; no email to a known employer-provided address.
    envelope = ctx.request.envelope
    if ctx.channel == LETTER and envelope is not None:
        if envelope.postcard:
            return Outcome("No postcards.", "不得使用明信片。")
        if envelope.sender_name and debt_disclosures(envelope.sender_name, ref(rule)):
            return Outcome("The envelope may not show a name revealing debt collection.", "信封不得显示透露催收的名称。")
        if envelope.other_markings:
            return Outcome("The envelope may show only our address and business name.", "信封只能显示地址和商号。")
    email = ctx.email
    if email is not None and email.workplace and not (email.consumer_used or email.consented):
        return Outcome("No email to an address known to be provided by the employer.", "不得向已知的雇主提供邮箱发送邮件。")
    return wording_rule(ctx, rule)


def _credit_report(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.30(a): before furnishing, speak to the consumer or send a letter/e-message and wait
    # 14 consecutive days for an undeliverable notice.
    if ctx.purpose != "credit_report":
        return None
    if any(a.outcome in TALKED for a in ctx.attempts(channels=(CALL,))):
        return None
    wait = days(rule.param("wait_days"))
    sent = [a for a in ctx.attempts(channels=(LETTER, EMAIL, SMS)) if a.outcome in (SENT, DELIVERED)]
    bounced = [a for a in ctx.attempts(channels=(LETTER, EMAIL, SMS)) if a.outcome == UNDELIVERABLE]
    for a in sorted(sent, key=lambda a: a.moment):
        if not any(b.moment >= a.moment and b.destination == a.destination for b in bounced):
            if ctx.moment >= a.moment + wait:
                return None
            return Outcome("Wait 14 days after the notice before furnishing.", "发出通知后须等待14天方可报送征信。",
                           until=a.moment + wait)
    return Outcome("Speak to the consumer or send a notice before furnishing to a credit bureau.",
                   "报送征信前须与消费者通话或发送通知。")


def _validation_timing(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.34(a): the validation notice goes with the initial communication or within 5 days.
    f = ctx.facts
    if f.initial_communication_at is None or f.validation_notice_sent_at is not None:
        return None
    if ctx.purpose == "validation_notice":
        return None
    if ctx.moment > f.initial_communication_at + days(rule.param("days_after_initial")):
        return Outcome("The validation notice is overdue: send it before further collection.",
                       "债务确认通知已逾期：须先发送再继续催收。")
    return None


def _dispute(ctx: Context, rule: Rule) -> Outcome | None:
    # 1006.38: a written dispute within the validation period stops collection until
    # verification (or the original creditor's details) is sent.
    for hold in ctx.holds("dispute"):
        timely = ctx.facts.validation_period_end is None or hold.opened_at.date() <= ctx.facts.validation_period_end
        if ctx.purpose in ("verification", "required_by_law"):
            return None
        if timely:
            return Outcome("Disputed within the validation period: collection paused until verification is sent.",
                           "债务在确认期内被异议：发送核实材料前暂停催收。")
        return Outcome("Open dispute received after the validation period: review before collecting.",
                       "确认期后收到的异议尚未处理：催收前请复核。", warning=True)
    return None


# --- document and record helpers ---------------------------------------------------------------------

def business_days_after(start: date, days: int) -> date:
    """``days`` days after ``start`` excluding US federal holidays, Saturdays and Sundays."""
    us_holidays = holidays.US(years=range(start.year, start.year + 2))
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in us_holidays:
            remaining -= 1
    return current


def validation_period_end(sent_on: date) -> date:
    """US.VALIDATION.PERIOD (1006.34(b)(5)): 30 days after assumed receipt, receipt assumed
    5 days (excluding federal holidays, Saturdays and Sundays) after sending."""
    return business_days_after(sent_on, 5) + timedelta(days=30)


def validation_notice_due(initial_communication: date) -> date:
    """US.VALIDATION.TIMING (1006.34(a)(1)(i)(B)): within 5 days after the initial communication."""
    return initial_communication + timedelta(days=5)


VALIDATION_ITEMS = (
    "debt_collector_statement", "collector_name", "collector_mailing_address", "consumer_name", "consumer_address",
    "itemization_creditor", "account_number", "current_creditor", "itemization_date", "amount_on_itemization_date",
    "itemization", "current_amount", "validation_period_end", "dispute_statement", "original_creditor_statement",
    "assumed_valid_statement", "cfpb_website", "response_section",
)


def missing_validation_items(notice: dict, electronic: bool = False) -> list[str]:
    """US.VALIDATION.CONTENT (1006.34(c)): items of the notice that are absent or empty."""
    items = VALIDATION_ITEMS + (("electronic_dispute_instructions",) if electronic else ())
    return [item for item in items if not notice.get(item)]


def retention_until(last_collection_activity: date) -> date:
    """US.RETENTION (1006.100(a)): three years after the last collection activity."""
    return _add_years(last_collection_activity, 3)


def recording_retention_until(call_on: date) -> date:
    """1006.100(b): telephone call recordings, three years from the call."""
    return _add_years(call_on, 3)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- the pack ---------------------------------------------------------------------------------------------

def _r(rule_id, citation, summary, check=None, *, kind="contact", scope=EVERY_REQUEST, lifts=False, **params):
    return Rule(rule_id, citation, VERIFIED, summary, check, frozen(params), reg_f=True, kind=kind, scope=scope, lifts=lifts)


CONSUMER_TIMED = (CALL, SMS, EMAIL, VISIT)
TO_THE_CONSUMER = (CALL, SMS, EMAIL, LETTER, VISIT)

RULES = (
    _r("US.TIME", "12 CFR 1006.6(b)(1)(i)", "no communication at an inconvenient time (08:00–21:00 local)",
       _convenient_time, scope=on(*CONSUMER_TIMED), lifts=True, channels=CONSUMER_TIMED, window=("08:00", "21:00")),
    _r("US.TIME.AMBIGUOUS", "12 CFR 1006.6(b)(1)(i), comment 6(b)(1)(i)-2", "allowed only if allowed in every candidate zone",
       _ambiguous_location, scope=on(*CONSUMER_TIMED), lifts=True, channels=CONSUMER_TIMED),
    _r("US.TIME.SENT", "12 CFR 1006.6(b)(1)(i), comment 6(b)(1)(i)-1", "email and text are judged at the moment of sending",
       kind="interpretation", judged_at="sending", channels=(SMS, EMAIL)),
    _r("US.TIME.REPLY", "12 CFR 1006.6(b)(1), comment 6(b)(1)-2", "one reply on the same medium to a consumer-initiated contact at a time they named inconvenient",
       kind="interpretation", replies=1),
    _r("US.ATTORNEY", "12 CFR 1006.6(b)(2)", "consumer represented by an attorney", _attorney,
       scope=on(*TO_THE_CONSUMER, needs=("holds",))),
    _r("US.WORKPLACE", "12 CFR 1006.6(b)(3)", "not at work if the employer prohibits or the consumer said so", _workplace,
       scope=on(*CONSUMER_TIMED)),
    _r("US.CEASE", "12 CFR 1006.6(c)", "after a cease request only three kinds of message", _cease,
       scope=on(*TO_THE_CONSUMER, needs=("holds",)),
       permitted=CEASE_PERMITTED),
    _r("US.THIRD_PARTY", "12 CFR 1006.6(d)(1)-(2)", "no discussing the debt with third parties", _third_party,
       scope=on(THIRD_PARTY, message=True), permitted=PERMITTED_THIRD_PARTIES),
    _r("US.LOCATION", "12 CFR 1006.10", "location calls: once per third party, never mention the debt", _location,
       scope=on(THIRD_PARTY, purposes=("location",))),
    _r("US.EMAIL.SAFE", "12 CFR 1006.6(d)(3)-(5)", "which addresses and numbers may receive electronic messages",
       _electronic_safe, scope=on(SMS, EMAIL), creditor_notice_min_days=35, text_recency_days=60),
    _r("US.OPT_OUT", "12 CFR 1006.6(e)", "every email or text carries a simple opt-out", _opt_out_notice, scope=on(SMS, EMAIL)),
    _r("US.MEDIUM", "12 CFR 1006.14(h)", "a medium or address the consumer refused is blocked across all their debts", _medium,
       scope=on(needs=("opt_outs",))),
    _r("US.CALLS.7IN7", "12 CFR 1006.14(b)(2)", "8th call in 7 days, or any call within 7 days of a conversation",
       _seven_in_seven, scope=on(CALL), lifts=True, cap=7, days=7),
    _r("US.CALLS.COUNTED", "12 CFR 1006.14(b), comments 14(b)-1, 14(b)(3)(ii)-1", "a call counts if it connects, rings, or reaches voicemail",
       kind="interpretation", outcomes=frozenset({CONVERSATION, RIGHT_PARTY_CONTACT, PROMISE, NO_ANSWER, VOICEMAIL}),
       not_counted_channels=(SMS, EMAIL)),
    _r("US.CALLS.EXCLUDED", "12 CFR 1006.14(b)(3)", "consented calls, unconnected calls, wrong numbers do not count",
       kind="interpretation", outcomes=frozenset({BUSY, NOT_IN_SERVICE, WRONG_NUMBER}), consent_days=7),
    Rule("US.CALLS.BURST", "12 CFR 1006.14(b)(2), comment 14(b)(2)(i)-2", VERIFIED, "warn: 2 calls within 5 minutes, 7 in a day",
         _burst, frozen({"burst_minutes": 5, "calls_per_day": 7}), reg_f=True, scope=on(CALL)),
    _r("US.HARASS", "12 CFR 1006.14(c)-(g)", "no violence, obscenity, debtor lists, or anonymous calls", _harass, kind="wording",
       scope=on(CALL, THIRD_PARTY, message=True)),
    _r("US.MISLEAD", "12 CFR 1006.18(b)-(d)", "no false or misleading representations", wording_rule, kind="wording",
       scope=on(message=True)),
    _r("US.DISCLOSURE", "12 CFR 1006.18(e)", "required mini-Miranda disclosures", _disclosure,
       scope=on(SMS, EMAIL, LETTER, message=True)),
    _r("US.LIMITED_CONTENT", "12 CFR 1006.2(j)", "limited-content voicemail reveals nothing about the debt", _limited_content,
       scope=on(message=True, purposes=("limited_content",))),
    _r("US.UNFAIR", "12 CFR 1006.22", "unfair practices: postcards, revealing envelopes, employer email, unauthorised fees",
       _unfair, scope=on(LETTER, EMAIL, message=True), postdated_cheque_days=5, deposit_notice_business_days=(3, 10)),
    _r("US.TIME_BARRED", "12 CFR 1006.26(b)", "no suit and no threat of suit on a time-barred debt", wording_rule, kind="wording",
       scope=on(message=True)),
    _r("US.CREDIT_REPORT", "12 CFR 1006.30(a)", "speak to the consumer or notify and wait before furnishing", _credit_report,
       scope=on(purposes=("credit_report",)), lifts=True, wait_days=14),
    _r("US.VALIDATION.TIMING", "12 CFR 1006.34(a)", "validation notice in or within 5 days after the initial communication",
       _validation_timing, scope=on(needs=("initial_communication_at",)), days_after_initial=5),
    _r("US.VALIDATION.PERIOD", "12 CFR 1006.34(b)(5)", "ends 30 days after assumed receipt (5 business days after sending)",
       kind="interpretation", receipt_business_days=5, period_days=30),
    _r("US.VALIDATION.CONTENT", "12 CFR 1006.34(c)", "validation notice items (Model Form B-1 safe harbour)",
       kind="document", items=VALIDATION_ITEMS, cfpb_website="www.cfpb.gov/debt-collection"),
    _r("US.DISPUTE", "12 CFR 1006.38", "a timely written dispute pauses collection until verification", _dispute,
       scope=on(needs=("holds",))),
    _r("US.RETENTION", "12 CFR 1006.100", "keep records 3 years after the last collection activity; recordings 3 years",
       kind="record", years=3, recording_years=3),
)

WORDING = {
    VIOLENCE: ("US.HARASS",), OBSCENE: ("US.HARASS",), FALSE_AUTHORITY: ("US.MISLEAD",), FALSE_ARREST: ("US.MISLEAD",),
    ACTION_NOT_INTENDED: ("US.MISLEAD",), EXPOSURE: ("US.THIRD_PARTY",), MISSTATED_AMOUNT: ("US.MISLEAD",),
    PRESSURE_TO_BORROW: ("US.UNFAIR",), CONTACT_BAIT: ("US.MISLEAD",),
}

PACK = Pack("US", (
    PackVersion("US", "2021-11-30", effective("2021-11-30"), RULES, WORDING,
                note="Regulation F as amended 2020, effective 30 November 2021"),
))
