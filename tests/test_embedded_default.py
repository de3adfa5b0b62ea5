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


# Run inside `manage.py shell` on the SQLite database: the queue facts the triggers stored
# for every demo case, against the same facts summarised from the rows through the ORM.
CHECK_QUEUE_FACTS = """
from django.db.models import Max, Min
from collections_app.models import Case, ContactAttempt, Instalment, Loan, Payment, PromiseToPay
# A balance moved after the seed: the copy the queue ranks by follows it.
Loan.objects.filter(pk=Case.objects.order_by("pk").values("loan_id")[:1]).update(balance=F("balance") - 1)
wrong = []
for case in Case.objects.all():
    attempts = ContactAttempt.objects.filter(case=case, allowed=True)
    expected = {
        "next_promise_due": PromiseToPay.objects.filter(case=case, status="open").aggregate(d=Min("due_date"))["d"],
        "has_broken_promise": PromiseToPay.objects.filter(case=case, status="broken").exists(),
        "last_payment_on": Payment.objects.filter(loan_id=case.loan_id).aggregate(d=Max("received_on"))["d"],
        "last_spoke_at": attempts.filter(outcome__in=["conversation", "right_party_contact", "promise"]).aggregate(d=Max("at"))["d"],
        "last_unanswered_at": attempts.filter(outcome__in=["no_answer", "voicemail", "busy"]).aggregate(d=Max("at"))["d"],
        "next_instalment_due": Instalment.objects.filter(plan__case=case, plan__status="active", paid_amount__lt=F("amount")).aggregate(d=Min("due_date"))["d"],
        "loan_balance": Loan.objects.get(pk=case.loan_id).balance,
    }
    stored = {name: getattr(case, name) for name in expected}
    if stored != expected:
        wrong.append((case.pk, stored, expected))
print("cases", Case.objects.count(), "wrong", wrong)
"""


def test_embedded_default_keeps_the_queue_facts_on_sqlite(embedded_env):
    for step in (("migrate", "--noinput"), ("seed_demo", "--if-empty")):
        done = manage(embedded_env, *step)
        assert done.returncode == 0, done.stderr
    done = manage(embedded_env, "shell", "-c", "from django.db.models import F\n" + CHECK_QUEUE_FACTS)
    assert done.returncode == 0, done.stderr
    counted = done.stdout.strip().splitlines()[-1]
    assert counted.startswith("cases ") and counted.endswith("wrong []") and not counted.startswith("cases 0 ")
