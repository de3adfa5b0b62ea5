"""Appending to, verifying and signing the audit ledger.

Appends are serialised by one lock held to the end of the transaction (an advisory lock
on PostgreSQL; SQLite serialises writers itself), so sequence numbers are gap-free and
each event chains onto the one committed before it. A rolled-back transaction leaves no
row and no gap.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timezone as dt_timezone
from decimal import Decimal
from pathlib import Path
from itertools import islice
from typing import Any, Iterable, Iterator, NamedTuple
from uuid import UUID

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent
from .sql import Prepared, Query, run

GENESIS_HASH = "0" * 64
# An arbitrary constant naming the ledger's advisory lock.
LEDGER_LOCK_KEY = 0x44554E57454C4C  # "DUNWELL"


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return format_moment(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not allowed in an audit payload")


def canonical_json(value: Any) -> str:
    """Sorted keys, no insignificant space, UTF-8 kept: the same data, the same text."""
    return _CANONICAL.encode(value)


# One encoder for every call: json.dumps with options builds a new one each time.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_default)


def format_moment(moment: datetime) -> str:
    return moment.astimezone(dt_timezone.utc).isoformat(timespec="microseconds")


def envelope(seq: int, at: datetime, actor: str, case_id: int | None, kind: str, payload: str) -> str:
    """The canonical JSON of the whole event. `payload` is already canonical text, so it is
    spliced in as is; keys are written in sorted order, which is what canonical_json of
    the same dictionary would give."""
    return (
        f'{{"actor":{json.dumps(actor, ensure_ascii=False)},"at":"{format_moment(at)}",'
        f'"case":{"null" if case_id is None else int(case_id)},"data":{payload},'
        f'"kind":{json.dumps(kind, ensure_ascii=False)},"seq":{int(seq)}}}'
    )


def chain_hash(prev_hash: str, event_envelope: str) -> str:
    return hashlib.sha256((prev_hash + event_envelope).encode("utf-8")).hexdigest()


def actor_label(user=None, *, job: str | None = None) -> str:
    if job:
        return f"job:{job}"
    if user is None:
        return "system"
    return f"user:{user.pk}:{user.get_username()}"


@dataclass(frozen=True)
class Draft:
    kind: str
    actor: str
    data: dict
    case_id: int | None = None


HEAD_SQL = f"SELECT seq, hash FROM {AuditEvent._meta.db_table} ORDER BY seq DESC LIMIT 1"
INSERT_SQL = (
    f"INSERT INTO {AuditEvent._meta.db_table} (seq, at, actor, case_id, kind, payload, prev_hash, hash)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)


_LOCK = Prepared("dunwell_ledger_lock", "SELECT pg_advisory_xact_lock(%s)")
_HEAD = Prepared("dunwell_ledger_head", HEAD_SQL)
_INSERT = Prepared("dunwell_ledger_insert", INSERT_SQL)


def lock_queries() -> list[Query]:
    """Take the ledger's lock (held to the end of the transaction), then read its head.
    SQLite needs no lock: its IMMEDIATE transactions already serialise writers."""
    lock = [(_LOCK, [LEDGER_LOCK_KEY])] if connection.vendor == "postgresql" else []
    return [*lock, (_HEAD, [])]


def head_from(rows: list[tuple]) -> tuple[int, str]:
    return rows[0] if rows else (0, GENESIS_HASH)


class Chained(NamedTuple):
    """An event numbered and hashed onto the chain, ready to insert (column order)."""

    seq: int
    at: datetime
    actor: str
    case_id: int | None
    kind: str
    payload: str
    prev_hash: str
    hash: str


def chain(drafts: Iterable[Draft], *, head: tuple[int, str], at: datetime) -> Iterator[Chained]:
    """Number and hash the drafts onto `head` (seq, hash), lazily; nothing is written."""
    seq, prev = head
    for draft in drafts:
        seq += 1
        payload = canonical_json(draft.data)
        digest = chain_hash(prev, envelope(seq, at, draft.actor, draft.case_id, draft.kind, payload))
        yield Chained(seq, at, draft.actor, draft.case_id, draft.kind, payload, prev, digest)
        prev = digest


def insert_query(event: Chained) -> Query:
    return _INSERT, [*event[:1], connection.ops.adapt_datetimefield_value(event.at), *event[2:]]


def _head() -> tuple[int, str]:
    return head_from(list(AuditEvent.objects.order_by("-seq").values_list("seq", "hash")[:1]))


# Above this many events COPY beats INSERT on PostgreSQL.
COPY_THRESHOLD = 100
_COLUMNS = ", ".join(Chained._fields)


def append_many(drafts: Iterable[Draft], *, at: datetime | None = None) -> int:
    """Chain and insert many events in one transaction under one lock (bulk jobs).
    `drafts` may be a generator: a million events stream through without being held."""
    moment = at or timezone.now()
    with transaction.atomic(savepoint=False):
        events = chain(drafts, head=head_from(run(lock_queries())[-1]), at=moment)
        first = list(islice(events, COPY_THRESHOLD + 1))
        if connection.vendor == "postgresql" and len(first) > COPY_THRESHOLD:
            return _copy(chain_of(first, events))
        with connection.cursor() as cursor:
            rows = [insert_query(e)[1] for e in first]
            for batch in batched(chain_of([], events), 1000):  # SQLite: many events, batched inserts
                rows += [insert_query(e)[1] for e in batch]
            cursor.executemany(INSERT_SQL, rows)
            return len(rows)


def chain_of(first: list, rest: Iterator) -> Iterator:
    yield from first
    yield from rest


def batched(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(items, size)):
        yield batch


def _copy(events: Iterator[Chained]) -> int:
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {AuditEvent._meta.db_table} ({_COLUMNS}) FROM STDIN") as copy:
            for event in events:
                copy.write_row(event)
                count += 1
    return count


def append(*, kind: str, actor: str, data: dict, case=None, at: datetime | None = None) -> AuditEvent:
    """Append one event; returns it as stored."""
    case_id = case if isinstance(case, int) or case is None else case.pk
    with transaction.atomic(savepoint=False):
        head = head_from(run(lock_queries())[-1])
        (event,) = chain([Draft(kind=kind, actor=actor, data=data, case_id=case_id)], head=head,
                         at=at or timezone.now())
        run([insert_query(event)])
    stored = AuditEvent(**event._asdict())
    stored._state.adding, stored._state.db = False, "default"
    return stored


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_seq: int = 0
    head_hash: str = GENESIS_HASH


def _rows(chunk_size: int) -> Iterator[tuple]:
    # A server-side cursor on PostgreSQL: memory stays flat however long the chain.
    return AuditEvent.objects.order_by("seq").values_list(
        "seq", "at", "actor", "case_id", "kind", "payload", "prev_hash", "hash",
    ).iterator(chunk_size=chunk_size)


def verify(*, chunk_size: int = 10_000, progress=None) -> Verification:
    """Stream the chain and name the first sequence number where it breaks."""
    expected_seq, prev = 1, GENESIS_HASH
    count = 0
    sha256 = hashlib.sha256
    for seq, at, actor, case_id, kind, payload, prev_hash, stored_hash in _rows(chunk_size):
        if seq != expected_seq:
            return Verification(False, count, expected_seq, f"sequence {expected_seq} is missing (found {seq})")
        if prev_hash != prev:
            return Verification(False, count, seq, f"event {seq} does not point at the hash of event {seq - 1}")
        computed = sha256((prev + envelope(seq, at, actor, case_id, kind, payload)).encode("utf-8")).hexdigest()
        if computed != stored_hash:
            return Verification(False, count, seq, f"event {seq} was altered: its hash does not match its content")
        prev = stored_hash
        expected_seq += 1
        count += 1
        if progress is not None and count % chunk_size == 0:
            progress(count)
    return Verification(True, count, None, "", expected_seq - 1, prev)


# Signed digests: kept outside the database, they catch even a consistent rewrite of the
# whole table by someone who can bypass the triggers.

def _sign(body: dict) -> str:
    key = settings.AUDIT_DIGEST_KEY.encode("utf-8")
    return hmac.new(key, canonical_json(body).encode("utf-8"), hashlib.sha256).hexdigest()


def make_digest() -> dict:
    seq, head_hash = _head()
    body = {"seq": seq, "hash": head_hash, "at": format_moment(timezone.now())}
    return {**body, "algorithm": "HMAC-SHA256", "hmac": _sign(body)}


def write_digest(directory: Path | None = None) -> tuple[dict, Path]:
    digest = make_digest()
    folder = Path(directory or settings.AUDIT_DIGEST_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"audit-digest-{digest['seq']:012d}-{digest['at'][:19].replace(':', '')}.json"
    path.write_text(canonical_json(digest) + "\n", encoding="utf-8")
    return digest, path


class DigestError(Exception):
    pass


def check_digest(digest: dict) -> None:
    """Raise DigestError unless the digest is authentic and the chain still holds it."""
    try:
        body = {"seq": int(digest["seq"]), "hash": str(digest["hash"]), "at": str(digest["at"])}
        signature = str(digest["hmac"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DigestError(f"digest is malformed: {exc}") from exc
    if not hmac.compare_digest(_sign(body), signature):
        raise DigestError("digest signature is invalid (wrong key or edited digest)")
    if body["seq"] == 0:
        return
    stored = AuditEvent.objects.filter(seq=body["seq"]).values_list("hash", flat=True).first()
    if stored is None:
        raise DigestError(f"the chain no longer contains event {body['seq']} named by the digest")
    if stored != body["hash"]:
        raise DigestError(f"event {body['seq']} no longer has the hash the digest signed: the chain was rewritten")
