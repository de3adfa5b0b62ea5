"""BENCH record_vs_insert: gate.record's rate (lock the debtor, read fresh history, decide,
write the attempt and its audit event, commit) divided by a bare single-row INSERT+COMMIT
rate on the same server in the same run."""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.test_settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils.timezone import now  # noqa: E402

from collections_app.models import Case, ContactPoint, Debtor, Loan  # noqa: E402
from compliance import gate  # noqa: E402

NEW_YORK = ZoneInfo("America/New_York")
RECORDS = int(os.environ.get("BENCH_RECORDS", "600"))


def bare_insert_rate(n: int, *, durable: bool = True) -> float:
    """Single-row INSERT+COMMIT into a plain table shaped like a small log row.

    Durable by default, as a contact attempt is: a TEMP table writes no WAL, so its commit
    waits for no flush, which compares a durable record with a write that is not (kept as
    an informational figure)."""
    db = settings.DATABASES["default"]
    table = "bench_bare_insert" if durable else "bench_bare_insert_temp"
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"],
                         autocommit=True) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.execute(f"CREATE {'' if durable else 'TEMP '}TABLE {table}"
                     " (id bigserial PRIMARY KEY, case_id bigint, at timestamptz, note text)")
        try:
            start = time.perf_counter()
            for i in range(n):
                with conn.transaction():
                    conn.execute(f"INSERT INTO {table} (case_id, at, note) VALUES (%s, now(), %s)", (i, "x"))
            return n / (time.perf_counter() - start)
        finally:
            conn.execute(f"DROP TABLE {table}")


def two_round_trip_rate(n: int) -> float:
    """The shape every race-safe record has, with nothing else: lock a row and read (one
    round trip), then insert and commit durably (a second). A record must read the history
    under the lock before it can decide what to write, so this rate bounds gate.record's."""
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"],
                         autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_two_trips_lock, bench_two_trips_log")
        conn.execute("CREATE TABLE bench_two_trips_lock (id int PRIMARY KEY)")
        conn.execute("INSERT INTO bench_two_trips_lock VALUES (1)")
        conn.execute("CREATE TABLE bench_two_trips_log (id bigserial PRIMARY KEY, case_id bigint, at timestamptz, note text)")
        try:
            start = time.perf_counter()
            for i in range(n):
                # Statements without parameters go as one simple query: one round trip each line.
                conn.execute("BEGIN; SELECT id FROM bench_two_trips_lock WHERE id = 1 FOR UPDATE;"
                             " SELECT count(*) FROM bench_two_trips_log WHERE case_id = 1")
                conn.execute(f"INSERT INTO bench_two_trips_log (case_id, at, note) VALUES ({i}, now(), 'x'); COMMIT")
            return n / (time.perf_counter() - start)
        finally:
            conn.execute("DROP TABLE bench_two_trips_lock, bench_two_trips_log")


def record_rate(n: int, round_: int) -> float:
    user, _ = User.objects.get_or_create(username="bench-collector")
    debtors = []
    for i in range(n // 10):  # ten records per debtor: a realistic, growing history
        debtor = Debtor.objects.create(debtor_ref=f"BENCH-GATE-{round_}-{i}", full_name=f"Bench {i}")
        # Half the debtors have texted us from their mobile, so texts to them are allowed
        # (1006.6(d)(3)); the others' are refused. Both kinds of record are measured.
        ContactPoint.objects.create(debtor=debtor, kind="phone", value=f"+1212555{i:04d}", line="mobile", is_primary=True,
                                    consumer_used_at=now() - timedelta(days=3) if i % 2 else None)
        ContactPoint.objects.create(debtor=debtor, kind="address", value="NY", country="US", region="NY")
        loan = Loan.objects.create(loan_ref=f"BENCH-GATE-{round_}-{i}", debtor=debtor, currency="USD", principal=100, balance=100,
                                   due_date="2026-10-01", itemization_date="2026-10-01", itemization_amount=100)
        debtors.append(Case.objects.create(loan=loan, debtor=debtor, jurisdiction="US", collector_type="third_party",
                                            # First contacted two months ago; the validation period is over.
                                            initial_communication_at=now() - timedelta(days=60),
                                            validation_notice_sent_at=now() - timedelta(days=60),
                                            validation_period_end=(now() - timedelta(days=15)).date()))
    cases = [Case.objects.select_related("debtor").get(pk=c.pk) for c in debtors]
    # A New York afternoon: at night every call and text would be refused by time alone.
    afternoon = now().astimezone(NEW_YORK).replace(hour=14, minute=0, second=0, microsecond=0)
    allowed = 0
    start = time.perf_counter()
    for i in range(n):
        recorded = gate.record(case=cases[i % len(cases)], channel="sms", outcome="sent", by=user,
                               message="This is a communication from a debt collector. Reply STOP to opt out.",
                               at=afternoon + timedelta(seconds=i))
        allowed += recorded.decision.allowed
    rate = n / (time.perf_counter() - start)
    assert 0 < allowed < n, f"{allowed} of {n} records allowed: the scenario should mix both"
    return rate


def record_time_split(n: int, round_: int) -> tuple[float, float, float]:
    """Milliseconds per record spent in the first round trip (locks and reads), in the second
    (the inserts and the durable commit) and elsewhere (Python), from a separate run that
    times compliance.sql's batches; the measured runs are not wrapped."""
    from compliance import sql

    spent: list[float] = []
    execute = sql._execute

    def timed(cursor, queries):
        start = time.perf_counter()
        try:
            return execute(cursor, queries)
        finally:
            spent.append(time.perf_counter() - start)

    sql._execute = timed
    try:
        total = 1000 / record_rate(n, round_)
    finally:
        sql._execute = execute
    first, second = sum(spent[0::2]) * 1000 / n, sum(spent[1::2]) * 1000 / n
    return first, second, total - first - second


def main() -> None:
    assert connection.vendor == "postgresql"
    records, bare, unlogged, two_trips = [], [], [], []
    for _ in range(2):  # interleaved, best of two: the machine is shared
        bare.append(bare_insert_rate(RECORDS))
        unlogged.append(bare_insert_rate(RECORDS, durable=False))
        two_trips.append(two_round_trip_rate(RECORDS))
        records.append(record_rate(RECORDS // 2, len(records)))
    print(f"# gate.record {max(records):,.0f}/s, bare durable INSERT+COMMIT {max(bare):,.0f}/s"
          f" (into a TEMP table, which waits for no WAL flush: {max(unlogged):,.0f}/s)")
    print(f"BENCH record_vs_insert {max(records) / max(bare):.2f} ratio", flush=True)
    print(f"# the bare two-round-trip transaction (lock and read, then insert and commit): {max(two_trips):,.0f}/s,"
          f" {max(two_trips) / max(bare):.2f} of the bare insert: the most a record that decides under a lock can reach;"
          f" gate.record reaches {max(records) / max(two_trips):.2f} of it")
    first, second, python = record_time_split(RECORDS // 2, len(records))
    print(f"# per record, from another run: first round trip {first:.2f} ms (locks and reads),"
          f" second {second:.2f} ms (inserts and durable commit), the rest {python:.2f} ms (Python)")


if __name__ == "__main__":
    main()
