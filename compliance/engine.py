"""The compliance engine: may we make this contact, here and now, in these words?

``evaluate(request)`` returns a ``Decision`` (allowed, reasons with rule ids and citations,
warnings, the pack and version applied, and — when only time or frequency blocks — the
next moment allowed).  Plain Python: no Django, no ORM, no database.  The gate
(``compliance.gate``) builds ``CaseFacts`` from the database and stores ``Decision.to_dict()``
with every contact attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Iterable, Mapping

from compliance.packs import (
    CHANNELS, CaseView, Context, LayerSet, Outcome, PackRegistry, Plan, Rule, default_registry,
)
from compliance.wording import Finding, WordingFacts, normalise

UTC = timezone.utc
LANGUAGES = ("en", "zh-Hans")
HOLD_KINDS = ("dispute", "cease", "attorney", "bankruptcy", "deceased", "complaint")


# --- case facts ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Hold:
    kind: str                     # dispute, cease, attorney, bankruptcy, deceased, complaint
    opened_at: datetime
    closed_at: datetime | None = None
    attorney_consented: bool = False      # 1006.6(b)(2)(ii)
    attorney_unresponsive: bool = False   # 1006.6(b)(2)(i): no response within a reasonable time

    def is_open(self, moment: datetime) -> bool:
        return self.opened_at <= moment and (self.closed_at is None or self.closed_at > moment)


@dataclass(frozen=True)
class Consent:
    """The consumer's direct prior consent.  Scopes: time, workplace, attorney, calls,
    electronic, third_party."""

    scope: str
    given_at: datetime
    channel: str | None = None
    destination: str | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class OptOut:
    """A request not to be contacted by a medium (channel) or at one address (destination)."""

    at: datetime
    channel: str | None = None
    destination: str | None = None


@dataclass(frozen=True)
class Phone:
    number: str
    line: str = "unknown"            # mobile, landline, voip, unknown
    workplace: bool = False          # place of employment
    at_residence: bool = False
    personal: bool = False           # given by the debtor as a personal number
    last_consumer_text_at: datetime | None = None
    text_consent_at: datetime | None = None
    reassigned_check_at: datetime | None = None
    reassigned: bool = False


@dataclass(frozen=True)
class Email:
    address: str
    workplace: bool = False          # known to be provided by the employer
    consumer_used: bool = False      # the consumer wrote to us from it
    consented: bool = False
    creditor_notice_sent_at: datetime | None = None
    creditor_notice_opt_out_days: int = 0
    inherited_from_prior_collector: bool = False


@dataclass(frozen=True)
class PostalAddress:
    country: str
    region: str | None = None
    postal_code: str | None = None
    residence: bool = True


@dataclass(frozen=True)
class InconvenientTime:
    """A daily period the consumer named inconvenient, in their local time (may wrap midnight)."""

    start: time
    end: time


@dataclass(frozen=True)
class PriorAttempt:
    channel: str
    moment: datetime
    outcome: str
    destination: str = ""
    allowed: bool = True             # blocked attempts never reached anyone
    consent: bool = False            # made with the person's direct prior consent (1006.14(b)(3)(i))
    at_residence: bool = False
    workplace: bool = False
    same_debt: bool = True           # False: another debt of the same debtor
    purpose: str = "collection"
    relationship: str | None = None  # for third-party contacts


@dataclass(frozen=True)
class ConsumerContact:
    """A contact the consumer initiated: for the one-reply exceptions, and a telephone
    conversation the consumer started counts like one we started (1006.14(b)(2)(i)(B);
    CFPB FAQ: "regardless of which party initiated the telephone call")."""

    channel: str
    moment: datetime
    outcome: str = ""
    same_debt: bool = True           # False: about another debt of the same debtor


@dataclass(frozen=True)
class CaseFacts:
    jurisdiction: str                              # US, US-MA, US-CA, US-WA, CN, GB
    collector_type: str = "third_party"            # first_party | third_party
    holds: tuple[Hold, ...] = ()
    consents: tuple[Consent, ...] = ()
    opt_outs: tuple[OptOut, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    addresses: tuple[PostalAddress, ...] = ()
    timezone: str | None = None
    inconvenient_times: tuple[InconvenientTime, ...] = ()
    validation_period_end: date | None = None
    initial_communication_at: datetime | None = None
    validation_notice_sent_at: datetime | None = None
    # wording facts
    suit_authorized: bool = False
    judgment_exists: bool = False
    time_barred: bool = False
    is_attorney: bool = False
    # workplace (1006.6(b)(3))
    employer_prohibits_contact: bool = False
    not_at_work_since: datetime | None = None
    court_order_permits_contact: bool = False
    # third parties
    debtor_unreachable: bool = False
    debtor_incapacitated: bool = False
    third_parties_contacted: tuple[str, ...] = ()   # reached before, however long ago
    third_parties_refused: tuple[str, ...] = ()     # of those, who refused to help
    # history
    prior_attempts: tuple[PriorAttempt, ...] = ()
    consumer_contacts: tuple[ConsumerContact, ...] = ()
    # jurisdiction specifics
    california_license_number: str | None = None
    outsourcing_notified_at: datetime | None = None
    forbearance_reviewed_at: datetime | None = None
    vulnerable: bool = False

    def phone(self, number: str | None) -> Phone | None:
        if number:
            for p in self.phones:
                if p.number == number:
                    return p
        return None

    def email(self, address: str | None) -> Email | None:
        if not address:
            return None
        wanted = address.casefold()
        return next((e for e in self.emails if e.address.casefold() == wanted), None)


# --- the request ----------------------------------------------------------------------------------

# Who a third party is to the debtor: the words the packs decide on (US.THIRD_PARTY,
# US.LOCATION, CN.THIRD_PARTY).
THIRD_PARTY_RELATIONSHIPS = (
    "spouse", "parent_of_minor", "guardian", "executor", "administrator", "confirmed_successor", "consumer_attorney",
    "credit_bureau", "creditor", "creditor_attorney", "collector_attorney", "guarantor", "family", "neighbour",
    "employer", "other",
)
# Why a third party is contacted: to find the debtor (1006.10), to pass on a message, or to
# discuss the debt with someone the law lets us (1006.6(d)(2)).
THIRD_PARTY_PURPOSES = ("location", "pass_message", "collection")


@dataclass(frozen=True)
class ThirdParty:
    relationship: str                # one of THIRD_PARTY_RELATIONSHIPS
    asked_to_recontact: bool = False
    earlier_answer_incomplete: bool = False
    refused: bool = False            # known to have refused, beyond CaseFacts.third_parties_refused


@dataclass(frozen=True)
class Visit:
    collectors: int = 1
    workplace: bool = False
    requested_by_consumer: bool = False
    purpose_stated: bool = True


@dataclass(frozen=True)
class Envelope:
    postcard: bool = False
    marked_private: bool = True
    sender_name: str = ""
    other_markings: bool = False


@dataclass(frozen=True)
class ContactRequest:
    channel: str                     # call, sms, email, letter, visit, third_party
    moment: datetime                 # aware; for email and text, the moment of sending
    facts: CaseFacts
    destination: str = ""
    message: str | None = None
    language: str = "en"             # en | zh-Hans
    # collection (default), reply, verification, validation_notice, first_written_notice,
    # limited_content, location, pass_message, opt_out_confirmation, required_by_law,
    # cease_efforts_ending, cease_remedy_may_invoke, cease_remedy_intended, credit_report,
    # escalation, arrears_notice
    purpose: str = "collection"
    third_party: ThirdParty | None = None
    visit: Visit | None = None
    envelope: Envelope | None = None
    addressee: str | None = None
    caller_identified: bool = True

    def __post_init__(self):
        if self.channel not in CHANNELS:
            raise ValueError(f"unknown channel {self.channel!r}")
        if self.language not in LANGUAGES:
            raise ValueError(f"unknown language {self.language!r}")
        if self.moment.tzinfo is None or self.moment.utcoffset() is None:
            raise ValueError("moment must be timezone-aware")


# --- the decision ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reason:
    rule_id: str
    citation: str
    message_en: str
    message_zh: str
    status: str = "V"
    policy: bool = False             # firm policy, not law

    # Written out rather than generated: a frozen dataclass's own __init__ sets each field
    # through object.__setattr__, which made building reasons a visible share of a decision.
    def __init__(self, rule_id: str, citation: str, message_en: str, message_zh: str, status: str = "V",
                 policy: bool = False):
        self.__dict__.update(rule_id=rule_id, citation=citation, message_en=message_en, message_zh=message_zh,
                             status=status, policy=policy)

    def to_dict(self) -> dict:
        return {"rule_id": self.rule_id, "citation": self.citation, "message_en": self.message_en,
                "message_zh": self.message_zh, "status": self.status, "policy": self.policy}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...]
    pack: str
    pack_version: str
    pack_versions: Mapping[str, str]
    next_allowed_at: datetime | None
    findings: tuple[Finding, ...] = ()
    moment: datetime | None = None

    # Written out rather than generated, as for Reason.
    def __init__(self, allowed: bool, reasons: tuple[Reason, ...], warnings: tuple[Reason, ...], pack: str,
                 pack_version: str, pack_versions: Mapping[str, str], next_allowed_at: datetime | None,
                 findings: tuple[Finding, ...] = (), moment: datetime | None = None):
        self.__dict__.update(allowed=allowed, reasons=reasons, warnings=warnings, pack=pack, pack_version=pack_version,
                             pack_versions=pack_versions, next_allowed_at=next_allowed_at, findings=findings,
                             moment=moment)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.reasons)

    def to_dict(self) -> dict:
        return {
            "allowed": self.allowed,
            "reasons": [r.to_dict() for r in self.reasons],
            "warnings": [w.to_dict() for w in self.warnings],
            "pack": self.pack,
            "pack_version": self.pack_version,
            "pack_versions": dict(self.pack_versions),
            "next_allowed_at": self.next_allowed_at.isoformat() if self.next_allowed_at else None,
            "findings": [f.to_dict() for f in self.findings],
            "moment": self.moment.isoformat() if self.moment else None,
        }


DEFAULT = default_registry()
ONE_MINUTE = timedelta(minutes=1)


def _judge(ctx: Context, rules: tuple[Rule, ...], blocks: list, warnings: list) -> None:
    for rule in rules:
        outcome = rule.check(ctx, rule)
        if outcome is not None:
            (warnings if outcome.warning else blocks).append((rule, outcome))


def _reason(rule: Rule, outcome: Outcome, first_party_policy: bool) -> Reason:
    return Reason(rule.id, rule.citation, outcome.message_en, outcome.message_zh, rule.status,
                  rule.policy or (rule.reg_f and first_party_policy))


def evaluate(request: ContactRequest, *, pack_registry: PackRegistry | None = None,
             versions: Mapping[str, str] | None = None) -> Decision:
    """Decide one contact under the pack versions in force at ``request.moment``
    (or under ``versions``, e.g. to replay a stored decision)."""
    return _decide(request, pack_registry or DEFAULT, versions, CaseView(request))


def is_allowed(request: ContactRequest, *, pack_registry: PackRegistry | None = None) -> bool:
    """``evaluate(request).allowed``, stopping at the first rule that blocks: for a filter
    that needs only the yes or no, not the reasons or the next allowed moment."""
    registry = pack_registry or DEFAULT
    moment = request.moment.astimezone(UTC)
    layer_set = registry.layer_set(request.facts.jurisdiction, moment)
    ctx = _context(request, registry, layer_set, CaseView(request), moment)
    for rule in _plan(request, layer_set).rules:
        outcome = rule.check(ctx, rule)
        if outcome is not None and not outcome.warning:
            return False
    return True


def evaluate_many(requests: Iterable[ContactRequest], *, pack_registry: PackRegistry | None = None,
                  versions: Mapping[str, str] | None = None) -> list[Decision]:
    """``[evaluate(r) for r in requests]``, sharing between consecutive requests about the same
    case at the same moment (the same ``facts`` object; e.g. call, text and email for one
    work-queue row) what does not depend on the channel or destination: the history sorted
    and selected, the candidate zones and the time windows worked out while looking for the
    next allowed moment."""
    registry = pack_registry or DEFAULT
    decisions = []
    previous: ContactRequest | None = None
    case: CaseView | None = None
    for request in requests:
        if previous is not None and request.facts is previous.facts and request.moment == previous.moment:
            case = CaseView(request, like=case)
        else:
            case = CaseView(request)
        decisions.append(_decide(request, registry, versions, case))
        previous = request
    return decisions


def _plan(request: ContactRequest, layer_set: LayerSet) -> Plan:
    facts = request.facts
    return layer_set.plan(facts.collector_type == "first_party", request.channel, request.purpose, bool(request.message),
                          facts)


def _context(request: ContactRequest, registry: PackRegistry, layer_set: LayerSet, case: CaseView,
             moment: datetime) -> Context:
    """The context in which the rules of ``layer_set`` judge the request at ``moment``."""
    matcher = layer_set.matcher() if request.message else None
    return Context(request, registry.policy, layer_set.layers, matcher, case, moment=moment,
                   rule_index=layer_set.rule_index)


def _decide(request: ContactRequest, registry: PackRegistry, versions: Mapping[str, str] | None,
            case: CaseView) -> Decision:
    facts = request.facts
    first_party = facts.collector_type == "first_party"
    moment = request.moment.astimezone(UTC)
    layer_set = registry.layer_set(facts.jurisdiction, moment, versions)
    ctx = _context(request, registry, layer_set, case, moment)
    plan = _plan(request, layer_set)
    blocks: list[tuple[Rule, Outcome]] = []
    warnings: list[tuple[Rule, Outcome]] = []
    _judge(ctx, plan.rules, blocks, warnings)
    next_allowed = None
    if blocks and all(o.until is not None for _, o in blocks):
        next_allowed = _next_allowed(request, registry, versions, max(o.until for _, o in blocks), case,
                                     layer_set, plan, ctx)
    findings: list[Finding] = []
    for _, outcome in blocks + warnings:
        findings.extend(f for f in outcome.findings if f not in findings)
    return Decision(
        allowed=not blocks,
        reasons=tuple(_reason(r, o, first_party) for r, o in blocks),
        warnings=tuple(_reason(r, o, first_party) for r, o in warnings),
        pack=facts.jurisdiction,
        pack_version=layer_set.pack_version,
        pack_versions=dict(layer_set.pack_versions),
        next_allowed_at=next_allowed,
        findings=tuple(sorted(findings, key=lambda f: (f.start, f.rule_id))) if findings else (),
        moment=request.moment,
    )


def _next_allowed(request: ContactRequest, registry: PackRegistry, versions: Mapping[str, str] | None,
                  candidate: datetime, case: CaseView, layer_set: LayerSet, plan: Plan, ctx: Context,
                  rounds: int = 40) -> datetime | None:
    """Earliest moment allowed by every rule, found by following the rules that lift by themselves.

    Each time or frequency rule reports the earliest moment its own objection lifts; judging
    again at the latest of those converges because, with the history fixed, a lifted
    frequency cap stays lifted and time windows recur daily.  Only those rules need judging
    at each step; the others (holds, consents, refusals, content) are judged at the request's
    moment and once more at the answer, which must satisfy every rule.

    ``layer_set``, ``plan`` and ``ctx`` are those of the request's moment: the context moves
    on to each candidate, and is made anew only where other pack versions are in force.
    """
    jurisdiction = request.facts.jurisdiction
    for _ in range(rounds):
        in_force = registry.layer_set(jurisdiction, candidate.astimezone(UTC), versions)
        if in_force is layer_set:
            ctx.move_to(candidate)
        else:
            layer_set, plan = in_force, _plan(request, in_force)
            ctx = _context(request, registry, layer_set, case, candidate)
        blocks: list[tuple[Rule, Outcome]] = []
        _judge(ctx, plan.lifting, blocks, [])
        if not blocks:
            _judge(ctx, plan.steady, blocks, [])
            if not blocks:
                return candidate
        if any(o.until is None for _, o in blocks):
            return None
        later = max(o.until for _, o in blocks)
        candidate = later if later > candidate else candidate + ONE_MINUTE
    return None


def replay(request: ContactRequest, recorded: Decision | Mapping[str, Any], *,
           pack_registry: PackRegistry | None = None) -> Decision:
    """Re-decide a past contact under the pack versions its stored decision names."""
    versions = recorded.pack_versions if isinstance(recorded, Decision) else recorded["pack_versions"]
    return evaluate(request, pack_registry=pack_registry, versions=dict(versions))


def check_wording(text: str, *, language: str = "en", jurisdiction: str = "US", facts: Any = None,
                  moment: datetime | None = None, pack_registry: PackRegistry | None = None) -> tuple[Finding, ...]:
    """Findings (category, rule, citation, span in ``text``) for a message under a jurisdiction's packs.

    ``facts`` may be a CaseFacts, a WordingFacts or a mapping with suit_authorized,
    judgment_exists, time_barred, is_attorney.
    """
    registry = pack_registry or DEFAULT
    layers = registry.layers(jurisdiction, (moment or datetime.now(UTC)).astimezone(UTC))
    return tuple(registry.matcher(layers).scan(normalise(text), WordingFacts.of(facts)))


def required_content_missing(text: str, *, channel: str, language: str = "en", first_communication: bool = False) -> list[str]:
    """Which required statements a message lacks: initial/later disclosure (1006.18(e)) and,
    for email and text, the opt-out (1006.6(e))."""
    from compliance.wording import has_required

    norm = normalise(text)
    missing = []
    needed = "initial_disclosure" if first_communication else "later_disclosure"
    if not has_required(norm, needed, language):
        missing.append(needed)
    if channel in ("sms", "email") and not has_required(norm, "opt_out", language):
        missing.append("opt_out")
    return missing
