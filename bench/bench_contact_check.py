"""BENCH contact_check_p95_ms: the 95th percentile latency of POST /api/v1/cases/{id}/contact-check
under 20 concurrent clients, on loopback against gunicorn and PostgreSQL.

Bounded: 20 clients × 50 requests each (after a warm-up), and at most 90 s in all. Run by
bench/run.py (fresh migrated database in DATABASE_URL) or alone (it makes its own).
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.test_settings")
if "DATABASE_URL" not in os.environ:
    # Alone: a database of its own, so it never drops one another run is using.
    import bench.run

    bench.run.BENCH_DB = "dunwell_bench_contact_check"
    os.environ["DATABASE_URL"] = bench.run.fresh_database()
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

import httpx  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from tests.factories import CaseFactory, ContactPointFactory, UserFactory  # noqa: E402

CLIENTS = 20
REQUESTS_PER_CLIENT = int(os.environ.get("BENCH_CONTACT_CHECK_REQUESTS", "50"))
DEADLINE_SECONDS = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DB_CONN_MAX_AGE": "60"}
    # gthread: 4 processes × 5 threads serve the 20 clients at once, as a deployment would.
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "collections_app.wsgi", "-b", f"127.0.0.1:{port}",
         "-w", "4", "-k", "gthread", "--threads", "5", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/schema/", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    user = UserFactory(username=f"bench-{time.time_ns()}", is_superuser=True)
    token = Token.objects.create(user=user).key
    case = CaseFactory(collector=user)
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    at = (datetime.now(timezone.utc) + timedelta(days=1)).replace(hour=18, minute=0).isoformat()

    port = free_port()
    server = start_server(port)
    url = f"http://127.0.0.1:{port}/api/v1/cases/{case.pk}/contact-check"
    latencies, errors, lock = [], [], threading.Lock()
    stop_at = time.monotonic() + DEADLINE_SECONDS

    def client() -> None:
        with httpx.Client(headers={"Authorization": f"Token {token}"}, timeout=30) as http:
            http.post(url, json={"channel": "call", "at": at})  # warm-up: connection and worker
            for _ in range(REQUESTS_PER_CLIENT):
                if time.monotonic() > stop_at:
                    return
                started = time.perf_counter()
                response = http.post(url, json={"channel": "call", "at": at})
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    (latencies if response.status_code == 200 else errors).append(elapsed)

    try:
        began = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not errors, f"{len(errors)} requests failed"
    p95 = statistics.quantiles(latencies, n=100)[94]
    print(f"# {len(latencies)} requests by {CLIENTS} clients in {wall:.1f}s ({len(latencies) / wall:.0f}/s), "
          f"median {statistics.median(latencies):.1f} ms")
    print(f"BENCH contact_check_p95_ms {p95:.1f} ms", flush=True)


if __name__ == "__main__":
    main()
