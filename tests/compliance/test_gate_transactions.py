"""gate.record's transaction: its own outside any (BEGIN and COMMIT ride with its batches),
a savepoint of the caller's inside one; either way all or nothing."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import DataError, IntegrityError, connection, connections, transaction
from psycopg.pq import TransactionStatus

from collections_app.models import ContactAttempt, Debtor
from compliance import engine, gate, ledger
from compliance.models import AuditEvent
from compliance.sql import batched_transaction
from tests.factories import CaseFactory, ContactPointFactory, DebtorFactory, UserFactory

# serialized_rollback: the flush after a transactional test must not take the roles (a data migration) with it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
NOON = datetime(2026, 11, 24, 12, tzinfo=ZoneInfo("America/New_York"))


@pytest.fixture
def reachable_case():
    case = CaseFactory(jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    return case


@pytest.fixture
def collector():
    return UserFactory(role="collector")


def record(case, by, **kw):
    return gate.record(case=case, channel="call", outcome="no_answer", by=by, at=NOON, **kw)


def server_idle() -> bool:
    return connection.connection.info.transaction_status == TransactionStatus.IDLE


def seen_elsewhere(attempt_id: int) -> bool:
    """Whether another connection (another thread's) sees the attempt: committed."""
    seen = []

    def look():
        try:
            seen.append(ContactAttempt.objects.filter(pk=attempt_id).exists())
        finally:
            connections.close_all()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    return seen == [True]


def lockable_elsewhere(debtor_id: int) -> bool:
    """Whether another connection can take the debtor's row lock and the ledger's at once."""
    outcome = []

    def lock():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
                cursor.execute(f"SELECT id FROM {Debtor._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT", [debtor_id])
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ledger.LEDGER_LOCK_KEY])
                outcome.append(cursor.fetchone()[0])
        except Exception as exc:  # reported below
            outcome.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=lock)
    thread.start()
    thread.join()
    return outcome == [True]


@pytest.fixture
def failing_engine(monkeypatch):
    def evaluate(request, **kw):
        raise RuntimeError("the engine failed after the locks were taken")

    monkeypatch.setattr(engine, "evaluate", evaluate)
    return monkeypatch


def test_record_outside_a_transaction_commits_and_leaves_the_connection_idle(reachable_case, collector):
    recorded = record(reachable_case, collector)
    assert server_idle() and connection.get_autocommit() and not connection.in_atomic_block
    assert seen_elsewhere(recorded.attempt.pk)


def test_a_failure_after_the_locks_leaves_nothing_and_no_open_transaction(reachable_case, collector, failing_engine):
    with pytest.raises(RuntimeError, match="engine failed"):
        record(reachable_case, collector)
    assert server_idle()
    assert not ContactAttempt.objects.exists() and not AuditEvent.objects.exists()


def test_a_failure_after_the_locks_releases_them(reachable_case, collector, failing_engine):
    with pytest.raises(RuntimeError):
        record(reachable_case, collector)
    assert lockable_elsewhere(reachable_case.debtor_id)


def test_a_foreign_key_failing_at_commit_raises_and_writes_nothing(reachable_case):
    ghost = User(pk=987_654, username="ghost")  # never saved: the deferred foreign key fails at COMMIT
    with pytest.raises(IntegrityError):
        record(reachable_case, ghost)
    assert server_idle()
    assert not ContactAttempt.objects.exists() and not AuditEvent.objects.exists()


def test_a_new_connection_prepares_the_statements_again(reachable_case, collector):
    record(reachable_case, collector)
    connection.close()
    record(reachable_case, collector)
    assert ContactAttempt.objects.count() == 2 and ledger.verify().ok


def test_inside_a_transaction_the_attempt_commits_with_the_callers(reachable_case, collector):
    with transaction.atomic():
        recorded = record(reachable_case, collector)
        assert not seen_elsewhere(recorded.attempt.pk)
    assert seen_elsewhere(recorded.attempt.pk)


def test_inside_a_transaction_the_attempt_rolls_back_with_the_callers(reachable_case, collector):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(reachable_case, collector)
        raise RuntimeError("the caller's business act failed")
    assert not ContactAttempt.objects.exists() and not AuditEvent.objects.exists()


def test_a_failed_record_inside_a_transaction_leaves_the_callers_usable(reachable_case, collector, failing_engine):
    with transaction.atomic():
        with pytest.raises(RuntimeError):
            record(reachable_case, collector)
        DebtorFactory(debtor_ref="AFTER-THE-FAILURE")
    assert Debtor.objects.filter(debtor_ref="AFTER-THE-FAILURE").exists()
    assert not ContactAttempt.objects.exists()


def test_a_database_error_inside_the_callers_transaction_undoes_only_the_batches():
    with transaction.atomic():
        DebtorFactory(debtor_ref="BEFORE")
        with pytest.raises(DataError), batched_transaction() as batches:
            batches.run([(f"UPDATE {Debtor._meta.db_table} SET full_name = 'changed'", []), ("SELECT 1 / 0", [])])
        DebtorFactory(debtor_ref="AFTER")
    assert set(Debtor.objects.values_list("debtor_ref", flat=True)) == {"BEFORE", "AFTER"}
    assert not Debtor.objects.filter(full_name="changed").exists()


def test_batches_left_without_commit_are_rolled_back_and_refused():
    with pytest.raises(transaction.TransactionManagementError), batched_transaction() as batches:
        batches.run([(f"UPDATE {Debtor._meta.db_table} SET full_name = 'changed'", [])])
    assert server_idle()
    DebtorFactory(debtor_ref="AFTER")  # the connection is usable, in autocommit again
    assert not Debtor.objects.filter(full_name="changed").exists()
