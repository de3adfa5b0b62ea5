"""BENCH explorer_p95_ms and BENCH export_rows_per_s.

explorer_p95_ms: the 95th percentile, in milliseconds, of the audit explorer's first page
(GET /audit/ with filters, rendered by the Django test Client as a signed-in officer) on a
ledger of BENCH_EXPLORER_EVENTS events (default 10,000,000). Several filter combinations
are timed (decision + collector + channel, rule, case, pack, a time window).
export_rows_per_s: the period export (CSV, streamed through a server-side cursor) of a
window of BENCH_EXPORT_EVENTS events (default 1,000,000), in rows per second.

The ledger is generated in SQL (INSERT … SELECT generate_series) in a throwaway copy of the
bench database, dropped afterwards, so the other benches see the ledger they expect. The
generated events do NOT chain: their hashes are placeholders, because the explorer and the
export read hashes but never recompute them (verification has its own bench). Inserts need
no trigger bypass: the ledger's triggers refuse only UPDATE, DELETE and TRUNCATE. The
secondary indexes are dropped for the load and rebuilt with their own definitions after,
which builds the same indexes faster.
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.test_settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test Client's host

EVENTS = int(os.environ.get("BENCH_EXPLORER_EVENTS", "10000000"))
EXPORT_EVENTS = int(os.environ.get("BENCH_EXPORT_EVENTS", "1000000"))
REPEATS = int(os.environ.get("BENCH_EXPLORER_REPEATS", "20"))
CASES, COLLECTORS = 10_000, 50
# One event every this many seconds, ending now: 10M events span about 116 days.
STEP_SECONDS = 1


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def clone_database() -> tuple[str, str, str]:
    """A copy of the freshly migrated bench database to fill and then drop."""
    source_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dunwell_bench")
    source = urlsplit(source_url).path.lstrip("/")
    clone = f"{source}_explorer"
    admin = _with_db(source_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {clone} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {clone} TEMPLATE {source}")
    return admin, clone, _with_db(source_url, clone)


def drop_database(admin: str, name: str) -> None:
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


ADMIN, CLONE, CLONE_URL = clone_database()
os.environ["DATABASE_URL"] = CLONE_URL

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from compliance import exports  # noqa: E402
from compliance.selectors import AuditFilters  # noqa: E402


def setup_cases() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("""
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            SELECT '!', false, 'collector' || g, '', '', '', false, true, now() FROM generate_series(1, %s) g
        """, [COLLECTORS])
        cursor.execute("""
            INSERT INTO collections_app_debtor (debtor_ref, full_name, language, timezone, inconvenient_times,
                employer_prohibits_contact, unreachable, incapacitated, vulnerable, created_at)
            SELECT 'BD' || g, 'Debtor ' || g, 'en', '', '[]', false, false, false, false, now()
            FROM generate_series(1, %s) g
        """, [CASES])
        cursor.execute("""
            INSERT INTO collections_app_loan (loan_ref, debtor_id, originator, current_creditor, currency, principal,
                balance, due_date, itemization_date, itemization_amount, interest_since, fees_since, payments_since,
                credits_since, updated_at)
            SELECT 'BL' || d.id, d.id, '', '', 'USD', 1000, 1000, current_date - 40, current_date - 40, 1000, 0, 0, 0, 0, now()
            FROM collections_app_debtor d
        """)
        cursor.execute("""
            INSERT INTO collections_app_case (loan_id, debtor_id, stage, jurisdiction, jurisdiction_overridden,
                collector_type, opened_at, stage_changed_at, suit_authorized, judgment_exists, time_barred)
            SELECT l.id, l.debtor_id, 'active', CASE WHEN l.id % 5 = 0 THEN 'CN' ELSE 'US' END, false,
                'third_party', now(), now(), false, false, false
            FROM collections_app_loan l
        """)
        cursor.execute("SELECT id FROM collections_app_case ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def generate_ledger(case_ids: list[int]) -> float:
    table = "compliance_auditevent"
    first_case = case_ids[0]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'collector%%'")
        first_user = cursor.fetchone()[0]
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE '%%pkey'", [table])
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Every 10th event is a blocked contact, 4 in 10 allowed contacts, the rest other kinds;
        # channel, rule and pack vary with the sequence number. The payloads are canonical
        # JSON in the gate's shape (sorted keys, no spaces).
        # Collector, case, channel and rule come from independent hashes of the sequence
        # number, so filters combine as they would on real data (no accidental correlation).
        cursor.execute(f"""
            INSERT INTO {table} (seq, at, actor, case_id, kind, payload, prev_hash, hash)
            SELECT g,
                   now() - make_interval(secs => ({EVENTS} - g) * {STEP_SECONDS}),
                   'user:' || ({first_user} + h1 % {COLLECTORS}) || ':collector' || (1 + h1 % {COLLECTORS}),
                   {first_case} + h2 % {CASES},
                   CASE WHEN g % 10 = 0 THEN 'contact.blocked' WHEN g % 10 < 5 THEN 'contact.allowed'
                        WHEN g % 10 < 8 THEN 'notice.planned' ELSE 'case.stage_changed' END,
                   CASE WHEN g % 10 < 5 THEN
                     '{{"allowed":' || (g % 10 <> 0)::text || ',"attempt":' || g ||
                     ',"channel":"' || (ARRAY['call','sms','email','letter','visit'])[1 + h3 % 5] ||
                     '","citations":[],"decision_sha256":"' || repeat('d', 64) ||
                     '","outcome":"no_answer","pack_version":"' ||
                     CASE WHEN (h2 % {CASES}) % 5 = 0 THEN 'CN 2026-01-30' ELSE 'US 2021-11-30' END ||
                     '","rules":' || CASE WHEN g % 10 = 0 THEN
                        '["' || (ARRAY['US.TIME','US.CALLS.7IN7','US.DISCLOSURE','CN.TIME'])[1 + h4 % 4] || '"]'
                        ELSE '[]' END || ',"warnings":[]}}'
                   ELSE '{{"n":' || g || '}}' END,
                   repeat('0', 64), repeat('f', 64)
            FROM generate_series(1, {EVENTS}) g,
                 LATERAL (SELECT hashint8(g) & 2147483647 AS h1, hashint8(g + {EVENTS}) & 2147483647 AS h2,
                                 hashint8(g + 2 * {EVENTS}) & 2147483647 AS h3,
                                 hashint8(g + 3 * {EVENTS}) & 2147483647 AS h4) h
        """)
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def officer_client() -> Client:
    officer = User.objects.create_user("bench-officer", password="bench-officer-password")
    officer.groups.add(Group.objects.get(name="compliance_officer"))
    client = Client()
    client.force_login(officer)
    return client


def explorer_p95(client: Client, case_ids: list[int]) -> tuple[float, dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'collector%%'")
        first_user = cursor.fetchone()[0]
    last_week = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 7 * 86400))
    queries = {
        "blocked+collector+channel": {"decision": "blocked", "collector": first_user + 3, "channel": "call"},
        "rule": {"rule": "US.CALLS.7IN7"},
        "case": {"case": case_ids[len(case_ids) // 2]},
        "pack": {"pack": "CN", "decision": "blocked"},
        "last week blocked": {"from": last_week, "decision": "blocked"},
    }
    timings: dict[str, list[float]] = {name: [] for name in queries}
    for name, params in queries.items():
        client.get("/audit/", params)  # warm the plan and the cache once
        for _ in range(REPEATS):
            start = time.perf_counter()
            response = client.get("/audit/", params)
            timings[name].append((time.perf_counter() - start) * 1000)
            rows = response.content.count(b'class="event-row"')
            assert response.status_code == 200 and rows > 0, (name, response.status_code, rows)
    every = sorted(t for values in timings.values() for t in values)
    p95 = every[max(int(len(every) * 0.95) - 1, 0)]
    return p95, {name: statistics.median(values) for name, values in timings.items()}


def export_rate() -> tuple[float, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT at FROM compliance_auditevent WHERE seq = %s", [max(EVENTS - EXPORT_EVENTS + 1, 1)])
        since = cursor.fetchone()[0]
    filters = AuditFilters(since=since)
    start = time.perf_counter()
    export = exports.export_period(filters=filters, fmt="csv", actor="job:bench")
    rows = sum(chunk.count("\n") for chunk in export.rows) - 1
    return rows / (time.perf_counter() - start), rows


def main() -> int:
    try:
        case_ids = setup_cases()
        seconds = generate_ledger(case_ids)
        print(f"generated {EVENTS:,} events in {seconds:.1f} s", file=sys.stderr)
        p95, medians = explorer_p95(officer_client(), case_ids)
        print("explorer medians (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in medians.items()), file=sys.stderr)
        print(f"BENCH explorer_p95_ms {p95:.1f} ms")
        rate, rows = export_rate()
        print(f"exported {rows:,} rows", file=sys.stderr)
        print(f"BENCH export_rows_per_s {rate:.0f} rows/s")
    finally:
        connection.close()
        if not os.environ.get("BENCH_EXPLORER_KEEP"):
            drop_database(ADMIN, CLONE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
