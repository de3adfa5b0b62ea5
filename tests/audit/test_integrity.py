"""The integrity panel: chain length, head hash, last verification, latest signed digest;
verification as a Celery task with progress, and the verify API."""

import pytest
from django.db import connection
from django.test import override_settings

from compliance import ledger, tasks
from compliance.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.AUDIT_DIGEST_DIR = tmp_path / "digests"
    return tmp_path


@pytest.fixture
def chain():
    ledger.append_many([ledger.Draft(kind="case.noted", actor="system", data={"n": i}) for i in range(25)])


def test_the_verification_task_writes_progress_and_audits_its_result(chain):
    run = tasks.new_run(actor="user:1:officer")
    assert tasks.read_state(run)["status"] == "queued"
    state = tasks.verify_ledger(run, "user:1:officer")
    assert state["status"] == "ok" and state["events"] == 25 and state["done"] == 25
    assert tasks.read_state(run)["head_hash"] == AuditEvent.objects.get(seq=25).hash
    verified = AuditEvent.objects.get(kind="audit.verified")
    assert verified.seq == 26 and '"ok":true' in verified.payload


def test_integrity_panel_starts_a_verification_and_polls_it(officer_client, chain):
    with override_settings(CELERY_TASK_ALWAYS_EAGER=True):
        from collections_app.celery import app

        app.conf.task_always_eager = True
        try:
            started = officer_client.post("/audit/integrity/verify/", HTTP_HX_REQUEST="true")
        finally:
            app.conf.task_always_eager = False
    assert started.status_code == 200
    run = started.context["run"]["run"]
    polled = officer_client.get(f"/audit/integrity/verify/{run}/", HTTP_HX_REQUEST="true")
    assert polled.context["run"]["status"] == "ok"
    assert "hx-trigger" not in polled.content.decode()  # finished: polling stops
    page = officer_client.get("/audit/integrity/")
    assert page.context["head"]["seq"] == 26 and page.context["last"]["ok"] is True


def test_a_running_verification_keeps_polling(officer_client, chain):
    run = tasks.new_run(actor="x")
    tasks.write_state(run, run=run, status="running", done=10, total=25)
    body = officer_client.get(f"/audit/integrity/verify/{run}/").content.decode()
    assert 'hx-trigger="every 1s"' in body and 'value="10"' in body


def test_bad_run_ids_are_refused(officer_client):
    assert officer_client.get("/audit/integrity/verify/..%2Fetc/").status_code in (400, 404)
    assert officer_client.get("/audit/integrity/verify/" + "a" * 32 + "/").status_code == 404


def test_the_panel_shows_the_latest_signed_digest_and_that_the_chain_holds_it(officer_client, chain):
    digest, _ = ledger.write_digest()
    page = officer_client.get("/audit/integrity/")
    shown = page.context["digest"]
    assert shown["seq"] == digest["seq"] == 25 and shown["holds"] is True


def test_verify_api_answers_ok_events_first_bad_seq(officer_client, chain):
    data = officer_client.get("/api/v1/audit/verify").json()
    assert (data["ok"], data["events"], data["first_bad_seq"]) == (True, 25, None)


def test_verify_api_names_the_first_broken_sequence(officer_client, chain):
    import pgtrigger

    with pgtrigger.ignore("compliance.AuditEvent:audit_append_only"):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE compliance_auditevent SET payload = %s WHERE seq = 7", ['{"n":700}'])
    data = officer_client.get("/api/v1/audit/verify").json()
    assert data["ok"] is False and data["first_bad_seq"] == 7 and data["events"] == 6
