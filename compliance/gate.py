"""The one door for every contact.

`check` decides without writing. `record` locks the debtor, decides again on fresh
history, and writes the ContactAttempt (allowed or blocked) and its audit event in one
transaction — so two collectors clicking at once cannot both pass a frequency cap, and a
blocked attempt is never lost.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime, time
from functools import lru_cache
from operator import attrgetter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.timezone import now

from collections_app.models import Case, ContactAttempt, ContactOutcome, ContactPoint, Debtor

from . import engine, facts, ledger
from .sql import Prepared, Query, batched_transaction, db_moment

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


def destination_from_points(points: list, channel: str) -> str:
    """default_destination over contact-point rows already read (facts.POINT_COLUMNS, in
    id order): the primary point of the channel's kind, else the first."""
    kind = CHANNEL_POINT.get(channel)
    first = ""
    for point in points:
        if point[1] == kind:
            if point[5]:
                return point[2]
            first = first or point[2]
    return first


def _request(case: Case, loaded: facts.Loaded, *, channel: str, at: datetime, destination: str | None,
             message: str | None, language: str | None, purpose: str, **extra) -> engine.ContactRequest:
    return engine.ContactRequest(
        channel=channel, moment=at, facts=loaded.facts,
        destination=destination_from_points(loaded.points, channel) if destination is None else destination,
        message=message, language=language or loaded.language, purpose=purpose, **extra,
    )


def check(*, case: Case, channel: str, at: datetime | None = None, destination: str | None = None,
          message: str | None = None, language: str | None = None, purpose: str = "collection",
          **extra) -> engine.Decision:
    """May we make this contact at `at` (default: now)? Writes nothing."""
    at = at or now()
    return engine.evaluate(_request(case, facts.load(case, at=at), channel=channel, at=at, destination=destination,
                                    message=message, language=language, purpose=purpose, **extra))


@dataclass(frozen=True)
class Recorded:
    decision: engine.Decision
    attempt: ContactAttempt


_ATTEMPT_TABLE = ContactAttempt._meta.db_table
# Lock the debtor's row and reserve the attempt's id (the audit event names it) at once.
LOCK_DEBTOR_SQL = {
    "postgresql": Prepared(
        "dunwell_gate_lock_debtor",
        f"SELECT nextval(pg_get_serial_sequence('{_ATTEMPT_TABLE}', 'id')) FROM {Debtor._meta.db_table}"
        " WHERE id = %s FOR UPDATE",
    ),
    # SQLite: writers are serialised by the IMMEDIATE transaction, so MAX + 1 is safe.
    "sqlite": f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_ATTEMPT_TABLE} WHERE %s IS NOT NULL",
}
ATTEMPT_COLUMNS = (
    "id", "case_id", "debtor_id", "channel", "destination", "at", "actor_id", "actor_label", "outcome", "allowed",
    "rule_ids", "citations", "pack", "pack_version", "message", "note", "source", "initiated_by_consumer",
    "with_consent", "purpose", "decision",
)
ATTEMPT_INSERT_SQL = Prepared(
    "dunwell_gate_insert_attempt",
    f"INSERT INTO {_ATTEMPT_TABLE} ({', '.join(ATTEMPT_COLUMNS)}) VALUES ({', '.join(['%s'] * len(ATTEMPT_COLUMNS))})",
)
JSON_COLUMNS = {"rule_ids", "citations"}  # and the decision, written as canonical text already
# Plain strings: Django builds `.values` anew on every access, and psycopg looks up how
# to write a str subclass once per cursor.
OUTCOMES = frozenset(str(value) for value in ContactOutcome.values)
NOT_ATTEMPTED, FROM_GATE = str(ContactOutcome.NOT_ATTEMPTED.value), str(ContactAttempt.Source.GATE.value)


def record(*, case: Case, channel: str, outcome: str, by=None, job: str | None = None,
           destination: str | None = None, message: str | None = None, note: str = "",
           language: str | None = None, purpose: str = "collection", with_consent: bool = False,
           at: datetime | None = None, **extra) -> Recorded:
    """Decide and record one contact attempt. A blocked attempt is recorded too, with the
    outcome `not_attempted` and the rules that stopped it.

    Locks are taken in one order everywhere — the debtor's row, then the ledger — so
    concurrent records queue instead of deadlocking. Two round trips on PostgreSQL: the
    locks with every read behind them, then the two inserts with the commit.
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    # Without `at` the moment is taken under the lock, so the reads, sent with the locks,
    # start early enough (now is only later) and are not bounded above.
    since = (at or now()) - facts.LOOKBACK
    locking = [(LOCK_DEBTOR_SQL[connection.vendor], [case.debtor_id]), *ledger.lock_queries()]
    with batched_transaction() as batches:
        # One debtor at a time: the caps count every attempt committed before this one.
        # The statements run in order, each on a fresh snapshot, so the reads behind the
        # locks see every attempt and event committed by whoever held them before.
        results = batches.run([*locking, *facts.queries(case, since=since, until=at)])
        locked, read = results[:len(locking)], results[len(locking):]
        if not locked[0]:
            raise Debtor.DoesNotExist(f"debtor {case.debtor_id} of case {case.pk} does not exist")
        attempt_id, head = locked[0][0][0], ledger.head_from(locked[-1])
        # The moment is taken under the lock, so it is later than every attempt counted.
        moment = at or now()
        loaded = facts.from_rows(case, moment, read)
        request = _request(case, loaded, channel=channel, at=moment, destination=destination, message=message,
                           language=language, purpose=purpose, **extra)
        decision = engine.evaluate(request)
        # One canonical text: stored with the attempt and hashed into the ledger.
        stored = decision_json(decision, request)
        row = {
            "id": attempt_id, "case_id": case.pk, "debtor_id": case.debtor_id, "channel": channel,
            "destination": request.destination, "at": moment, "actor_id": None if by is None else by.pk,
            "actor_label": ledger.actor_label(by, job=job),
            "outcome": outcome if decision.allowed else NOT_ATTEMPTED, "allowed": decision.allowed,
            "rule_ids": list(decision.rule_ids), "citations": [r.citation for r in decision.reasons],
            "pack": decision.pack, "pack_version": decision.pack_version, "message": message or "", "note": note,
            "source": FROM_GATE, "initiated_by_consumer": False, "with_consent": with_consent, "purpose": purpose,
            "decision": stored,
        }
        attempt = _attempt_instance(row, by)
        # The ledger names the attempt and the decision, not the destination or the words:
        # those are personal data kept (and one day purged) in the attempt's row.
        (event,) = ledger.chain([ledger.Draft(
            kind="contact.allowed" if decision.allowed else "contact.blocked", actor=row["actor_label"],
            case_id=case.pk,
            data={
                "attempt": attempt_id, "channel": channel, "outcome": row["outcome"], "allowed": decision.allowed,
                "rules": row["rule_ids"], "citations": row["citations"],
                "warnings": [w.rule_id for w in decision.warnings], "pack_version": decision.pack_version,
                "decision_sha256": hashlib.sha256(stored.encode()).hexdigest(),
            },
        )], head=head, at=moment)
        batches.commit([_attempt_insert(row), ledger.insert_query(event)])
    return Recorded(decision, attempt)


INBOUND_CHANNELS = ("call", "sms", "email", "letter")
# What came of the debtor's own contact: they spoke with us, or left or sent a message
# ("delivered"). Not the outcomes of our unanswered calls, which the queue reads as such.
INBOUND_OUTCOMES = ("conversation", "right_party_contact", "promise", "delivered")


def record_inbound(*, case: Case, channel: str, outcome: str, by=None, destination: str | None = None,
                   note: str = "", at: datetime | None = None) -> ContactAttempt:
    """A contact the debtor made: recorded, not decided (nothing left us). It is history the
    rules read: a telephone conversation starts the seven quiet days whoever called
    (1006.14(b)(2)(i)(B)), and the debtor's own contact opens the one-reply exceptions. A
    text or email the debtor sent from a known address marks it as one they use (1006.6(d)(3)-(4))."""
    if channel not in INBOUND_CHANNELS:
        raise ValidationError({"channel": f"a debtor contacts us by {', '.join(INBOUND_CHANNELS)}"})
    if outcome not in INBOUND_OUTCOMES:
        raise ValidationError({"outcome": f"the debtor's own contact ends in {', '.join(INBOUND_OUTCOMES)}"})
    moment = at or now()
    with transaction.atomic():
        # As record does: the debtor's row first, then the ledger.
        Debtor.objects.select_for_update().filter(pk=case.debtor_id).first()
        if destination is None:
            destination = default_destination(case, channel)
        attempt = ContactAttempt.objects.create(
            case=case, debtor_id=case.debtor_id, channel=channel, destination=destination, at=moment,
            actor=by, actor_label=ledger.actor_label(by), outcome=outcome, allowed=True, initiated_by_consumer=True,
            note=note, source=FROM_GATE, purpose="inbound",
        )
        if channel in ("sms", "email") and destination:
            ContactPoint.objects.filter(debtor_id=case.debtor_id, value=destination).update(consumer_used_at=moment)
        ledger.append(kind="contact.inbound", actor=ledger.actor_label(by), case=case, at=moment, data={
            "attempt": attempt.pk, "channel": channel, "outcome": outcome,
        })
    return attempt


def _attempt_instance(row: dict, by) -> ContactAttempt:
    # As the ORM builds a row it read (positional values, no per-keyword work), holding
    # the decision as data like a loaded instance does.
    values = [json.loads(row[c]) if c == "decision" else row[c] for c in ATTEMPT_COLUMNS]
    attempt = ContactAttempt.from_db(connection.alias, ATTEMPT_COLUMNS, values)
    if by is not None:
        attempt.actor = by  # checked and cached as by the keyword
    return attempt


def _attempt_insert(row: dict) -> Query:
    return ATTEMPT_INSERT_SQL, [
        ledger.canonical_json(row[column]) if column in JSON_COLUMNS
        else db_moment(row[column]) if column == "at" else row[column]
        for column in ATTEMPT_COLUMNS
    ]


def request_snapshot(request: engine.ContactRequest) -> dict:
    """The request as plain JSON data (facts included), kept with the attempt for replay."""
    return _plain(request)


def decision_json(decision: engine.Decision, request: engine.ContactRequest) -> str:
    """What an attempt stores: the decision and the request snapshot, as canonical JSON —
    the text of ledger.canonical_json({**decision.to_dict(), "request": request_snapshot(request)}).
    The encoder walks the dataclasses itself (in C), asking `_snapshot_default` only for
    what JSON has no word for, instead of a Python copy of the request being built first."""
    return json.dumps({**decision.to_dict(), "request": request}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, default=_snapshot_default)


def _snapshot_default(value):
    convert = _SNAPSHOT.get(type(value))
    if convert is None:
        convert = _SNAPSHOT[type(value)] = _snapshot_converter(type(value))
    return convert(value)


_SNAPSHOT: dict[type, Callable] = {}


def _snapshot_converter(cls: type) -> Callable:
    """How `_plain` turns a value of this type into JSON data, one level deep."""
    if is_dataclass(cls):
        names = _field_names(cls)
        if len(names) < 2:
            return lambda value: {name: getattr(value, name) for name in names}
        values = attrgetter(*names)
        return lambda value: dict(zip(names, values(value)))
    if issubclass(cls, (datetime, date, time)):
        return cls.isoformat  # as _plain writes moments: in their own offset
    if issubclass(cls, Mapping):
        return dict
    return ledger._default


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(value):
    # dataclasses.asdict deep-copies every value; this only reads.
    if is_dataclass(value):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value
