"""The one door for every contact.

`check` decides without writing. `record` locks the debtor, decides again on fresh
history, and writes the ContactAttempt (allowed or blocked) and its audit event in one
transaction — so two collectors clicking at once cannot both pass a frequency cap, and a
blocked attempt is never lost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, time
from functools import lru_cache

from django.db import connection, transaction
from django.utils.timezone import now

from collections_app.models import Case, ContactAttempt, ContactOutcome, ContactPoint, Debtor

from . import engine, ledger
from .facts import case_facts
from .sql import db_moment, run

# Which kind of contact point each channel reaches by default.
CHANNEL_POINT = {"call": "phone", "sms": "phone", "email": "email", "letter": "address", "visit": "address"}


def default_destination(case: Case, channel: str) -> str:
    kind = CHANNEL_POINT.get(channel)
    if kind is None:
        return ""
    point = (
        ContactPoint.objects.filter(debtor_id=case.debtor_id, kind=kind)
        .order_by("-is_primary", "pk").values_list("value", flat=True).first()
    )
    return point or ""


def _request(case: Case, *, channel: str, at: datetime, destination: str, message: str | None,
             language: str | None, purpose: str, **extra) -> engine.ContactRequest:
    return engine.ContactRequest(
        channel=channel, moment=at, facts=case_facts(case, at=at), destination=destination, message=message,
        language=language or case.debtor.language, purpose=purpose, **extra,
    )


def check(*, case: Case, channel: str, at: datetime | None = None, destination: str | None = None,
          message: str | None = None, language: str | None = None, purpose: str = "collection",
          **extra) -> engine.Decision:
    """May we make this contact at `at` (default: now)? Writes nothing."""
    at = at or now()
    if destination is None:
        destination = default_destination(case, channel)
    return engine.evaluate(_request(case, channel=channel, at=at, destination=destination, message=message,
                                    language=language, purpose=purpose, **extra))


@dataclass(frozen=True)
class Recorded:
    decision: engine.Decision
    attempt: ContactAttempt


_ATTEMPT_TABLE = ContactAttempt._meta.db_table
# Lock the debtor's row and reserve the attempt's id (the audit event names it) at once.
LOCK_DEBTOR_SQL = {
    "postgresql": f"SELECT nextval(pg_get_serial_sequence('{_ATTEMPT_TABLE}', 'id'))"
                  f" FROM {Debtor._meta.db_table} WHERE id = %s FOR UPDATE",
    # SQLite: writers are serialised by the IMMEDIATE transaction, so MAX + 1 is safe.
    "sqlite": f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_ATTEMPT_TABLE} WHERE %s IS NOT NULL",
}
ATTEMPT_COLUMNS = (
    "id", "case_id", "debtor_id", "channel", "destination", "at", "actor_id", "actor_label", "outcome", "allowed",
    "rule_ids", "citations", "pack", "pack_version", "message", "note", "source", "initiated_by_consumer",
    "with_consent", "purpose", "decision",
)
ATTEMPT_INSERT_SQL = (
    f"INSERT INTO {_ATTEMPT_TABLE} ({', '.join(ATTEMPT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ATTEMPT_COLUMNS))})"
)
JSON_COLUMNS = {"rule_ids", "citations", "decision"}


def record(*, case: Case, channel: str, outcome: str, by=None, job: str | None = None,
           destination: str | None = None, message: str | None = None, note: str = "",
           language: str | None = None, purpose: str = "collection", with_consent: bool = False,
           at: datetime | None = None, **extra) -> Recorded:
    """Decide and record one contact attempt. A blocked attempt is recorded too, with the
    outcome `not_attempted` and the rules that stopped it.

    Locks are taken in one order everywhere — the debtor's row, then the ledger — so
    concurrent records queue instead of deadlocking.
    """
    if outcome not in ContactOutcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    if destination is None:
        destination = default_destination(case, channel)
    with transaction.atomic():
        # One debtor at a time: the caps count every attempt committed before this one.
        results = run([(LOCK_DEBTOR_SQL[connection.vendor], [case.debtor_id]), *ledger.lock_queries()])
        attempt_id, head = results[0][0][0], ledger.head_from(results[-1])
        # The moment is taken under the lock, so it is later than every attempt counted.
        moment = at or now()
        request = _request(case, channel=channel, at=moment, destination=destination, message=message,
                           language=language, purpose=purpose, **extra)
        decision = engine.evaluate(request)
        stored = {**decision.to_dict(), "request": request_snapshot(request)}
        attempt = ContactAttempt(
            id=attempt_id, case_id=case.pk, debtor_id=case.debtor_id, channel=channel, destination=destination,
            at=moment, actor=by, actor_label=ledger.actor_label(by, job=job),
            outcome=outcome if decision.allowed else ContactOutcome.NOT_ATTEMPTED, allowed=decision.allowed,
            rule_ids=list(decision.rule_ids), citations=[r.citation for r in decision.reasons], pack=decision.pack,
            pack_version=decision.pack_version, message=message or "", note=note, source=ContactAttempt.Source.GATE,
            initiated_by_consumer=False, with_consent=with_consent, purpose=purpose, decision=stored,
        )
        # The ledger names the attempt and the decision, not the destination or the words:
        # those are personal data kept (and one day purged) in the attempt's row.
        (event,) = ledger.chain([ledger.Draft(
            kind="contact.allowed" if decision.allowed else "contact.blocked", actor=attempt.actor_label,
            case_id=case.pk,
            data={
                "attempt": attempt_id, "channel": channel, "outcome": attempt.outcome, "allowed": decision.allowed,
                "rules": list(decision.rule_ids), "citations": attempt.citations,
                "warnings": [w.rule_id for w in decision.warnings], "pack_version": decision.pack_version,
                "decision_sha256": hashlib.sha256(ledger.canonical_json(stored).encode()).hexdigest(),
            },
        )], head=head, at=moment)
        run([_attempt_insert(attempt), ledger.insert_query(event)])
    attempt._state.adding, attempt._state.db = False, "default"
    return Recorded(decision, attempt)


def _attempt_insert(attempt: ContactAttempt) -> tuple[str, list]:
    values = []
    for column in ATTEMPT_COLUMNS:
        value = getattr(attempt, column)
        if column in JSON_COLUMNS:
            value = ledger.canonical_json(value)
        elif column == "at":
            value = db_moment(value)
        values.append(value)
    return ATTEMPT_INSERT_SQL, values


def request_snapshot(request: engine.ContactRequest) -> dict:
    """The request as plain JSON data (facts included), kept with the attempt for replay."""
    return _plain(request)


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(value):
    # dataclasses.asdict deep-copies every value; this only reads, which matters on the hot path.
    if is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
