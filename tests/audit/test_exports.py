"""Exports: period exports (CSV, JSON Lines, streamed, with hashes), the debtor's case file
(ZIP with a manifest and the digest it verifies against); every export is audited."""

import csv
import hashlib
import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import call_command

from collections_app.services import case_transition, personal_data_reveal
from compliance import exports, ledger
from compliance.models import AuditEvent
from compliance.selectors import AuditFilters
from notices.models import Notice
from tests.audit.conftest import new_york, record, us_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    alice = UserFactory(role="collector", username="alice")
    case = us_case(collector=alice)
    record(case, at=new_york(2026, 11, 10, 14), by=alice)
    record(case, at=new_york(2026, 11, 10, 22), by=alice)
    ledger.append(kind="case.noted", actor="system", case=case, data={"n": 1}, at=new_york(2026, 11, 20, 9))
    return case


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_period_export_as_csv_holds_the_period_and_is_audited(officer_client, officer, history):
    response = officer_client.get("/audit/exports/period/", {"from": "2026-11-10", "to": "2026-11-11", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(StringIO(body(response))))
    assert [r["kind"] for r in rows] == ["contact.allowed", "contact.blocked"]
    for row in rows:
        event = AuditEvent.objects.get(seq=int(row["seq"]))
        assert row["hash"] == event.hash and row["payload"] == event.payload
    audit = AuditEvent.objects.filter(kind="audit.exported").get()
    assert audit.actor == f"user:{officer.pk}:officer"
    assert json.loads(audit.payload)["filters"] == {"from": "2026-11-10", "to": "2026-11-11"}


def test_period_export_as_json_lines_rechains(officer_client, history):
    response = officer_client.get("/api/v1/audit/exports/period", {"format": "jsonl"})
    lines = [json.loads(line) for line in body(response).splitlines()]
    assert [e["seq"] for e in lines] == list(range(1, len(lines) + 1))
    prev = ledger.GENESIS_HASH
    for e in lines:
        # Every line re-hashes to its stored hash: the export is proof, not a copy.
        envelope = ledger.envelope(e["seq"], __import__("datetime").datetime.fromisoformat(e["at"]), e["actor"],
                                   e["case"], e["kind"], ledger.canonical_json(e["data"]))
        assert ledger.chain_hash(prev, envelope) == e["hash"]
        prev = e["hash"]
    assert AuditEvent.objects.filter(kind="audit.exported").count() == 1
    assert lines[-1]["seq"] < AuditEvent.objects.get(kind="audit.exported").seq


def test_period_export_applies_the_explorer_filters(officer_client, history):
    response = officer_client.get("/audit/exports/period/", {"decision": "blocked", "format": "jsonl"})
    assert [json.loads(line)["kind"] for line in body(response).splitlines()] == ["contact.blocked"]


def test_period_export_refuses_an_unknown_format(officer_client, history):
    assert officer_client.get("/audit/exports/period/", {"format": "xlsx"}).status_code == 400
    assert not AuditEvent.objects.filter(kind="audit.exported").exists()


def test_export_audit_command_writes_a_file_and_is_audited(tmp_path, history):
    out = tmp_path / "november.csv"
    call_command("export_audit", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv", "--output", str(out),
                 stderr=StringIO())
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3
    assert AuditEvent.objects.get(kind="audit.exported").actor == "job:export_audit"


def test_export_audit_command_streams_json_lines_to_stdout(history):
    out = StringIO()
    call_command("export_audit", "--format", "jsonl", "--decision", "allowed", stdout=out, stderr=StringIO())
    assert [json.loads(line)["kind"] for line in out.getvalue().splitlines()] == ["contact.allowed"]


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_case_file_has_every_event_attempt_and_notice_with_a_manifest_and_digest(officer_client, history, settings):
    Notice.objects.create(case=history, kind="validation_notice", channel="email", cycle="1",
                          idempotency_key=f"{history.pk}:validation_notice:1", status="suppressed",
                          due_at=new_york(2026, 11, 11, 9), suppressed_by=["US.CEASE"])
    response = officer_client.post(f"/audit/debtors/{history.debtor_id}/case-file/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = _zip(response.content)
    manifest = json.loads(archive.read("manifest.json"))
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["name"])).hexdigest() == entry["sha256"]
    events = [json.loads(line) for line in archive.read("events.jsonl").decode().splitlines()]
    assert [e["kind"] for e in events] == ["contact.allowed", "contact.blocked", "case.noted"]
    attempts = [json.loads(line) for line in archive.read("attempts.jsonl").decode().splitlines()]
    assert len(attempts) == 2 and attempts[1]["decision"]["reasons"][0]["rule_id"] == "US.TIME"
    assert "US.CEASE" in archive.read("notices.csv").decode()
    digest = json.loads(archive.read("digest.json"))
    assert digest == manifest["digest"] and all(e["seq"] <= digest["seq"] for e in events)
    ledger.check_digest(digest)  # authentic, and the chain still holds it
    audit = AuditEvent.objects.get(kind="audit.exported")
    assert json.loads(audit.payload)["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_case_file_renders_sent_letters_as_pdf(officer, history):
    from collections_app.models import ContactPoint

    ContactPoint.objects.filter(debtor=history.debtor, kind="address").update(
        line1="1 Main St", city="New York", region="NY", postal_code="10001", country="US")
    Notice.objects.create(case=history, kind="final_notice", channel="letter", cycle="1",
                          idempotency_key=f"{history.pk}:final_notice:1", status="sent",
                          due_at=new_york(2026, 11, 11, 9), sent_at=new_york(2026, 11, 11, 9))
    built = exports.build_case_file(debtor=history.debtor, actor=ledger.actor_label(officer))
    letter = built.manifest["letters"][0]
    assert letter["file"], letter
    assert _zip(built.content).read(letter["file"]).startswith(b"%PDF")


def test_case_file_api_for_officers(officer_client, history):
    response = officer_client.get(f"/api/v1/audit/exports/case-file/{history.debtor_id}")
    assert response.status_code == 200 and _zip(response.content).namelist()


def test_case_file_carries_the_reasons_given_for_stage_moves_and_reveals(officer, history):
    personal_data_reveal(case=history, by=officer, reason="debtor called back")
    case_transition(case=history, transition="start_reminders", job="test", reason="first reminder due")
    archive = _zip(exports.build_case_file(debtor=history.debtor, actor="user:officer", render_letters=False).content)
    profile = json.loads(archive.read("debtor.json"))
    stage_log = profile["stage_log"]
    assert [r["reason"] for r in profile["reveals"]] == ["debtor called back"]
    event = [json.loads(line) for line in archive.read("events.jsonl").decode().splitlines()][-1]
    assert event["kind"] == "case.stage_changed" and stage_log[-1]["description"] == "first reminder due"
    assert event["data"]["state_log"] == stage_log[-1]["id"]
    assert event["data"]["reason_sha256"] == hashlib.sha256(b"first reminder due").hexdigest()
