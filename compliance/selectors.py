"""Reads for the audit view: each returns a queryset (or plain rows) the caller can refine.

The explorer pages with a keyset on ``seq`` (the primary key), newest first, so its first
page costs an index scan whatever the length of the ledger. Filters use indexed columns
where the schema has them (``case_id`` with ``seq``, ``kind`` with ``at``, ``at``); the
attempt-specific filters (channel, rule, pack, decision) read the canonical JSON payload
of the ``contact.*`` events, whose keys are sorted and whose text is written by
``ledger.canonical_json`` only, so an exact substring names exactly one key and value.
They are applied to rows the index walk already visits; see the bench for their cost.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any, Mapping

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from collections_app.models import Case, Channel, ContactAttempt, Team, plausible_year

from .models import AuditEvent

CONTACT_KINDS = ("contact.allowed", "contact.blocked")
PAGE_SIZE = 50
_RULE_ID = re.compile(r"^[A-Z][A-Z0-9.\-_]{1,63}$")
_PACK = re.compile(r"^[A-Z]{2}(-[A-Z]{2})?$")
_KIND = re.compile(r"^[a-z][a-z_]{0,40}(\.[a-z_]{1,40}){0,3}$")


_BIGINT = 2**63


def _int(value) -> int | None:
    """A whole number an id column can hold, else None."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -_BIGINT <= number < _BIGINT else None


def parse_moment(value: str | None, *, end: bool = False) -> datetime | None:
    """A date (start of day, or of the next day for an exclusive end) or an aware moment,
    between 1970 and 2099; anything else is None."""
    if not value:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if not plausible_year(day.year):
                return None
            moment = datetime.combine(day + timedelta(days=1) if end else day, time.min)
            return timezone.make_aware(moment, timezone.get_current_timezone())
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if not plausible_year(moment.year):
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.get_current_timezone())


@dataclass(frozen=True)
class AuditFilters:
    """What the explorer, the API and the period export filter on. Dates are inclusive
    (``to=2026-11-24`` includes that whole day)."""

    since: datetime | None = None
    until: datetime | None = None          # exclusive
    case: int | None = None
    debtor: int | None = None
    collector: int | None = None           # the user who acted (the event's actor)
    team: int | None = None                # the case's team
    channel: str | None = None
    decision: str | None = None            # allowed | blocked
    rule: str | None = None
    pack: str | None = None                # a pack code (US, US-MA, CN…), optionally "CN 2025-02-28"
    kind: str | None = None
    errors: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "AuditFilters":
        errors = []
        get = lambda name: str(params.get(name) or "").strip()  # noqa: E731
        since, until = parse_moment(get("from")), parse_moment(get("to"), end=True)
        if get("from") and since is None:
            errors.append(gettext("from: a date (YYYY-MM-DD) between 1970 and 2099"))
        if get("to") and until is None:
            errors.append(gettext("to: a date (YYYY-MM-DD) between 1970 and 2099"))
        channel = get("channel") or None
        if channel and channel not in Channel.values:
            errors.append(gettext("channel: unknown %(channel)r") % {"channel": channel})
            channel = None
        decision = get("decision") or None
        if decision and decision not in ("allowed", "blocked"):
            errors.append(gettext("decision: allowed or blocked"))
            decision = None
        rule = get("rule") or None
        if rule and not _RULE_ID.match(rule):
            errors.append(gettext("rule: not a rule id"))
            rule = None
        pack = get("pack") or None
        if pack:
            code, _, version = pack.partition(" ")
            if not _PACK.match(code) or (version and not re.match(r"^\d{4}-\d{2}-\d{2}$", version)):
                errors.append(gettext("pack: a pack code, optionally with a version (CN 2025-02-28)"))
                pack = None
        kind = get("kind") or None
        if kind and not _KIND.match(kind):
            errors.append(gettext("kind: not an event kind (such as contact.blocked)"))
            kind = None
        values = {name: _int(get(name)) for name in ("case", "debtor", "collector", "team")}
        for name, value in values.items():
            if get(name) and value is None:
                errors.append(f"{name}: not a number")
        return cls(since=since, until=until, channel=channel, decision=decision, rule=rule, pack=pack,
                   kind=kind, errors=tuple(errors), **values)

    def as_params(self) -> dict[str, str]:
        """Back to query parameters (for links: the next page, the CSV of this view)."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "errors" or value in (None, ""):
                continue
            if f.name == "since":
                out["from"] = timezone.localtime(value).date().isoformat()
            elif f.name == "until":
                out["to"] = (timezone.localtime(value) - timedelta(microseconds=1)).date().isoformat()
            else:
                out[f.name] = str(value)
        return out

    @property
    def attempt_specific(self) -> bool:
        return any((self.channel, self.decision, self.rule, self.pack))


def _fragment(key: str, value: Any) -> str:
    """The exact text ``canonical_json`` writes for ``"key": value`` inside an object."""
    return json.dumps(key) + ":" + json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def audit_events(filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The ledger, newest first, filtered. Keyset-paginate with ``seq__lt``."""
    events = AuditEvent.objects.all()
    if filters.since:
        events = events.filter(at__gte=filters.since)
    if filters.until:
        events = events.filter(at__lt=filters.until)
    case_ids = None
    if filters.case is not None:
        case_ids = [filters.case]
    if filters.debtor is not None or filters.team is not None:
        # Resolved to case ids first, so the ledger query stays on its (case, seq) index.
        cases = Case.objects.all()
        if filters.debtor is not None:
            cases = cases.filter(debtor_id=filters.debtor)
        if filters.team is not None:
            cases = cases.filter(team_id=filters.team)
        ids = list(cases.values_list("pk", flat=True)[:5000])
        case_ids = ids if case_ids is None else [c for c in case_ids if c in ids]
    if case_ids is not None:
        events = events.filter(case_id=case_ids[0]) if len(case_ids) == 1 else events.filter(case_id__in=case_ids)
    if filters.collector is not None:
        events = events.filter(actor__startswith=f"user:{filters.collector}:")
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.decision:
        events = events.filter(kind=f"contact.{filters.decision}")
    elif filters.rule:
        # Only a blocked attempt names rules (an allowed one's "rules" is empty): one kind,
        # so the newest are read down its (kind, seq) index instead of filtering the whole ledger.
        events = events.filter(kind="contact.blocked")
    elif filters.attempt_specific:
        events = events.filter(kind__in=CONTACT_KINDS)
    if filters.channel:
        events = events.filter(payload__contains=_fragment("channel", filters.channel))
    if filters.rule:
        # Inside the "rules" array only (not "warnings"): the array holds rule ids, no brackets.
        events = events.filter(payload__contains=f'"{filters.rule}"',
                               payload__regex=r'"rules":\[[^]]*"' + re.escape(filters.rule) + '"')
    if filters.pack:
        code, _, version = filters.pack.partition(" ")
        # pack_version reads "US 2021-11-30; US-MA 2021-11-30": a layer starts the text or follows "; ".
        layer = f"{code} {version}" if version else f"{code} "
        events = events.filter(
            Q(payload__contains='"pack_version":"' + layer) | Q(payload__contains="; " + layer)
        )
    return events.order_by("-seq")


def page_of_events(filters: AuditFilters, *, before: int | None = None, size: int = PAGE_SIZE) -> tuple[list[AuditEvent], int | None]:
    """One page of the explorer and the ``before`` cursor of the next (None on the last)."""
    events = audit_events(filters)
    if before is not None:
        events = events.filter(seq__lt=before)
    rows = list(events[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].seq if more and rows else None)


def payload_of(event: AuditEvent) -> dict:
    try:
        return json.loads(event.payload)
    except ValueError:
        return {}


def attempts_for_events(events: list[AuditEvent]) -> dict[int, ContactAttempt]:
    """The attempts named by contact events, in one query."""
    ids = [payload_of(e).get("attempt") for e in events if e.kind in CONTACT_KINDS]
    ids = [i for i in ids if isinstance(i, int)]
    if not ids:
        return {}
    return ContactAttempt.objects.select_related("case", "actor").in_bulk(ids)


def cases_for_events(events: list[AuditEvent]) -> dict[int, Case]:
    ids = {e.case_id for e in events if e.case_id}
    return Case.objects.select_related("debtor", "loan", "collector", "team").in_bulk(ids) if ids else {}


def event_detail(seq: int) -> AuditEvent:
    return AuditEvent.objects.select_related("case", "case__debtor", "case__loan").get(seq=seq)


def attempt_event(attempt: ContactAttempt) -> AuditEvent | None:
    """The ledger event that recorded an attempt."""
    return (AuditEvent.objects.filter(case_id=attempt.case_id, kind__in=CONTACT_KINDS,
                                      payload__contains=_fragment("attempt", attempt.pk) + ",")
            .order_by("seq").first())


def contact_attempts(filters: AuditFilters) -> QuerySet[ContactAttempt]:
    """Contact attempts with the same filters (for analytics drill-downs and exports)."""
    attempts = ContactAttempt.objects.all()
    if filters.since:
        attempts = attempts.filter(at__gte=filters.since)
    if filters.until:
        attempts = attempts.filter(at__lt=filters.until)
    if filters.case is not None:
        attempts = attempts.filter(case_id=filters.case)
    if filters.debtor is not None:
        attempts = attempts.filter(debtor_id=filters.debtor)
    if filters.team is not None:
        attempts = attempts.filter(case__team_id=filters.team)
    if filters.collector is not None:
        attempts = attempts.filter(actor_id=filters.collector)
    if filters.channel:
        attempts = attempts.filter(channel=filters.channel)
    if filters.decision:
        attempts = attempts.filter(allowed=filters.decision == "allowed")
    if filters.rule:
        attempts = attempts.filter(citations__isnull=False, rule_ids__icontains=f'"{filters.rule}"')
    if filters.pack:
        code, _, version = filters.pack.partition(" ")
        layer = f"{code} {version}" if version else f"{code} "
        attempts = attempts.filter(Q(pack_version__startswith=layer) | Q(pack_version__contains="; " + layer))
    return attempts.select_related("case", "actor").order_by("-at", "-pk")


# --- choices for the filter form -----------------------------------------------------------

def collectors() -> QuerySet:
    return get_user_model().objects.filter(Q(groups__name__in=["collector", "supervisor"]) | Q(cases__isnull=False)).distinct().order_by("username")


def teams() -> QuerySet[Team]:
    return Team.objects.order_by("name")


def user_label(actor: str) -> str:
    """``user:7:alice`` → ``alice``; jobs and imports as they are."""
    if actor.startswith("user:"):
        return actor.split(":", 2)[-1]
    return actor
