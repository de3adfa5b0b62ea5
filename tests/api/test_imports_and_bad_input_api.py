"""Portfolio upload as a job (202, then progress and the per-row report), and what a bad
request gets: a 4xx naming the field and the reason, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from collections_app.importing import PORTFOLIO_COLUMNS
from collections_app.models import Case, ImportJob
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

ROW = ["L-1", "D-1", "Jane Doe", "en", "+1 312 555 0101", "jane@example.com", "1 Main St", "Chicago", "IL",
       "60601", "US", "", "1000.00", "900.00", "USD", "2026-01-15", "2026-02-01", "", ""]


def portfolio(*rows, delimiter=",", bom=False) -> bytes:
    lines = [delimiter.join(PORTFOLIO_COLUMNS)] + [delimiter.join(r) for r in rows]
    text = "\n".join(lines) + "\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()


def upload(client, content: bytes, key="imp-1", name="portfolio.csv"):
    return client.post("/api/v1/imports", {"file": SimpleUploadedFile(name, content, "text/csv")},
                       format="multipart", HTTP_IDEMPOTENCY_KEY=key)


@pytest.fixture
def admin_client(api):
    return api(UserFactory(is_superuser=True))


def run_upload(client, content, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, content, **kwargs)
    assert response.status_code == 202, response.json()
    return response, client.get(response.json()["url"]).json()


def test_upload_answers_202_with_the_job_url_and_the_job_reports(admin_client, eager_celery,
                                                                    django_capture_on_commit_callbacks):
    second = ["L-2", "D-2", "Li Wei", "en", "+1 312 555 0102", "", "", "", "", "", "US", "", "5", "5", "USD",
              "2026-01-15", "2026-02-01", "", ""]
    response, job = run_upload(admin_client, portfolio(ROW, second), django_capture_on_commit_callbacks)
    assert response["Location"] == response.json()["url"] == f"/api/v1/imports/{job['id']}"
    assert job["status"] == "done" and job["report"]["created"] == 2 and job["rows_read"] == 2
    assert job["rows_total"] == 2
    assert Case.objects.filter(loan__loan_ref__in=["L-1", "L-2"]).count() == 2


@pytest.mark.parametrize(("content", "field"), [
    (portfolio(ROW, ROW), "loan_ref"),                                   # duplicate reference
    (portfolio(ROW, delimiter=";"), "header"),                           # wrong delimiter
    (portfolio(ROW).replace(b"Jane", "Jöne".encode("latin-1")), "file"),  # not UTF-8
    (portfolio([*ROW[:15], "2026-02-30", *ROW[16:]]), "due_date"),       # impossible date
    (portfolio([*ROW[:12], "-1", *ROW[13:]]), "principal"),              # impossible amount
])
def test_bad_files_get_per_row_errors_and_write_nothing(admin_client, eager_celery,
                                                        django_capture_on_commit_callbacks, content, field):
    _, job = run_upload(admin_client, content, django_capture_on_commit_callbacks)
    assert job["status"] == "rejected" and job["report"]["written"] is False
    errors = job["report"]["errors"]
    assert errors and all({"row", "field", "reason"} <= set(e) for e in errors)
    assert field in {e["field"] for e in errors} or any(field in e["reason"] for e in errors), errors
    assert not Case.objects.exists()


def test_a_bom_is_read_as_utf8_not_as_part_of_the_first_column(admin_client, eager_celery,
                                                               django_capture_on_commit_callbacks):
    _, job = run_upload(admin_client, portfolio(ROW, bom=True), django_capture_on_commit_callbacks)
    assert job["status"] == "done" and job["report"]["created"] == 1


def test_upload_replayed_with_the_same_key_queues_one_job(admin_client, eager_celery,
                                                          django_capture_on_commit_callbacks):
    run_upload(admin_client, portfolio(ROW), django_capture_on_commit_callbacks)
    again = upload(admin_client, portfolio(ROW))
    assert again.status_code == 202 and ImportJob.objects.count() == 1
    assert upload(admin_client, portfolio(ROW, ROW)).status_code == 422


def test_collectors_do_not_import(api, collector):
    assert upload(api(collector), portfolio(ROW)).status_code == 403


def test_another_users_job_is_not_found(admin_client, api, eager_celery, django_capture_on_commit_callbacks):
    response, _ = run_upload(admin_client, portfolio(ROW), django_capture_on_commit_callbacks)
    other = api(UserFactory(role="supervisor"))
    assert other.get(response.json()["url"]).status_code == 404


def test_upload_without_a_file_names_the_field(admin_client):
    response = admin_client.post("/api/v1/imports", {}, format="multipart", HTTP_IDEMPOTENCY_KEY="x")
    assert response.status_code == 400 and "file" in response.json()


# --- bad input everywhere -----------------------------------------------------------------------

@pytest.fixture
def own_case(collector):
    return CaseFactory(collector=collector)


def test_malformed_json_says_so(api, collector, own_case):
    response = api(collector).post(f"/api/v1/cases/{own_case.pk}/promises", "{oops", content_type="application/json",
                                   HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400 and "JSON parse error" in response.json()["detail"]


def test_wrong_type_names_the_field(api, collector, own_case):
    response = api(collector).post(f"/api/v1/cases/{own_case.pk}/promises", {"amount": [1], "due_date": 5},
                                   format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 400 and {"amount", "due_date"} <= set(response.json())


def test_oversized_body_is_a_413_with_a_message(api, collector, own_case, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api(collector).post(f"/api/v1/cases/{own_case.pk}/contact-check",
                                   {"channel": "call", "message": "x" * 5000}, format="json")
    assert response.status_code == 413 and "1000" in response.json()["detail"]


def test_oversized_form_field_in_an_upload_is_a_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    client = api(UserFactory(is_superuser=True))
    response = client.post("/api/v1/imports", {"dry_run": "x" * 500, "file": SimpleUploadedFile("p.csv", b"a\n")},
                           format="multipart", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 413 and response.json()["detail"]


def test_unknown_api_path_is_a_json_404(api, collector):
    response = api(collector).get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.json() == {"detail": "not found"}


def test_unknown_case_is_a_404_with_a_message(api, collector):
    response = api(collector).get("/api/v1/cases/999999/promises")
    assert response.status_code == 404 and response.json()["detail"]


def test_idempotency_key_must_be_printable(api, collector, own_case):
    response = api(collector).post(f"/api/v1/cases/{own_case.pk}/promises", {}, format="json",
                                   HTTP_IDEMPOTENCY_KEY="a b")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
