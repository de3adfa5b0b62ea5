"""Rule packs: versioned data plus small predicates, each rule next to its citation.

A debtor's rules are the country pack plus any regional overlay (``US`` + ``US-MA``) plus
the firm-policy layer below.  Every applicable rule is evaluated; any block blocks, so the
strictest rule always wins.  Source of truth: shared/RULES.md (ids, citations, V/S/U marks).

Plain Python: no Django, no database.  Predicates read a ``Context`` (the request, the case
facts and a few cached derived values) and return an ``Outcome`` when they object.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, lru_cache
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


Check = Callable[["Context", "Rule"], "Outcome | None"]


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


def ref(rule: Rule) -> RuleRef:
    return RuleRef(rule.id, rule.citation)


# --- the context a predicate reads ------------------------------------------------------

class Context:
    """The request, the case facts, and derived values computed once per evaluation."""

    def __init__(self, request, policy: Policy, layers: Sequence[PackVersion], matcher: PhraseMatcher | None,
                 shared: dict | None = None):
        self.request = request
        self.facts = request.facts
        self.moment: datetime = request.moment.astimezone(UTC)
        self.channel: str = request.channel
        self.policy = policy
        self.layers = tuple(layers)
        self.matcher = matcher
        # Values that depend only on the case facts (not on the moment), shared by the
        # contexts of one evaluation (``evaluate`` re-runs the rules at later moments to
        # find ``next_allowed_at``).  Keys are private to this module.
        self._shared = shared if shared is not None else {}
        self._attempts: dict = {}

    # Pack data shared between rules (e.g. what counts as a call).
    def rule(self, rule_id: str) -> Rule | None:
        return _rule_index(self.layers).get(rule_id)

    @cached_property
    def zones(self) -> tuple[str, ...]:
        zones = self._shared.get("zones")
        if zones is None:
            f = self.facts
            zones = self._shared["zones"] = tz.candidate_zones(
                explicit=f.timezone,
                addresses=[(a.country, a.region, a.postal_code) for a in f.addresses],
                phones=[p.number for p in f.phones],
                country=f.jurisdiction.split("-")[0],
            )
        return zones

    def local_date(self, moment: datetime, zone_name: str) -> date:
        """``tz.local_date``, memoised for this evaluation (history moments recur in every rule)."""
        cache = self._shared.get("local_date")
        if cache is None:
            cache = self._shared["local_date"] = {}
        key = (moment, zone_name)
        found = cache.get(key)
        if found is None:
            found = cache[key] = tz.local_date(moment, zone_name)
        return found

    def phone_of(self, number: str | None):
        """``facts.phone(number)`` through a per-evaluation index (first match wins, as there)."""
        if not number:
            return None
        index = self._shared.get("phones")
        if index is None:
            index = {}
            for p in self.facts.phones:
                index.setdefault(p.number, p)
            self._shared["phones"] = index
        return index.get(number)

    @cached_property
    def phone(self):
        return self.phone_of(self.request.destination) if self.channel in (CALL, SMS) else None

    @cached_property
    def email(self):
        return self.facts.email(self.request.destination) if self.channel == EMAIL else None

    @cached_property
    def at_workplace(self) -> bool:
        if self.phone is not None:
            return self.phone.workplace
        if self.email is not None:
            return self.email.workplace
        if self.channel == VISIT and self.request.visit is not None:
            return self.request.visit.workplace
        return False

    @cached_property
    def at_residence(self) -> bool:
        if self.phone is not None:
            return self.phone.at_residence
        if self.channel == VISIT and self.request.visit is not None:
            return not self.request.visit.workplace
        return False

    def holds(self, kind: str) -> list:
        return [h for h in self.facts.holds if h.kind == kind and h.is_open(self.moment)]

    def consented(self, scope: str, *, within_days: int | None = None, zone_name: str | None = None) -> bool:
        """The consumer's direct prior consent for ``scope`` on this channel/destination."""
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
                if any(tz.local_date(self.moment, z) - tz.local_date(consent.given_at, z) >= timedelta(days=within_days) for z in zones):
                    continue
            return True
        return False

    def court_order_permits(self) -> bool:
        return bool(self.facts.court_order_permits_contact)

    def attempts(self, *, channels: Iterable[str] | None = None, same_debt: bool = True, since: datetime | None = None) -> list:
        key = (tuple(channels) if channels is not None else None, same_debt, since)
        found = self._attempts.get(key)
        if found is None:
            found = self._attempts[key] = self._filter_attempts(channels, same_debt, since)
        return list(found)

    def _history(self) -> list:
        """Prior attempts that reached someone, in order, each with its moment in UTC (once per evaluation)."""
        history = self._shared.get("history")
        if history is None:
            history = self._shared["history"] = [(a.moment.astimezone(UTC), a) for a in self.facts.prior_attempts if a.allowed]
        return history

    def _filter_attempts(self, channels, same_debt: bool, since: datetime | None) -> tuple:
        wanted = frozenset(channels) if channels is not None else None
        moment = self.moment
        since = since.astimezone(UTC) if since is not None else None
        out = []
        for utc, a in self._history():
            if utc > moment:
                continue
            if wanted is not None and a.channel not in wanted:
                continue
            if same_debt and not a.same_debt:
                continue
            if since is not None and utc < since:
                continue
            out.append(a)
        return tuple(out)

    @cached_property
    def wording_facts(self) -> WordingFacts:
        return WordingFacts.of(self.facts)

    @cached_property
    def normalised_message(self):
        return normalise(self.request.message) if self.request.message else None

    @cached_property
    def wording_findings(self) -> tuple[Finding, ...]:
        if self.matcher is None or self.normalised_message is None:
            return ()
        return tuple(self.matcher.scan(self.normalised_message, self.wording_facts))

    @property
    def purpose(self) -> str:
        return self.request.purpose

    @property
    def first_party(self) -> bool:
        return self.facts.collector_type == "first_party"


# --- reusable predicate pieces ----------------------------------------------------------

def outside_window(ctx: Context, zones: Sequence[str], window: tz.DailyWindow,
                   blocked: Sequence[tz.DailyWindow] = ()) -> datetime | None | bool:
    """False if ``ctx.moment`` is inside the window in every zone; else the next allowed moment (or None)."""
    return _outside_window(ctx.moment, tuple(zones), window, tuple(blocked))


@lru_cache(maxsize=1024)
def _outside_window(moment: datetime, zones: tuple[str, ...], window: tz.DailyWindow,
                    blocked: tuple[tz.DailyWindow, ...]) -> datetime | None | bool:
    # Pure function of hashable values: several rules ask the same question of one moment.
    if tz.is_allowed(moment, zones, window, blocked):
        return False
    return tz.next_allowed(moment, zones, window, blocked)


def fmt_local(moment: datetime | None, zones: Sequence[str]) -> str:
    return _fmt_local(moment, tuple(zones))


@lru_cache(maxsize=1024)
def _fmt_local(moment: datetime | None, zones: Sequence[str]) -> str:
    if moment is None:
        return "—"
    return ", ".join(f"{tz.local_wall(moment, z):%Y-%m-%d %H:%M} {z}" for z in zones[:3]) + (" …" if len(zones) > 3 else "")


def cap_lifts_on(days: Sequence[date], today: date, cap: int, window_days: int) -> date | None:
    """Calendar-day cap: ``cap`` contacts within ``window_days`` consecutive days ending today.

    Returns the first day a further contact is allowed if one is blocked today, else None.
    ``days`` are the local dates of the counted contacts (any order).
    """
    recent = sorted((d for d in days if d <= today), reverse=True)
    if len(recent) < cap or recent[cap - 1] <= today - timedelta(days=window_days):
        return None
    return recent[cap - 1] + timedelta(days=window_days)


def counted_cap(ctx: Context, attempts: Sequence, cap: int, window_days: int, zones: Sequence[str]) -> datetime | None:
    """Latest moment, over the candidate zones, at which a calendar-day cap lifts (None: not capped)."""
    if len(attempts) < cap:
        return None  # cap_lifts_on returns None in every zone
    # Only contacts dated after ``today - window_days`` can make cap_lifts_on return a day
    # (it returns None unless ``cap`` of them fall in the window), so older ones need no
    # local date.  A contact more than window_days + 3 days before the moment is dated at
    # least window_days + 1 days earlier in any zone (UTC offsets differ by < 27 hours),
    # so dropping those first does not change the result.
    horizon = ctx.moment - timedelta(days=window_days + 3)
    recent = [a for a in attempts if a.moment > horizon]
    if len(recent) < cap:
        return None
    lifts: list[datetime] = []
    for z in zones or ("UTC",):
        today = ctx.local_date(ctx.moment, z)
        day = cap_lifts_on([ctx.local_date(a.moment, z) for a in recent], today, cap, window_days)
        if day is not None:
            lifts.append(tz.start_of_local_day(day, z))
    return max(lifts) if lifts else None


def wording_rule(ctx: Context, rule: Rule) -> Outcome | None:
    """Block a message whose wording breaks this rule (findings carry spans for the composer)."""
    found = tuple(f for f in ctx.wording_findings if f.rule_id == rule.id)
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


POLICY_RULES = PackVersion(
    code="POLICY",
    version="2026-01-01",
    effective_from=effective("2000-01-01"),
    rules=(
        Rule("POLICY.HOLD.BANKRUPTCY", "Firm policy (hold register)", UNVERIFIED,
             "an open bankruptcy hold stops collection contact", _bankruptcy_hold, policy=True, default_on=True,
             params=MappingProxyType({"permitted_purposes": ("verification", "required_by_law")})),
        Rule("POLICY.HOLD.DECEASED", "Firm policy (hold register)", UNVERIFIED,
             "an open deceased hold stops contact addressed to the debtor", _deceased_hold, policy=True, default_on=True),
        Rule("POLICY.HOLD.COMPLAINT", "Firm policy (hold register)", UNVERIFIED,
             "an open complaint warns before contact", _complaint_hold, policy=True, default_on=True),
    ),
)


class PackRegistry:
    """Every pack and its versions, plus the installation's firm-policy settings."""

    def __init__(self, packs: Iterable[Pack], policy: Policy = Policy()):
        self.packs = {p.code: p for p in packs}
        self.policy = policy
        self._matchers: dict[tuple, PhraseMatcher] = {}

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
        return layers + [POLICY_RULES]

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


def default_registry(policy: Policy = Policy()) -> PackRegistry:
    from compliance.packs import cn, gb, us, us_ca, us_ma, us_wa

    return PackRegistry([us.PACK, us_ma.PACK, us_ca.PACK, us_wa.PACK, cn.PACK, gb.PACK], policy)
