"""`make run`'s embedded default: no DATABASE_URL, no broker server. Migrate, seed, serve."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}}
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="collections_app.settings", DUNWELL_VAR_DIR=str(tmp_path))
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_embedded_default_migrates_seeds_and_serves_the_login_page(embedded_env, tmp_path):
    for step in (("migrate", "--noinput"), ("seed_demo", "--if-empty")):
        done = manage(embedded_env, *step)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "dunwell.sqlite3").exists()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=embedded_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as response:
                    assert response.status == 200
                    assert b"password" in response.read().lower()
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=10)
    verified = manage(embedded_env, "verify_audit")
    assert verified.returncode == 0, verified.stderr


def test_embedded_default_ledger_refuses_updates_on_sqlite(embedded_env):
    assert manage(embedded_env, "migrate", "--noinput").returncode == 0
    script = (
        "from compliance import ledger\n"
        "from django.db import connection, DatabaseError\n"
        "ledger.append(kind='k', actor='a', data={})\n"
        "for sql in ('UPDATE compliance_auditevent SET kind = 1', 'DELETE FROM compliance_auditevent'):\n"
        "    try:\n"
        "        connection.cursor().execute(sql)\n"
        "    except DatabaseError as e:\n"
        "        print('refused:', e)\n"
    )
    done = manage(embedded_env, "shell", "-c", script)
    assert done.stdout.count("refused: audit ledger is append-only") == 2, done.stdout + done.stderr
