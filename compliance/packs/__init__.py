"""Rule packs: versioned data plus small predicates, each rule next to its citation.

A debtor's rules are the country pack plus any regional overlay (``US`` + ``US-MA``) plus
the firm-policy layer below.  Every applicable rule is evaluated; any block blocks, so the
strictest rule always wins.  Source of truth: shared/RULES.md (ids, citations, V/S/U marks).

Plain Python: no Django, no database.  Predicates read a ``Context`` (the request, the case
facts and values derived from them once per evaluation) and return an ``Outcome`` when they
object.  Each rule also says which requests it can object to (``scope``: channels, purposes,
messages) and whether its objection lifts by itself (``lifts``: time windows, frequency caps,
waiting periods), so that the engine runs a rule only where it can matter and, looking for
the next allowed moment, re-runs only the rules that lift.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping, Sequence

from compliance import zones as tz
from compliance.wording import Finding, PhraseMatcher, RuleRef, WordingFacts, normalise, phrases_for

UTC = timezone.utc
VERIFIED, SECONDARY, UNVERIFIED = "V", "S", "U"

# Channels
CALL, SMS, EMAIL, LETTER, VISIT, THIRD_PARTY = "call", "sms", "email", "letter", "visit", "third_party"
CHANNELS = (CALL, SMS, EMAIL, LETTER, VISIT, THIRD_PARTY)
ELECTRONIC = frozenset({SMS, EMAIL})
# Channels whose timing the collector controls (a letter's arrival is not).
TIMED = frozenset({CALL, SMS, EMAIL, VISIT, THIRD_PARTY})

# Outcomes of a prior attempt
CONVERSATION, RIGHT_PARTY_CONTACT, PROMISE = "conversation", "right_party_contact", "promise"
NO_ANSWER, VOICEMAIL, BUSY, NOT_IN_SERVICE, WRONG_NUMBER = "no_answer", "voicemail", "busy", "not_in_service", "wrong_number"
SENT, DELIVERED, UNDELIVERABLE, VISITED, NOT_ATTEMPTED = "sent", "delivered", "undeliverable", "visited", "not_attempted"
TALKED = frozenset({CONVERSATION, RIGHT_PARTY_CONTACT, PROMISE})


@dataclass(frozen=True)
class Outcome:
    """A rule's objection: a block, or a warning that does not block."""

    message_en: str
    message_zh: str
    until: datetime | None = None   # the block lifts by itself then (time, frequency); None: indefinite
    warning: bool = False
    findings: tuple[Finding, ...] = ()

    # Written out rather than generated: a frozen dataclass's own __init__ sets each field
    # through object.__setattr__, which made building outcomes a visible share of a decision.
    def __init__(self, message_en: str, message_zh: str, until: datetime | None = None, warning: bool = False,
                 findings: tuple[Finding, ...] = ()):
        self.__dict__.update(message_en=message_en, message_zh=message_zh, until=until, warning=warning,
                             findings=findings)


Check = Callable[["Context", "Rule"], "Outcome | None"]


@dataclass(frozen=True)
class Scope:
    """The requests a rule can object to.  The engine runs a rule only on requests in its
    scope, so a scope may be wider than the rule's reach but never narrower: outside it the
    check must always return None."""

    channels: frozenset[str] | None = None   # None: every channel
    with_message: bool = False               # and any channel when the request carries a message
    purposes: frozenset[str] | None = None   # None: every purpose
    # Case facts (CaseFacts attribute names) the rule needs: it can object only when each is
    # present (not empty, not None).  Most cases have no hold and no opt-out.
    needs: frozenset[str] = frozenset()

    def admits(self, channel: str, purpose: str, has_message: bool) -> bool:
        if self.purposes is not None and purpose not in self.purposes:
            return False
        return self.channels is None or channel in self.channels or (self.with_message and has_message)


EVERY_REQUEST = Scope()


def on(*channels: str, message: bool = False, purposes: Iterable[str] | None = None,
       needs: Iterable[str] = ()) -> Scope:
    """``on(CALL)``: calls only; ``on(THIRD_PARTY, message=True)``: third-party contacts and any
    message; ``on(message=True)``: messages only; ``on(purposes=("credit_report",))``: any channel;
    ``on(needs=("holds",))``: any request, in a case with a hold."""
    return Scope(frozenset(channels) if channels or message else None, message,
                 frozenset(purposes) if purposes is not None else None, frozenset(needs))


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    status: str                      # V, S or U (RULES.md)
    summary: str
    check: Check | None = None       # None: a record-keeping, document or interpretive rule
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    policy: bool = False             # firm policy, never presented as law
    default_on: bool | None = None   # None: V and S on, U off
    reg_f: bool = False              # binds collectors; first-party cases only by firm policy
    kind: str = "contact"            # contact | interpretation | record | document | wording
    scope: Scope = EVERY_REQUEST     # which requests the check can object to
    # The objection can lift by itself (a time window, a frequency cap, a waiting period): the
    # only rules whose Outcome may carry ``until``, and the only ones re-run to find the next
    # allowed moment.
    lifts: bool = False

    @property
    def enabled_by_default(self) -> bool:
        return self.default_on if self.default_on is not None else self.status in (VERIFIED, SECONDARY)

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)


@dataclass(frozen=True)
class PackVersion:
    code: str
    version: str
    effective_from: datetime
    rules: tuple[Rule, ...]
    wording: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # category → rule ids
    note: str = ""

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class Pack:
    code: str
    versions: tuple[PackVersion, ...]
    parent: str | None = None

    def in_force(self, moment: datetime) -> PackVersion:
        current = None
        for version in _by_effective(self.versions):
            if version.effective_from <= moment:
                current = version
        if current is None:
            raise LookupError(f"no version of pack {self.code} in force at {moment.isoformat()}")
        return current

    def version(self, name: str) -> PackVersion:
        for v in self.versions:
            if v.version == name:
                return v
        raise LookupError(f"pack {self.code} has no version {name}")


# Caches keyed on object identity (pack versions hold mappings, so they are not hashable);
# each entry keeps its key objects alive so the ids stay valid.
_BY_EFFECTIVE: dict[tuple[int, ...], tuple] = {}


def _by_effective(versions: tuple[PackVersion, ...]) -> tuple[PackVersion, ...]:
    key = tuple(map(id, versions))
    found = _BY_EFFECTIVE.get(key)
    if found is None:
        found = _BY_EFFECTIVE[key] = (versions, tuple(sorted(versions, key=lambda v: v.effective_from)))
    return found[1]


@dataclass(frozen=True)
class Policy:
    """Installation settings for firm policy (labelled policy in every decision)."""

    us_first_party_reg_f: bool = True          # apply Regulation F to lenders collecting their own loans
    gb_time_window: tuple[time, time] = (time(8), time(21))  # CONC 7.9 has no hours: our policy
    enabled: frozenset[str] = frozenset()      # U rules switched on by this installation
    disabled: frozenset[str] = frozenset()     # policy rules switched off


@lru_cache(maxsize=1024)
def days(n: int) -> timedelta:
    """``timedelta(days=n)``, made once: building one costs more than the comparison it serves."""
    return timedelta(days=n)


@lru_cache(maxsize=1024)
def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def effective(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


_RULE_INDEX: dict[tuple[int, ...], tuple] = {}


def _rule_index(layers: tuple[PackVersion, ...]) -> dict[str, Rule]:
    key = tuple(map(id, layers))
    found = _RULE_INDEX.get(key)
    if found is None:
        index: dict[str, Rule] = {}
        for layer in layers:
            for rule in layer.rules:
                index.setdefault(rule.id, rule)  # first layer wins, as in Context.rule
        if len(_RULE_INDEX) > 256:
            _RULE_INDEX.clear()
        found = _RULE_INDEX[key] = (layers, index)
    return found[1]


@lru_cache(maxsize=4096)
def party_key(destination: str, country: str) -> str:
    """Who a third-party destination names, however it was written: a phone number as E.164
    ("(212) 555-0999" is "+12125550999"), else the words, case and spacing aside."""
    try:
        number = tz.phonenumbers.parse(destination, country)
        if tz.phonenumbers.is_valid_number(number):
            return tz.phonenumbers.format_number(number, tz.phonenumbers.PhoneNumberFormat.E164)
    except tz.phonenumbers.NumberParseException:
        pass
    return " ".join(destination.casefold().split())


def ref(rule: Rule) -> RuleRef:
    return RuleRef(rule.id, rule.citation)


# --- the context a predicate reads ------------------------------------------------------

class CaseView:
    """What an evaluation derives apart from the moment judged, computed once and shared by
    the contexts of one evaluation (``evaluate`` judges the request again at later moments to
    find ``next_allowed_at``): from the request, the destination's phone or email; from the
    case facts alone, the history in time order and selections from it, the candidate zones
    and remembered values, which ``evaluate_many`` also shares between requests about the
    same case at the same moment."""

    __slots__ = ("facts", "start", "phone", "email", "attempts", "latest_attempt", "latest_epoch", "histories",
                 "selections", "memo", "windows", "_zones")

    def __init__(self, request, like: "CaseView | None" = None):
        facts = self.facts = request.facts
        # The earliest moment judged (later ones look for next_allowed_at).
        self.start = request.moment.astimezone(UTC)
        destination, channel = request.destination, request.channel
        # First match wins, as in CaseFacts.phone / CaseFacts.email.
        self.phone = facts.phone(destination) if channel in (CALL, SMS) else None
        self.email = facts.email(destination) if channel == EMAIL else None
        if like is not None:
            # Another request about the same case (``like.facts is facts``) at the same moment:
            # what follows from the facts alone is shared.
            assert like.facts is facts and like.start == self.start
            self.attempts, self.latest_attempt, self._zones = like.attempts, like.latest_attempt, like._zones
            self.latest_epoch = like.latest_epoch
            self.histories, self.selections, self.windows = like.histories, like.selections, like.windows
            self.memo = like.memo
            return
        # Blocked attempts never reached anyone.  In time order (ties as in the facts), so that
        # "since", "until" and "the latest" are binary searches and slices.
        attempts = self.attempts = sorted(filter(_ALLOWED, facts.prior_attempts), key=_MOMENT)
        self.latest_attempt = attempts[-1].moment if attempts else None
        # Whole seconds, rounded up: ``latest_epoch <= ctx.epoch`` implies latest_attempt <= ctx.moment.
        self.latest_epoch = -math.floor(-attempts[-1].moment.timestamp()) if attempts else -math.inf
        self.histories: dict = {}   # by channels and same_debt
        self.selections: dict = {}  # Context.select
        self.memo: dict = {}        # Context.once
        self.windows: dict = {}     # outside_window
        self._zones = None

    @property
    def zones(self) -> tuple[str, ...]:
        if self._zones is None:
            f = self.facts
            self._zones = _candidate_zones(f.timezone, f.addresses, tuple(map(_NUMBER, f.phones)),
                                           f.jurisdiction.split("-")[0])
        return self._zones


@lru_cache(maxsize=4096)
def _candidate_zones(explicit: str | None, addresses: tuple, numbers: tuple[str, ...], country: str) -> tuple[str, ...]:
    # A pure function of the consumer's stated location and numbers (phonenumbers parsing is slow).
    return tz.candidate_zones(explicit=explicit, addresses=[(a.country, a.region, a.postal_code) for a in addresses],
                              phones=numbers, country=country)


class Context:
    """The request, the case facts, and derived values, at one moment of one evaluation."""

    __slots__ = ("request", "facts", "moment", "epoch", "micros", "channel", "purpose", "policy", "layers", "matcher",
                 "first_party", "case", "phone", "email", "at_workplace", "at_residence", "_index", "_findings",
                 "_windows")

    def __init__(self, request, policy: Policy, layers: Sequence[PackVersion], matcher: PhraseMatcher | None,
                 case: CaseView | None = None, *, moment: datetime | None = None, rule_index: Mapping | None = None):
        self.request = request
        facts = self.facts = request.facts
        # The moment judged: the request's own, or a later candidate for next_allowed_at.
        self.moment: datetime = (moment or request.moment).astimezone(UTC)
        # The same moment for integer wall-clock arithmetic (compliance.zones).
        self.epoch: int = tz.epoch_seconds(self.moment)
        self.micros: int = self.moment.microsecond
        channel = self.channel = request.channel
        self.purpose: str = request.purpose
        self.policy = policy
        self.layers = tuple(layers)
        self.matcher = matcher
        self.first_party: bool = facts.collector_type == "first_party"
        case = self.case = case if case is not None else CaseView(request)
        self._index = rule_index
        self._findings = None
        self._windows: dict = {}   # outside_window, at this moment
        phone = self.phone = case.phone
        email = self.email = case.email
        visit = request.visit if channel == VISIT else None
        if phone is not None:
            self.at_workplace, self.at_residence = phone.workplace, phone.at_residence
        elif email is not None:
            self.at_workplace, self.at_residence = email.workplace, False
        elif visit is not None:
            self.at_workplace, self.at_residence = visit.workplace, not visit.workplace
        else:
            self.at_workplace = self.at_residence = False

    def move_to(self, moment: datetime) -> None:
        """Judge the same request at a later candidate moment (``next_allowed_at``): nothing
        else in a context depends on the moment."""
        self.moment = moment = moment.astimezone(UTC)
        self.epoch = tz.epoch_seconds(moment)
        self.micros = moment.microsecond
        self._windows = {}

    # Pack data shared between rules (e.g. what counts as a call).
    def rule(self, rule_id: str) -> Rule | None:
        if self._index is None:
            self._index = _rule_index(self.layers)
        return self._index.get(rule_id)

    @property
    def zones(self) -> tuple[str, ...]:
        """Every zone the consumer may be in (comment 6(b)(1)(i)-2)."""
        return self.case.zones

    def once(self, key, compute: Callable[["Context"], Any]):
        """``compute(self)`` for a value that does not depend on the moment judged, computed
        once per evaluation (and shared with evaluate_many's other requests about the same
        case at the same moment); ``key`` names everything it depends on besides the case facts."""
        memo = self.case.memo
        try:
            return memo[key]
        except KeyError:
            value = memo[key] = compute(self)
            return value

    def holds(self, kind: str) -> list:
        holds = self.facts.holds
        if not holds:
            return []
        return [h for h in holds if h.kind == kind and h.is_open(self.moment)]

    def consented(self, scope: str, *, within_days: int | None = None, zone_name: str | None = None) -> bool:
        """The consumer's direct prior consent for ``scope`` on this channel/destination."""
        if not self.facts.consents:
            return False
        for consent in self.facts.consents:
            if consent.scope != scope or consent.given_at > self.moment:
                continue
            if consent.expires_at is not None and consent.expires_at <= self.moment:
                continue
            if consent.channel not in (None, self.channel):
                continue
            if consent.destination not in (None, self.request.destination):
                continue
            if within_days is not None:
                # Consent day = day 1 (comment 14(b)(3)(i)-1).
                zones = (zone_name,) if zone_name else self.zones or ("UTC",)
                if any(tz.local_date(self.moment, z) - tz.local_date(consent.given_at, z) >= days(within_days) for z in zones):
                    continue
            return True
        return False

    def court_order_permits(self) -> bool:
        return bool(self.facts.court_order_permits_contact)

    def same_party(self, destinations: Iterable[str]) -> bool:
        """Does one of these destinations name the third party this request is to?"""
        country = self.facts.jurisdiction.split("-")[0]
        wanted = party_key(self.request.destination, country)
        return any(party_key(d, country) == wanted for d in destinations)

    def attempts(self, *, channels: Iterable[str] | None = None, same_debt: bool = True, since: datetime | None = None) -> list:
        """Prior attempts that reached someone, up to the moment judged, in time order (ties in
        the order of the facts).  Callers must not modify the list."""
        return self._up_to_now(self._history(channels, same_debt), since)

    def select(self, key, keep: Callable[[list], list], *, channels: Iterable[str] | None = None,
               same_debt: bool = True, since: datetime | None = None, within_days: int | None = None) -> list:
        """``keep(attempts(...))``, where ``keep`` returns a sub-list in the order given.  The
        history does not change with the moment judged, so ``keep`` runs once per evaluation,
        on the whole history, under ``key`` (which must name everything it depends on besides
        the attempts it is given); only the cut at the moment is redone.  Callers must not
        modify the list.

        ``within_days``: only the attempts made at most that many days before the moment
        judged, for which ``keep`` must judge each attempt on its own (a filter); it then
        runs on the recent history only (frequency caps look back a few days, histories
        span years)."""
        if channels is not None and type(channels) is not tuple:
            channels = tuple(channels)
        case = self.case
        if within_days is not None and self.moment < case.start:  # not a moment the engine judges
            return self._up_to_now(keep(self._history(channels, same_debt)), self._within(since, within_days))
        found = case.selections.get((key, channels, same_debt, within_days))
        if found is None:
            found = case.selections[key, channels, same_debt, within_days] = keep(
                self._history(channels, same_debt, within_days))
        if since is None and case.latest_epoch <= self.epoch and (within_days is None or self.moment == case.start):
            return found  # the usual case: nothing to cut
        return self._up_to_now(found, self._within(since, within_days))

    def _within(self, since: datetime | None, within_days: int | None) -> datetime | None:
        """The later of ``since`` and ``within_days`` days before the moment judged."""
        if within_days is None:
            return since
        recent = self.moment - days(within_days)
        return recent if since is None or since < recent else since

    def _history(self, channels: Iterable[str] | None, same_debt: bool, within_days: int | None = None) -> list:
        """The attempts on ``channels`` (of this debt, if ``same_debt``); with ``within_days``,
        only those from that many days before the earliest moment judged on."""
        if channels is not None and type(channels) is not tuple:
            channels = tuple(channels)
        case = self.case
        found = case.histories.get((channels, same_debt, within_days))
        if found is None:
            attempts = case.attempts
            if within_days is not None:
                attempts = attempts[bisect_left(attempts, case.start - days(within_days), key=_MOMENT):]
            found = case.histories[channels, same_debt, within_days] = [
                a for a in attempts if (channels is None or a.channel in channels) and (a.same_debt or not same_debt)]
        return found

    def _up_to_now(self, attempts: list, since: datetime | None) -> list:
        if self.case.latest_epoch > self.epoch:  # judging a moment inside the history (perhaps)
            attempts = attempts[:bisect_right(attempts, self.moment, key=_MOMENT)]
        if since is not None and attempts and attempts[0].moment < since:
            attempts = attempts[bisect_left(attempts, since, key=_MOMENT):]
        return attempts

    @property
    def wording_facts(self) -> WordingFacts:
        return self.once("wording_facts", _wording_facts)

    @property
    def normalised_message(self):
        return self.once(("normalised_message", self.request.message), _normalised_message)

    @property
    def wording_findings(self) -> tuple[Finding, ...]:
        if self._findings is None:
            if self.matcher is None or self.normalised_message is None:
                self._findings = ()
            else:
                self._findings = self.once(("wording_findings", id(self.matcher), self.request.message),
                                           _wording_findings)
        return self._findings


_MOMENT = attrgetter("moment")
_ALLOWED = attrgetter("allowed")
_NUMBER = attrgetter("number")


def after(attempts: Sequence, moment: datetime) -> Sequence:
    """The attempts (in time order) later than ``moment``."""
    return attempts[bisect_right(attempts, moment, key=_MOMENT):]


def epochs(attempts: Iterable) -> list[int]:
    """The moments of ``attempts`` as epoch seconds (``tz.epoch_seconds``)."""
    return [tz.epoch_seconds(a.moment) for a in attempts]


def _wording_facts(ctx: Context) -> WordingFacts:
    return WordingFacts.of(ctx.facts)


def _normalised_message(ctx: Context):
    return normalise(ctx.request.message) if ctx.request.message else None


def _wording_findings(ctx: Context) -> tuple[Finding, ...]:
    return tuple(ctx.matcher.scan(ctx.normalised_message, ctx.wording_facts))


# --- reusable predicate pieces ----------------------------------------------------------

def outside_window(ctx: Context, zones: Sequence[str], window: tz.DailyWindow,
                   blocked: Sequence[tz.DailyWindow] = ()) -> datetime | None | bool:
    """False if ``ctx.moment`` is inside the window in every zone; else the next allowed moment (or None)."""
    # Several rules ask the same question of one moment: remembered for the moment (whether
    # it is inside) and for the evaluation (the next allowed moment, a costlier answer).
    zones, blocked = tuple(zones), tuple(blocked)
    question = (zones, window.bounds, tuple(b.bounds for b in blocked) if blocked else ())
    inside = ctx._windows.get(question)
    if inside is None:
        inside = ctx._windows[question] = tz.allowed_at(ctx.epoch, ctx.micros, zones, window, blocked)
    if inside:
        return False
    key = (ctx.moment, zones, window, blocked)
    answers = ctx.case.windows
    try:
        return answers[key]
    except KeyError:
        answer = answers[key] = tz.next_allowed(*key)
        return answer


def fmt_local(moment: datetime | None, zones: Sequence[str]) -> str:
    return _fmt_local(moment, tuple(zones))


@lru_cache(maxsize=1024)
def _fmt_local(moment: datetime | None, zones: Sequence[str]) -> str:
    if moment is None:
        return "—"
    return ", ".join(f"{tz.local_wall(moment, z):%Y-%m-%d %H:%M} {z}" for z in zones[:3]) + (" …" if len(zones) > 3 else "")


def cap_lookback(window_days: int) -> int:
    """How many days before the moment judged ``counted_cap`` looks for contacts counting
    toward a cap over ``window_days`` calendar days (callers may select only those)."""
    return window_days + 3


def cap_lifts_on(days: Sequence[int], today: int, cap: int, window_days: int) -> int | None:
    """Calendar-day cap: ``cap`` contacts within ``window_days`` consecutive days ending today.

    Returns the first day a further contact is allowed if one is blocked today, else None.
    ``days`` are the local dates (day numbers, ``tz.local_day``) of the counted contacts (any order).
    """
    recent = sorted([d for d in days if d <= today], reverse=True)
    if len(recent) < cap or recent[cap - 1] <= today - window_days:
        return None
    return recent[cap - 1] + window_days


def counted_cap(ctx: Context, attempts: Sequence, cap: int, window_days: int, zones: Sequence[str]) -> datetime | None:
    """Latest moment, over the candidate zones, at which a calendar-day cap lifts (None: not capped).

    ``attempts`` in time order, as ``Context.attempts`` and ``Context.select`` give them.
    """
    # Only contacts dated after ``today - window_days`` can make cap_lifts_on return a day
    # (it returns None unless ``cap`` of them fall in the window), so older ones need no
    # local date.  A contact window_days + 3 days or more before the moment is dated at
    # least window_days + 1 days earlier in any zone (UTC offsets differ by < 27 hours),
    # so dropping those first does not change the result.
    if len(attempts) < cap:
        return None  # fewer contacts in all than the cap
    recent = after(attempts, ctx.moment - days(cap_lookback(window_days)))
    if len(recent) < cap:
        return None  # cap_lifts_on returns None in every zone
    recent = epochs(recent)
    lifts = None
    for z in zones or ("UTC",):
        today = tz.local_day(ctx.epoch, z)
        day = cap_lifts_on(tz.local_days(recent, z), today, cap, window_days)
        if day is not None:
            lift = tz.start_of_local_day(tz.day_date(day), z)
            if lifts is None or lift > lifts:
                lifts = lift
    return lifts


def wording_rule(ctx: Context, rule: Rule) -> Outcome | None:
    """Block a message whose wording breaks this rule (findings carry spans for the composer)."""
    findings = ctx.wording_findings
    if not findings:
        return None
    found = tuple(f for f in findings if f.rule_id == rule.id)
    if not found:
        return None
    cats = ", ".join(sorted({f.category for f in found}))
    quoted = "; ".join(f'"{f.text}"' for f in found[:3])
    return Outcome(f"Wording not allowed ({cats}): {quoted}.", f"措辞不合规（{cats}）：{quoted}。", findings=found)


def build_matcher(layers: Sequence[PackVersion]) -> PhraseMatcher:
    category_rules: dict[str, list[RuleRef]] = {}
    time_barred = None
    for layer in layers:
        for category, rule_ids in layer.wording.items():
            for rule_id in rule_ids:
                rule = layer.rule(rule_id)
                if rule is not None:
                    category_rules.setdefault(category, []).append(ref(rule))
        barred = layer.rule("US.TIME_BARRED")
        if barred is not None:
            time_barred = ref(barred)
    return PhraseMatcher(phrases_for(layer.code for layer in layers), category_rules, time_barred)


# --- firm policy applied everywhere --------------------------------------------------------

def _bankruptcy_hold(ctx: Context, rule: Rule) -> Outcome | None:
    if ctx.holds("bankruptcy") and ctx.purpose not in rule.param("permitted_purposes"):
        return Outcome("Bankruptcy hold: no collection contact.", "破产暂停：不得进行催收联系。")
    return None


def _deceased_hold(ctx: Context, rule: Rule) -> Outcome | None:
    if ctx.holds("deceased") and ctx.channel != THIRD_PARTY:
        return Outcome("Deceased hold: contact only the estate's representative.", "债务人已故：仅可联系遗产代理人。")
    return None


def _complaint_hold(ctx: Context, rule: Rule) -> Outcome | None:
    if ctx.holds("complaint"):
        return Outcome("Open complaint: supervisor review advised before contact.", "存在未结投诉：联系前建议主管复核。", warning=True)
    return None


def _open_hold_without_own_rule(kind: str, ctx: Context, rule: Rule) -> bool:
    """An open hold of this kind, in a jurisdiction whose packs have no rule of their own
    for it (US.DISPUTE and US.CEASE decide those holds for US debtors)."""
    if any(ctx.rule(own) is not None for own in rule.param("unless_pack_has")):
        return False
    return bool(ctx.holds(kind)) and ctx.purpose not in rule.param("permitted_purposes")


def _dispute_hold(ctx: Context, rule: Rule) -> Outcome | None:
    if _open_hold_without_own_rule("dispute", ctx, rule):
        return Outcome("Open dispute: collection is paused until the dispute is answered.",
                       "存在未处理的异议：异议答复前暂停催收。")
    return None


def _cease_hold(ctx: Context, rule: Rule) -> Outcome | None:
    if _open_hold_without_own_rule("cease", ctx, rule):
        return Outcome("The debtor asked us to stop contacting them: no collection contact.",
                       "债务人已要求停止联系：不得进行催收联系。")
    return None


POLICY_2026_01 = PackVersion(
    code="POLICY",
    version="2026-01-01",
    effective_from=effective("2000-01-01"),
    rules=(
        Rule("POLICY.HOLD.BANKRUPTCY", "Firm policy (hold register)", UNVERIFIED,
             "an open bankruptcy hold stops collection contact", _bankruptcy_hold, policy=True, default_on=True,
             scope=on(needs=("holds",)),
             params=MappingProxyType({"permitted_purposes": ("verification", "required_by_law")})),
        Rule("POLICY.HOLD.DECEASED", "Firm policy (hold register)", UNVERIFIED,
             "an open deceased hold stops contact addressed to the debtor", _deceased_hold, policy=True, default_on=True,
             scope=on(CALL, SMS, EMAIL, LETTER, VISIT, needs=("holds",))),
        Rule("POLICY.HOLD.COMPLAINT", "Firm policy (hold register)", UNVERIFIED,
             "an open complaint warns before contact", _complaint_hold, policy=True, default_on=True,
             scope=on(needs=("holds",))),
    ),
)
# Dispute and cease holds block contact in every jurisdiction, not only where the law's own
# rule does (RULES.md has none for CN or GB): a collector who records a dispute expects
# collection to pause. A new version, so decisions made before it replay unchanged.
POLICY_2026_11 = replace(
    POLICY_2026_01, version="2026-11-25", effective_from=effective("2026-11-25"),
    rules=POLICY_2026_01.rules + (
        Rule("POLICY.HOLD.DISPUTE", "Firm policy (hold register)", UNVERIFIED,
             "an open dispute hold pauses collection contact where the jurisdiction has no dispute rule",
             _dispute_hold, policy=True, default_on=True, scope=on(needs=("holds",)),
             params=MappingProxyType({"unless_pack_has": ("US.DISPUTE",),
                                      "permitted_purposes": ("verification", "required_by_law")})),
        Rule("POLICY.HOLD.CEASE", "Firm policy (hold register)", UNVERIFIED,
             "an open cease hold stops collection contact where the jurisdiction has no cease rule",
             _cease_hold, policy=True, default_on=True, scope=on(needs=("holds",)),
             params=MappingProxyType({"unless_pack_has": ("US.CEASE",),
                                      "permitted_purposes": ("required_by_law", "cease_efforts_ending")})),
    ),
)
POLICY = Pack("POLICY", (POLICY_2026_01, POLICY_2026_11))


class Plan:
    """The rules that can object to one kind of request (collector type, channel, purpose,
    message or not) under one set of layers and one policy, in pack order."""

    __slots__ = ("rules", "lifting", "steady")

    def __init__(self, rules: tuple[Rule, ...]):
        self.rules = rules
        self.lifting = tuple(r for r in rules if r.lifts)       # re-judged at later moments
        self.steady = tuple(r for r in rules if not r.lifts)    # judged once more, at the answer


class LayerSet:
    """The pack versions applied to a decision (country, overlay, firm policy) and what
    follows from them alone, worked out once per combination."""

    __slots__ = ("layers", "pack_version", "pack_versions", "rule_index", "needs", "_needed", "_registry", "_matcher",
                 "_plans")

    def __init__(self, registry: "PackRegistry", layers: Sequence[PackVersion]):
        self.layers = tuple(layers)
        self.pack_version = "; ".join(f"{layer.code} {layer.version}" for layer in self.layers if layer.code != "POLICY")
        self.pack_versions = MappingProxyType({layer.code: layer.version for layer in self.layers})
        self.rule_index = _rule_index(self.layers)
        self.needs = tuple(sorted({need for layer in self.layers for rule in layer.rules for need in rule.scope.needs}))
        self._needed = _reader(self.needs)
        self._registry = registry
        self._matcher: PhraseMatcher | None = None
        self._plans: dict[tuple, Plan] = {}

    def matcher(self) -> PhraseMatcher:
        if self._matcher is None:
            self._matcher = self._registry.matcher(self.layers)
        return self._matcher

    def plan(self, first_party: bool, channel: str, purpose: str, has_message: bool, facts: Any = None) -> Plan:
        """The rules that can object to this kind of request in a case with these ``facts``
        (only which of ``self.needs`` they have matters; None: every rule's needs met)."""
        present = (True,) * len(self.needs) if facts is None else tuple(map(bool, self._needed(facts)))
        key = (first_party, channel, purpose, has_message, present)
        plan = self._plans.get(key)
        if plan is None:
            given = frozenset(need for need, there in zip(self.needs, present) if there)
            registry = self._registry
            if len(self._plans) > 4096:  # purposes come from callers: keep the cache bounded
                self._plans.clear()
            plan = self._plans[key] = Plan(tuple(
                rule for layer in self.layers for rule in layer.rules
                if registry.applies(rule, first_party) and rule.scope.admits(channel, purpose, has_message)
                and rule.scope.needs <= given))
        return plan


def _reader(names: Sequence[str]) -> Callable[[Any], tuple]:
    """A function reading these attributes of an object, as a tuple (one C call)."""
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return attrgetter(*names) if names else lambda obj: ()


class PackRegistry:
    """Every pack and its versions, plus the installation's firm-policy settings."""

    def __init__(self, packs: Iterable[Pack], policy: Policy = Policy()):
        self.packs = {p.code: p for p in packs}
        self.policy = policy
        self._matchers: dict[tuple, PhraseMatcher] = {}
        self._sets_policy: Policy | None = None
        self._sets: dict[tuple, LayerSet] = {}
        self._periods: dict[str, tuple] = {}

    def with_policy(self, **changes) -> "PackRegistry":
        registry = PackRegistry(self.packs.values(), replace(self.policy, **changes))
        registry._matchers = self._matchers
        return registry

    def chain(self, jurisdiction: str) -> list[Pack]:
        """Country pack, then the regional overlay if one exists (US-NY → US only)."""
        country = jurisdiction.split("-")[0]
        chain = [self.packs[country]]
        if jurisdiction != country and jurisdiction in self.packs:
            chain.append(self.packs[jurisdiction])
        return chain

    def layers(self, jurisdiction: str, moment: datetime, versions: Mapping[str, str] | None = None) -> list[PackVersion]:
        layers = []
        for pack in self.chain(jurisdiction):
            if versions and pack.code in versions:
                layers.append(pack.version(versions[pack.code]))
            else:
                layers.append(pack.in_force(moment))
        policy = POLICY.version(versions["POLICY"]) if versions and "POLICY" in versions else POLICY.in_force(moment)
        return layers + [policy]

    def layer_set(self, jurisdiction: str, moment: datetime, versions: Mapping[str, str] | None = None) -> LayerSet:
        """``layers(...)`` with what follows from them (rule plans, matcher, version labels)."""
        if self._sets_policy is not self.policy:  # plans depend on the policy
            self._sets, self._periods, self._sets_policy = {}, {}, self.policy
        if versions:
            return self._layer_set(self.layers(jurisdiction, moment, versions))
        # Between two effective dates of the jurisdiction's packs the same versions are in force.
        period = self._periods.get(jurisdiction)
        if period is None:
            starts = sorted({v.effective_from for pack in (*self.chain(jurisdiction), POLICY) for v in pack.versions})
            period = self._periods[jurisdiction] = (starts, {})
        starts, found = period
        index = bisect_right(starts, moment)
        layer_set = found.get(index)
        if layer_set is None:
            layer_set = found[index] = self._layer_set(self.layers(jurisdiction, moment))
        return layer_set

    def _layer_set(self, layers: list[PackVersion]) -> LayerSet:
        key = tuple((layer.code, layer.version) for layer in layers)
        layer_set = self._sets.get(key)
        if layer_set is None:
            layer_set = self._sets[key] = LayerSet(self, layers)
        return layer_set

    def matcher(self, layers: Sequence[PackVersion]) -> PhraseMatcher:
        key = tuple((layer.code, layer.version) for layer in layers)
        matcher = self._matchers.get(key)
        if matcher is None:
            matcher = self._matchers[key] = build_matcher(layers)
        return matcher

    def is_enabled(self, rule: Rule) -> bool:
        if rule.id in self.policy.disabled:
            return False
        return rule.enabled_by_default or rule.id in self.policy.enabled

    def applies(self, rule: Rule, first_party: bool) -> bool:
        """Does the rule take part in decisions for this collector type under this installation?"""
        if rule.check is None or not self.is_enabled(rule):
            return False
        if rule.reg_f and first_party and not self.policy.us_first_party_reg_f:
            return False  # Reg F binds collectors; lenders only by firm policy
        return True


def default_registry(policy: Policy = Policy()) -> PackRegistry:
    from compliance.packs import cn, gb, us, us_ca, us_ma, us_wa

    return PackRegistry([us.PACK, us_ma.PACK, us_ca.PACK, us_wa.PACK, cn.PACK, gb.PACK], policy)
