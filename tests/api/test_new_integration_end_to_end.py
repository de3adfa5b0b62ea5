"""Tried as a lender's integration would, from nothing: a token from manage.py, a portfolio
uploaded, a payment posted twice with the same Idempotency-Key, the case read back."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from collections_app.importing import PORTFOLIO_COLUMNS
from collections_app.models import Payment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_import_pay_twice_and_read_the_case(eager_celery, django_capture_on_commit_callbacks):
    UserFactory(username="lender-bot", is_superuser=True)
    call_command("drf_create_token", "lender-bot")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get(user__username='lender-bot').key}")

    row = ["LN-900", "DB-900", "Ana Lima", "en", "+1 617 555 0109", "ana@example.com", "9 Elm St", "Boston", "MA",
           "02108", "US", "", "1000.00", "800.00", "USD", "2026-01-15", "2026-02-01", "", ""]
    csv = (",".join(PORTFOLIO_COLUMNS) + "\n" + ",".join(row) + "\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post("/api/v1/imports", {"file": SimpleUploadedFile("p.csv", csv)}, format="multipart",
                             HTTP_IDEMPOTENCY_KEY="upload-2026-11-24")
    assert queued.status_code == 202
    job = client.get(queued.json()["url"]).json()
    assert job["status"] == "done" and job["report"]["created"] == 1

    case = client.get("/api/v1/cases/", {"loan_ref": "LN-900"}).json()["results"][0]
    assert case["jurisdiction"] == "US-MA" and case["balance"] == "800.00"

    payment = {"loan_ref": "LN-900", "external_ref": "BANK-77", "amount": "250.00", "currency": "USD",
               "received_on": date.today().isoformat()}
    first = client.post("/api/v1/payments", payment, format="json", HTTP_IDEMPOTENCY_KEY="pay-77")
    second = client.post("/api/v1/payments", payment, format="json", HTTP_IDEMPOTENCY_KEY="pay-77")
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Payment.objects.filter(external_ref="BANK-77").count() == 1

    detail = client.get(f"/api/v1/cases/{case['id']}/").json()
    assert detail["balance"] == "550.00"
    debtor = client.get(f"/api/v1/debtors/{detail['debtor']}/").json()
    assert debtor["full_name"] == "A** L***"  # masked unless revealed
