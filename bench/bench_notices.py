"""BENCH plan_1m_vs_copy and BENCH dispatch_per_s.

plan_1m_vs_copy: `plan_notices` for BENCH_PLAN_CASES due cases (default 1,000,000) —
notices and their audit events — divided by a raw COPY of exactly the rows it wrote into
the same tables, in the same run.
dispatch_per_s: notices delivered per second through a real Celery worker (prefork, two
processes, one per core) on Redis, from claim to `sent`.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.test_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

from notices.models import Notice, NoticeSchedule  # noqa: E402
from notices.planner import plan_notices  # noqa: E402
from baseline import raw_copy_seconds  # noqa: E402

CASES = int(os.environ.get("BENCH_PLAN_CASES", "1000000"))
DISPATCH = int(os.environ.get("BENCH_DISPATCH_NOTICES", "300"))
DAY = date.today()


def make_due_cases(count: int, prefix: str, jurisdiction: str = "GB") -> None:
    """Debtors, addresses, loans and cases in SQL: generating a million rows row by row in
    Python would take longer than what is measured."""
    due = DAY - timedelta(days=10)
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO collections_app_debtor (debtor_ref, full_name, language, timezone, inconvenient_times,"
            " employer_prohibits_contact, unreachable, incapacitated, vulnerable, created_at)"
            " SELECT %s || g, 'Debtor ' || g, 'en', '', '[]', false, false, false, false, now()"
            " FROM generate_series(1, %s) g", [prefix, count],
        )
        c.execute(
            "INSERT INTO collections_app_contactpoint (debtor_id, kind, value, line, line1, city, region, postal_code,"
            " country, is_workplace, is_primary, at_residence, reassigned, creditor_notice_opt_out_days,"
            " inherited_from_prior_collector, created_at)"
            " SELECT id, 'address', id || ' High Street, London, SW1A 1AA, GB', '', id || ' High Street', 'London',"
            " '', 'SW1A 1AA', 'GB', false, true, false, false, 0, false, now()"
            " FROM collections_app_debtor WHERE debtor_ref LIKE %s", [prefix + "%"],
        )
        c.execute(
            "INSERT INTO collections_app_loan (loan_ref, debtor_id, originator, current_creditor, currency, principal,"
            " balance, due_date, itemization_date, itemization_amount, interest_since, fees_since, payments_since,"
            " credits_since, updated_at)"
            " SELECT debtor_ref, id, 'Thames Credit plc', 'Thames Credit plc', 'GBP', 1000, 1200, %s, %s, 1200,"
            " 0, 0, 0, 0, now() FROM collections_app_debtor WHERE debtor_ref LIKE %s", [due, due, prefix + "%"],
        )
        c.execute(
            "INSERT INTO collections_app_case (loan_id, debtor_id, stage, jurisdiction, jurisdiction_overridden,"
            " collector_type, opened_at, stage_changed_at, suit_authorized, judgment_exists, time_barred)"
            " SELECT id, debtor_id, 'active', %s, false, 'third_party', now(), now(), false, false, false"
            " FROM collections_app_loan WHERE loan_ref LIKE %s", [jurisdiction, prefix + "%"],
        )


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def bench_plan() -> None:
    make_due_cases(CASES, "PLAN")
    NoticeSchedule.objects.all().delete()
    NoticeSchedule.objects.create(kind="reminder", channel="letter", trigger="days_past_due", offset_days=7)
    with connection.cursor() as c:
        c.execute("ANALYZE")
    seconds, report = timed(lambda: plan_notices(day=DAY))
    assert report.planned == CASES, report
    copy_seconds = raw_copy_seconds(["notices_notice", "compliance_auditevent"])
    print(f"# plan_notices {seconds:.1f}s for {CASES} cases, raw COPY {copy_seconds:.1f}s")
    print(f"BENCH plan_1m_vs_copy {seconds / copy_seconds:.2f} ratio", flush=True)


def bench_dispatch() -> None:
    """A real worker on a private Redis; the dispatch job runs every second, as beat would."""
    from collections_app.celery import app as celery_app
    import kombu.pools
    from notices import tasks

    with connection.cursor() as c:
        c.execute("SET session_replication_role = replica")
        c.execute("TRUNCATE notices_notice")
        c.execute("SET session_replication_role = DEFAULT")
    make_due_cases(DISPATCH, "DISP")
    with connection.cursor() as c:
        c.execute("CHECKPOINT")  # flush the planning bench's writes before timing commits
    NoticeSchedule.objects.all().delete()
    NoticeSchedule.objects.create(kind="reminder", channel="letter", trigger="days_past_due", offset_days=7)
    plan_notices(day=DAY)
    port = _free_port()
    folder = Path(tempfile.mkdtemp())
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    db = connection.settings_dict
    env = {**os.environ, "CELERY_BROKER_URL": url, "DUNWELL_VAR_DIR": str(folder),
           "NOTICES_PRINT_DIR": str(folder / "print"),
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"}
    log = folder / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "collections_app", "worker", "--concurrency=2", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    kombu.pools.reset()
    celery_app.conf.broker_url = celery_app.conf.broker_read_url = celery_app.conf.broker_write_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    settings.NOTICES_PRINT_DIR = folder / "print"
    try:
        time.sleep(3)  # the worker connects
        start = time.perf_counter()
        while Notice.objects.filter(status="sent").count() < DISPATCH:
            if not tasks.dispatch_notices()["claimed"]:
                time.sleep(0.5)
            if time.perf_counter() - start > 900:
                raise RuntimeError("dispatch did not finish:\n" + log.read_text()[-2000:])
        seconds = time.perf_counter() - start
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        redis.kill()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"# {DISPATCH} letters claimed, decided, recorded, queued for print and audited in {seconds:.1f}s")
    print(f"BENCH dispatch_per_s {DISPATCH / seconds:.1f} notices/s", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    assert connection.vendor == "postgresql"
    bench_plan()
    bench_dispatch()
