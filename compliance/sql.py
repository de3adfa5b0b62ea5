"""Plain SQL on the current connection, for the hot paths that build no model instances.

On PostgreSQL a list of statements goes to the server as one query string: Django's
psycopg cursor binds parameters on the client and uses the simple query protocol, which
runs the statements in order, each with its own snapshot, and answers them all in one
round trip. On a local server a round trip costs more than the statements themselves.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import count
from typing import Iterator
from weakref import WeakKeyDictionary

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from psycopg.pq import ExecStatus, TransactionStatus


@dataclass(frozen=True)
class Prepared:
    """A statement PostgreSQL plans once per connection (PREPARE) and then runs by name:
    planning these small statements costs more than running them. Use it as the SQL of
    a query, with its parameters as usual. It is prepared the second time it runs on a
    connection (a connection that runs it once gains nothing), in the same round trip;
    other databases run `sql` itself. Prepared statements live in the server session, so
    a pooler must not hand one session's connection to another (session pooling is fine).
    """

    name: str
    sql: str  # with %s placeholders

    @cached_property
    def prepare_sql(self) -> str:
        # Sent in a batch with parameters, so a literal % stays written %%.
        counter = count(1)
        body = _PLACEHOLDER.sub(lambda m: m.group() if m.group() == "%%" else f"${next(counter)}", self.sql)
        return f"PREPARE {self.name} AS {body}"

    @cached_property
    def execute_sql(self) -> str:
        arity = len(_PLACEHOLDER.findall(self.sql.replace("%%", "")))
        return f"EXECUTE {self.name}({', '.join(['%s'] * arity)})" if arity else f"EXECUTE {self.name}"


_PLACEHOLDER = re.compile("%[s%]")
Query = tuple["str | Prepared", list]


class _Session:
    """What one connection's server session holds of the Prepared statements."""

    def __init__(self):
        self.prepared: set[str] = set()
        self.ran_once: set[str] = set()
        # PREPAREs sent in a batch that failed may or may not have been made (they outlive
        # the transaction); these run as plain SQL on this connection from then on.
        self.unsure: set[str] = set()

    def text(self, sql: Prepared, preparing: dict[str, Prepared]) -> str:
        if not settings.DUNWELL_PREPARED_STATEMENTS:
            return sql.sql
        name = sql.name
        if name in self.prepared or name in preparing:
            return sql.execute_sql
        if name in self.unsure or name not in self.ran_once:
            self.ran_once.add(name)
            return sql.sql
        preparing[name] = sql
        return sql.execute_sql


# A new connection (Django's reconnect makes a new object) starts a new session.
_sessions: WeakKeyDictionary = WeakKeyDictionary()


def run(queries: list[Query]) -> list[list[tuple]]:
    """Execute queries in order; return every result (an empty list for statements)."""
    with connection.cursor() as cursor:
        return _execute(cursor, queries)


def _execute(cursor, queries: list[Query]) -> list[list[tuple]]:
    if connection.vendor != "postgresql":
        results = []
        for sql, params in queries:
            cursor.execute(sql.sql if isinstance(sql, Prepared) else sql, params)
            results.append(cursor.fetchall() if cursor.description else [])
        return results
    session = _sessions.get(connection.connection) or _sessions.setdefault(connection.connection, _Session())
    preparing: dict[str, Prepared] = {}
    texts, params = [], []
    for sql, more in queries:
        texts.append(session.text(sql, preparing) if isinstance(sql, Prepared) else sql)
        params += more
    prepares = [sql.prepare_sql for sql in preparing.values()]
    try:
        cursor.execute(";\n".join([*prepares, *texts]), params)
    except BaseException:
        session.unsure.update(preparing)
        raise
    session.prepared.update(preparing)
    # Every answer arrived with `execute`; reading them is local work, done on psycopg's own
    # cursor: through Django's wrapper each attribute read is a __getattr__ call, and each
    # fetchall and nextset a new error-translating function (translation stays, once,
    # around the whole loop).
    raw = cursor.cursor
    results = []
    with connection.wrap_database_errors:
        while True:
            # `description` builds column objects; the status is all this needs to know.
            results.append(raw.fetchall() if raw.pgresult.status == ExecStatus.TUPLES_OK else [])
            if not raw.nextset():
                return results[len(prepares):]


class Batches:
    """One transaction (or savepoint) whose statements travel in batches: `run` for those
    whose answers the caller needs before going on, `commit` for the last ones. The
    statements that open and close it ride with the first and the last batch instead of
    costing a round trip each, as they do through transaction.atomic()."""

    def __init__(self, cursor, *, start: str | None = None, end: str | None = None):
        self._cursor = cursor
        self._start, self._end = start, end
        self.begun = self.done = False

    def run(self, queries: list[Query]) -> list[list[tuple]]:
        return self._send(queries, [])

    def commit(self, queries: list[Query]) -> list[list[tuple]]:
        results = self._send(queries, [(self._end, [])] if self._end else [])
        self.done = True
        return results

    def _send(self, queries: list[Query], after: list[Query]) -> list[list[tuple]]:
        before = [(self._start, [])] if self._start and not self.begun else []
        self.begun = True
        results = _execute(self._cursor, [*before, *queries, *after])
        return results[len(before):len(results) - len(after)]


SAVEPOINT = "dunwell_batches"


@contextmanager
def batched_transaction() -> Iterator[Batches]:
    """A transaction for a few batches of plain SQL; call `commit` last, exactly once.

    On PostgreSQL, outside any transaction it is its own (BEGIN ... COMMIT); inside the
    caller's it is a savepoint, released into the caller's transaction, which commits or
    rolls back as usual. Whatever fails before the commit is rolled back, as by
    transaction.atomic(), which is what it is on other databases.
    """
    if connection.vendor != "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            yield Batches(cursor)
        return
    own = not connection.in_atomic_block and connection.get_autocommit()
    with connection.cursor() as cursor:
        batches = (
            Batches(cursor, start="BEGIN", end="COMMIT") if own
            else Batches(cursor, start=f"SAVEPOINT {SAVEPOINT}", end=f"RELEASE SAVEPOINT {SAVEPOINT}")
        )
        try:
            yield batches
            if batches.begun and not batches.done:
                raise transaction.TransactionManagementError("batched_transaction ended without commit()")
        except BaseException:
            if batches.begun and not batches.done:
                _roll_back(cursor, own)
            raise


def _roll_back(cursor, own: bool) -> None:
    if own:
        # A failed COMMIT has already ended the transaction on the server; anything else
        # leaves it open (or aborted), and it must not linger on a connection Django
        # believes is in autocommit.
        raw = connection.connection
        if raw is None or raw.info.transaction_status == TransactionStatus.IDLE:
            return
        undo = "ROLLBACK"
    else:
        undo = f"ROLLBACK TO SAVEPOINT {SAVEPOINT}; RELEASE SAVEPOINT {SAVEPOINT}"
    try:
        cursor.execute(undo)
    except DatabaseError:
        # As transaction.atomic does: a connection that cannot roll back its own
        # transaction is dropped; a caller's that cannot be rolled back to the savepoint
        # must be rolled back whole.
        if own:
            connection.close()
        else:
            connection.needs_rollback = True


def db_moment(value):
    """A moment as the database stores it (SQLite: naive UTC text, as the ORM writes it)."""
    return connection.ops.adapt_datetimefield_value(value)
