"""What a day's run would do, without doing it: sent, deferred (until when), suppressed (by
which rule). For the `plan_notices --dry-run` command and the compliance officers' page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone as dt_timezone

from collections_app.models import Case
from compliance import gate

from .kinds import KINDS
from .models import Notice
from .planner import would_plan


@dataclass(frozen=True)
class Forecast:
    key: str
    case_id: int
    kind: str
    channel: str
    outcome: str  # send, defer, suppress
    at: datetime
    until: datetime | None = None
    rules: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    already_planned: bool = False

    @property
    def reasons(self) -> list[tuple[str, str]]:
        return list(zip(self.rules, self.citations))


def forecast(*, day: date) -> list[Forecast]:
    """Every notice due on `day` — planned already or to be planned — judged by the gate at
    the moment it falls due (midnight UTC, or the moment it was deferred to)."""
    start = datetime.combine(day, time.min, tzinfo=dt_timezone.utc)
    items = [(case_id, schedule.kind, schedule.channel, key, start, False) for case_id, schedule, key in would_plan(day=day)]
    items += [
        (n.case_id, n.kind, n.channel, n.idempotency_key, max(n.due_at, n.next_allowed_at or n.due_at, start), True)
        for n in Notice.objects.filter(status=Notice.Status.PLANNED, due_at__lt=start + timedelta(days=1))
    ]
    cases = Case.objects.select_related("debtor").in_bulk([item[0] for item in items])
    result = []
    for case_id, kind, channel, key, at, planned in sorted(items, key=lambda item: item[3]):
        purpose = KINDS[kind].purpose if kind in KINDS else "collection"
        decision = gate.check(case=cases[case_id], channel=channel, at=at, purpose=purpose)
        outcome = "send" if decision.allowed else ("defer" if decision.next_allowed_at else "suppress")
        result.append(Forecast(
            key=key, case_id=case_id, kind=kind, channel=channel, outcome=outcome, at=at,
            until=decision.next_allowed_at, rules=decision.rule_ids,
            citations=tuple(r.citation for r in decision.reasons), already_planned=planned,
        ))
    return result
