"""BENCH queue_p95_ms and BENCH queue_queries: the collector's work queue, server side.

Generates BENCH_QUEUE_CASES cases (default 1,000,000) with ten contact attempts each in
PostgreSQL, set-based (INSERT … SELECT generate_series: no row-by-row Python), gives one
collector BENCH_QUEUE_COLLECTOR_CASES of them (default 2,000: a large book), then times
the first page of that collector's queue through Django's test client, in process.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.test_settings")
# Persistent connections, as the README asks of production: otherwise every page pays for a
# new database session (connection, authentication, cold catalog caches).
os.environ.setdefault("DB_CONN_MAX_AGE", "60")

# Started as the web server starts it (django.setup, then the start-up objects frozen out
# of the garbage collector's way), so the page is timed as it is served.
from collections_app.wsgi import application  # noqa: E402, F401

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

CASES = int(os.environ.get("BENCH_QUEUE_CASES", "1000000"))
CONTACTS_PER_CASE = int(os.environ.get("BENCH_QUEUE_CONTACTS_PER_CASE", "10"))
MINE = min(int(os.environ.get("BENCH_QUEUE_COLLECTOR_CASES", "2000")), CASES)
OTHER_COLLECTORS = 200
# 200 pages: a 95th percentile of 50 is the third-worst time, at the mercy of one noisy second.
REQUESTS = int(os.environ.get("BENCH_QUEUE_REQUESTS", "200"))

GENERATE = [
    # Debtors, each with a mobile in a US zone, an email and an address.
    """INSERT INTO collections_app_debtor (debtor_ref, full_name, language, timezone, inconvenient_times,
           employer_prohibits_contact, unreachable, incapacitated, vulnerable, created_at)
       SELECT 'BD' || g, 'Debtor ' || g, 'en', '', '[]'::jsonb, false, false, false, false, now()
       FROM generate_series(1, %(cases)s) g""",
    """INSERT INTO collections_app_contactpoint (debtor_id, kind, value, line1, city, region, postal_code, country,
           is_workplace, is_primary, line, at_residence, consumer_used_at, reassigned_check_at, reassigned,
           creditor_notice_opt_out_days, inherited_from_prior_collector, created_at)
       SELECT d.id, k.kind,
              CASE k.kind WHEN 'phone' THEN '+1' || (ARRAY['212','312','617','213'])[1 + d.id %% 4] || '555' || lpad((d.id %% 10000)::text, 4, '0')
                          WHEN 'email' THEN 'd' || d.id || '@example.com' ELSE d.id || ' Main Street, Springfield' END,
              '', 'Springfield', 'IL', '62701', 'US', false, true,
              CASE k.kind WHEN 'phone' THEN 'mobile' ELSE '' END, false,
              CASE WHEN k.kind = 'phone' AND d.id %% 3 = 0 THEN now() - interval '5 days' END, NULL, false, 0, false, now()
       FROM collections_app_debtor d CROSS JOIN (VALUES ('phone'), ('email'), ('address')) AS k(kind)""",
    """INSERT INTO collections_app_loan (loan_ref, debtor_id, originator, current_creditor, currency, principal,
           balance, due_date, itemization_date, itemization_amount, interest_since, fees_since, payments_since,
           credits_since, updated_at)
       SELECT 'BL' || d.id, d.id, 'Bench Bank', 'Bench Bank', 'USD', 1000 + d.id %% 9000, 500 + (d.id * 7919) %% 20000,
              current_date - (d.id %% 200)::int, current_date - (d.id %% 200)::int, 500 + (d.id * 7919) %% 20000, 0, 0, 0, 0, now()
       FROM collections_app_debtor d""",
    # The measured collector gets the first MINE cases; the rest are spread over others.
    """INSERT INTO collections_app_case (loan_id, debtor_id, stage, collector_id, team_id, jurisdiction,
           jurisdiction_overridden, collector_type, opened_at, stage_changed_at, suit_authorized, judgment_exists,
           time_barred, initial_communication_at, validation_notice_sent_at, validation_period_end)
       SELECT l.id, l.debtor_id, (ARRAY['active','early','final_notice','active'])[1 + l.id %% 4],
              CASE WHEN l.id <= %(mine)s THEN %(me)s ELSE (%(others)s)[1 + l.id %% %(n_others)s] END, NULL,
              (ARRAY['US','US-MA','US-CA','US'])[1 + l.id %% 4], false, 'third_party', now(), now(), false, false, false,
              now() - interval '60 days', now() - interval '60 days', current_date - 20
       FROM collections_app_loan l""",
    # Ten attempts a case over the last ~100 days, about a third inside the gate's look-back.
    """INSERT INTO collections_app_contactattempt (case_id, debtor_id, channel, destination, at, actor_id, actor_label,
           outcome, allowed, rule_ids, citations, pack, pack_version, message, note, source, initiated_by_consumer,
           with_consent, purpose, decision)
       SELECT c.id, c.debtor_id, (ARRAY['call','call','sms','email'])[1 + (c.id + k) %% 4], '', now() - ((k * 10 + c.id %% 10) || ' days')::interval - ((c.id %% 600) || ' minutes')::interval,
              NULL, 'import', (ARRAY['no_answer','voicemail','conversation','right_party_contact','no_answer'])[1 + (c.id * k) %% 5],
              true, '[]'::jsonb, '[]'::jsonb, 'US', '', '', '', 'imported', false, false, 'collection', '{}'::jsonb
       FROM collections_app_case c CROSS JOIN generate_series(1, %(per_case)s) k""",
    """INSERT INTO collections_app_promisetopay (case_id, amount, currency, due_date, status, created_at, created_by_id)
       SELECT c.id, 100, 'USD', current_date + ((c.id %% 14) - 7)::int, (ARRAY['open','kept','broken'])[1 + c.id %% 3], now(), NULL
       FROM collections_app_case c WHERE c.id %% 20 = 0""",
    """INSERT INTO collections_app_payment (loan_id, external_ref, amount, currency, received_on, posted_at)
       SELECT l.id, 'BP' || l.id, 50, 'USD', current_date - (l.id %% 120)::int, now()
       FROM collections_app_loan l WHERE l.id %% 7 = 0""",
]


def generate(me: User, others: list[int]) -> float:
    start = time.perf_counter()
    params = {"cases": CASES, "mine": MINE, "me": me.pk, "others": others, "n_others": len(others),
              "per_case": CONTACTS_PER_CASE}
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in GENERATE:
            cursor.execute(sql, params)
    with connection.cursor() as cursor:
        # VACUUM as well: the triggers that keep each case's queue facts rewrote every case
        # row during the load, and a server running autovacuum (the default; this machine's
        # cluster has it off) would have cleared the dead row versions before a collector
        # logs in. Measured on the steady state, not on the load's debris.
        cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - start


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("bench_queue needs PostgreSQL (DATABASE_URL)")
    if os.environ.get("BENCH_QUEUE_REUSE") and User.objects.filter(username="bench-collector").exists():
        return measure(User.objects.get(username="bench-collector"))
    collector_group = Group.objects.get(name="collector")
    me = User.objects.create_user("bench-collector", password="bench-only-password")
    me.groups.add(collector_group)
    others = []
    for n in range(OTHER_COLLECTORS):
        other = User.objects.create_user(f"bench-collector-{n}")
        other.groups.add(collector_group)
        others.append(other.pk)
    seconds = generate(me, others)
    print(f"# generated {CASES:,} cases and {CASES * CONTACTS_PER_CASE:,} contact attempts in {seconds:.1f} s;"
          f" the measured collector holds {MINE:,} cases", flush=True)
    measure(me)


def measure(me: User) -> None:
    # The test client's host; not setup_test_environment(), whose template instrumentation
    # would add its own cost to every render.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(me)
    for _ in range(5):  # warm caches, connections, templates
        assert client.get("/queue/").status_code == 200
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get("/queue/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get("/queue/")
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"# median {statistics.median(timings):.1f} ms over {REQUESTS} requests of a 50-row page")
    print(f"BENCH queue_p95_ms {p95:.1f} ms")
    print(f"BENCH queue_queries {len(captured)} queries")
    # Informational: the "can contact now" filter, decided batch by batch over the ranked queue.
    contactable = []
    for _ in range(max(min(REQUESTS // 5, 10), 2)):
        start = time.perf_counter()
        response = client.get("/queue/", {"contactable": "on"})
        contactable.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    print(f"# contactable filter: median {statistics.median(contactable):.1f} ms,"
          f" max {max(contactable):.1f} ms over {len(contactable)} requests")


if __name__ == "__main__":
    main()
