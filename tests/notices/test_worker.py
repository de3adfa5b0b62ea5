"""The outbox with a real Celery worker on a real Redis: plan, dispatch, deliver, record,
audit; a worker killed mid-run; Redis stopped mid-run.

Each test starts its own redis-server on a free port, so stopping it disturbs nobody, and
its own worker process on the test database. Letters are used because they are not bound
to the hour, so the tests pass at any time of day (the hour rules are tested in
test_outbox.py with the clock frozen)."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import kombu.pools
import pytest
from django.db import connection

from collections_app.celery import app as celery_app
from collections_app.models import ContactAttempt
from compliance import ledger
from compliance.models import AuditEvent
from notices import tasks
from notices.models import Notice, NoticeSchedule
from notices.planner import plan_notices

from .conftest import make_case

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    # Committed data: the worker is another process. serialized_rollback keeps the roles.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = date.today()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Redis:
    def __init__(self, folder: Path):
        self.port, self.folder, self.process = free_port(), folder, None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        # Keeps nothing on disk (--save ""): queued messages are lost, as in a real crash.
        if self.process:
            self.process.kill()
            self.process.wait()
            self.process = None


def use_broker(url: str) -> None:
    """Point this process's Celery app (which enqueues) at another broker."""
    kombu.pools.reset()  # forget producers bound to the previous broker
    celery_app.conf.broker_url = celery_app.conf.broker_read_url = celery_app.conf.broker_write_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis(tmp_path):
    server = Redis(tmp_path)
    server.start()
    previous = celery_app.conf.broker_url
    use_broker(server.url)
    yield server
    server.stop()
    use_broker(previous)


@pytest.fixture
def outbox_dirs(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.NOTICES_PRINT_DIR = tmp_path / "print"
    settings.NOTICES_LEASE_SECONDS = 3
    return tmp_path


class Worker:
    def __init__(self, redis: Redis, var_dir: Path):
        self.redis, self.var_dir, self.process = redis, var_dir, None
        self.log = var_dir / "worker.log"

    def start(self):
        db = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "collections_app.test_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
            "CELERY_BROKER_URL": self.redis.url,
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "NOTICES_LEASE_SECONDS": "3",
            "DUNWELL_VAR_DIR": str(self.var_dir),
            "NOTICES_PRINT_DIR": str(self.var_dir / "print"),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "collections_app", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{time.monotonic_ns()}@%h"],
            cwd=ROOT, env=env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker(redis, outbox_dirs):
    running = Worker(redis, outbox_dirs)
    running.start()
    yield running
    running.stop()


def letter_cases(count: int):
    NoticeSchedule.objects.all().delete()
    NoticeSchedule.objects.create(kind="reminder", channel="letter", trigger="days_past_due", offset_days=7)
    cases = []
    for _ in range(count):
        case = make_case("GB", due_date=TODAY - timedelta(days=10))
        cases.append(case)
    return cases


def dispatch_until_sent(expected: int, *, timeout: float, between=None) -> None:
    """Run the minute job (faster) until every notice is sent, as beat would."""
    deadline = time.monotonic() + timeout
    while Notice.objects.filter(status="sent").count() < expected:
        if time.monotonic() > deadline:
            counts = {s: Notice.objects.filter(status=s).count() for s in ("planned", "sending", "sent", "failed")}
            raise AssertionError(f"not all sent in time: {counts}")
        tasks.dispatch_notices()
        if between:
            between()
        time.sleep(1)


def handovers(var_dir: Path) -> list[str]:
    log = var_dir / "print" / TODAY.isoformat() / "handovers.jsonl"
    return [json.loads(line)["key"] for line in log.read_text().splitlines()] if log.exists() else []


def test_worker_delivers_planned_letters_and_each_send_is_recorded_and_audited(worker, outbox_dirs):
    letter_cases(3)
    assert plan_notices(day=TODAY).planned == 3
    dispatch_until_sent(3, timeout=60)
    assert ContactAttempt.objects.filter(channel="letter", allowed=True).count() == 3
    assert AuditEvent.objects.filter(kind="notice.sent").count() == 3
    assert sorted(set(handovers(outbox_dirs))) == sorted(Notice.objects.values_list("idempotency_key", flat=True))
    assert ledger.verify().ok


def test_rerunning_the_day_changes_nothing(worker, outbox_dirs):
    letter_cases(2)
    plan_notices(day=TODAY)
    dispatch_until_sent(2, timeout=60)
    events = AuditEvent.objects.count()
    assert plan_notices(day=TODAY).planned == 0
    assert tasks.dispatch_notices()["claimed"] == 0
    assert AuditEvent.objects.count() == events


def test_worker_killed_mid_dispatch_of_1000_notices_delivers_every_one_under_its_own_key(worker, outbox_dirs):
    letter_cases(1000)
    plan_notices(day=TODAY)
    tasks.dispatch_notices()
    while Notice.objects.filter(status="sent").count() < 100:
        time.sleep(0.2)
    worker.kill()  # kill -9 in the middle of the run
    assert Notice.objects.exclude(status="sent").exists()
    worker.start()
    dispatch_until_sent(1000, timeout=600)
    keys = dict(Notice.objects.values_list("pk", "idempotency_key"))
    seen = handovers(outbox_dirs)
    assert set(seen) == set(keys.values())  # every notice handed over, under its own key only
    for notice_id, key, delivery in Notice.objects.values_list("pk", "idempotency_key", "delivery_id"):
        assert delivery.endswith(key)
    assert AuditEvent.objects.filter(kind="notice.sent").count() == 1000
    assert ledger.verify().ok


def test_redis_down_mid_run_planning_goes_on_and_dispatch_resumes_when_it_returns(worker, redis, outbox_dirs):
    letter_cases(5)
    redis.stop()
    assert plan_notices(day=TODAY).planned == 5  # PostgreSQL only: planning goes on
    report = tasks.dispatch_notices()  # claims in the database, cannot enqueue
    assert report["claimed"] == 5 and report["enqueued"] == 0
    assert Notice.objects.filter(status="sending").count() == 5
    redis.start()
    dispatch_until_sent(5, timeout=120)  # leases expire, the claims are made again
    assert set(handovers(outbox_dirs)) == set(Notice.objects.values_list("idempotency_key", flat=True))
