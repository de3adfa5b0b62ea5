"""The audit ledger: gap-free, hash-chained, append-only, verifiable, signed."""

import json
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from compliance import ledger
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


def append(n, kind="test.event"):
    return [ledger.append(kind=kind, actor="job:test", data={"n": i, "amount": "12.50"}) for i in range(n)]


def out_of_band(sql, params=()):
    # What a database superuser could do: switch the triggers off for this session.
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


def test_events_chain_each_hash_onto_the_previous():
    first, second = append(2)
    assert first.seq == 1 and first.prev_hash == ledger.GENESIS_HASH
    assert second.seq == 2 and second.prev_hash == first.hash
    expected = ledger.chain_hash(first.hash, ledger.envelope(2, second.at, "job:test", None, "test.event", second.payload))
    assert second.hash == expected


def test_payload_is_canonical_json():
    event = ledger.append(kind="k", actor="a", data={"b": 1, "a": "é", "c": [2, 1]})
    assert event.payload == '{"a":"é","b":1,"c":[2,1]}'


def test_append_many_chains_a_batch_in_one_transaction():
    count = ledger.append_many(ledger.Draft(kind="bulk", actor="job:test", data={"i": i}) for i in range(500))
    assert count == 500
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 501))
    assert ledger.verify().ok


def test_rolled_back_append_leaves_no_gap():
    append(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        append(1)
        raise RuntimeError("the business act failed")
    later = append(1)[0]
    assert later.seq == 2
    assert ledger.verify().ok


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE compliance_auditevent SET kind = 'edited'",
        "DELETE FROM compliance_auditevent",
        "TRUNCATE compliance_auditevent CASCADE",
    ],
    ids=["update", "delete", "truncate"],
)
def test_database_refuses_to_change_the_ledger(sql):
    append(2)
    with pytest.raises(DatabaseError, match="append-only|Cannot"), transaction.atomic(), connection.cursor() as cursor:
        # Fire the foreign-key checks of the inserts now, so TRUNCATE reaches the trigger.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 2


def test_orm_update_of_an_event_is_refused():
    event = append(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor="someone else")


def test_verify_passes_an_intact_chain(capsys):
    append(5)
    call_command("verify_audit")
    assert "OK: 5 events" in capsys.readouterr().out


def test_verify_names_the_sequence_of_an_edited_payload(capsys):
    append(5)
    out_of_band("UPDATE compliance_auditevent SET payload = %s WHERE seq = 3", ['{"amount":"1.00","n":2}'])
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    assert "BROKEN at sequence 3" in capsys.readouterr().err


def test_verify_names_the_sequence_of_an_edited_actor():
    append(5)
    out_of_band("UPDATE compliance_auditevent SET actor = 'user:9:mallory' WHERE seq = 4")
    result = ledger.verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)


def test_verify_names_a_removed_event():
    append(5)
    out_of_band("DELETE FROM compliance_auditevent WHERE seq = 2")
    result = ledger.verify()
    assert (result.ok, result.first_bad_seq) == (False, 2)
    assert "missing" in result.reason


def test_verify_names_an_event_inserted_out_of_band():
    events = append(3)
    out_of_band(
        "INSERT INTO compliance_auditevent (seq, at, actor, kind, payload, prev_hash, hash) VALUES (4, now(), 'x', 'forged', '{}', %s, %s)",
        [events[-1].hash, "f" * 64],
    )
    result = ledger.verify()
    assert (result.ok, result.first_bad_seq) == (False, 4)


def test_digest_is_proved_against_the_chain(tmp_path, capsys):
    append(3)
    call_command("audit_digest", dir=tmp_path)
    (digest_file,) = tmp_path.iterdir()
    append(2)
    call_command("verify_audit", digest=digest_file)
    assert "still holds digest seq 3" in capsys.readouterr().out


def test_digest_catches_a_consistent_rewrite_of_the_whole_chain(tmp_path, capsys):
    events = append(3)
    digest, path = ledger.write_digest(tmp_path)
    # Rewrite event 2 and re-chain everything after it: the chain alone still verifies.
    prev = events[0].hash
    for event in events[1:]:
        payload = '{"rewritten":true}'
        new_hash = ledger.chain_hash(prev, ledger.envelope(event.seq, event.at, event.actor, None, event.kind, payload))
        out_of_band("UPDATE compliance_auditevent SET payload=%s, prev_hash=%s, hash=%s WHERE seq=%s",
                    [payload, prev, new_hash, event.seq])
        prev = new_hash
    assert ledger.verify().ok
    with pytest.raises(SystemExit):
        call_command("verify_audit", digest=path)
    assert "DIGEST MISMATCH" in capsys.readouterr().err


def test_digest_with_a_forged_signature_is_rejected(tmp_path):
    append(2)
    digest, path = ledger.write_digest(tmp_path)
    forged = {**digest, "hash": "0" * 64}
    with pytest.raises(ledger.DigestError, match="signature"):
        ledger.check_digest(forged)
    assert json.loads(path.read_text())["hmac"] == digest["hmac"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_from_several_connections_leave_a_gap_free_chain():
    writers, per_writer = 8, 25
    barrier = threading.Barrier(writers)
    failures = []

    def write(worker):
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    ledger.append(kind="concurrent", actor=f"job:w{worker}", data={"i": i})
        except Exception as exc:  # surfaced below; a thread's exception is otherwise lost
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, writers * per_writer + 1))
    assert ledger.verify().ok
