"""Payments, promises, plans, holds, consents and opt-outs over the API: idempotent where
money or contact records are created, masked where personal data would show."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from collections_app.models import (
    Case, ContactPreference, IdempotencyRecord, Loan, Payment, PaymentPlan, PromiseToPay, Stage,
)
from compliance.models import AuditEvent
from tests.factories import CaseFactory, ContactPointFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date.today()


@pytest.fixture
def own_case(collector):
    return CaseFactory(collector=collector, loan__loan_ref="LN-1", loan__balance=Decimal("1200.00"))


def pay(client, key="k-1", **overrides):
    body = {"loan_ref": "LN-1", "external_ref": "PAY-1", "amount": "100.00", "currency": "USD",
            "received_on": TODAY.isoformat(), **overrides}
    return client.post("/api/v1/payments", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_payment_lowers_the_balance_and_is_audited(api, collector, own_case):
    response = pay(api(collector))
    assert response.status_code == 201, response.json()
    assert response.json()["balance"] == "1100.00"
    loan = Loan.objects.get(pk=own_case.loan_id)
    assert loan.balance == Decimal("1100.00") and loan.payments_since == Decimal("100.00")
    assert AuditEvent.objects.filter(kind="payment.posted", case_id=own_case.pk).count() == 1


def test_repeat_with_the_same_key_returns_the_first_response_and_creates_nothing(api, collector, own_case):
    client = api(collector)
    first, again = pay(client), pay(client)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert Payment.objects.count() == 1 and Loan.objects.get(pk=own_case.loan_id).balance == Decimal("1100.00")


def test_same_key_with_a_different_body_is_a_422(api, collector, own_case):
    client = api(collector)
    pay(client)
    response = pay(client, amount="50.00")
    assert response.status_code == 422 and "different request" in response.json()["detail"]
    assert Payment.objects.count() == 1


def test_same_key_from_another_user_is_another_request(api, collector, own_case):
    pay(api(collector))
    admin = UserFactory(is_superuser=True)
    response = pay(api(admin), external_ref="PAY-2")
    assert response.status_code == 201 and Payment.objects.count() == 2


def test_same_external_ref_under_a_new_key_answers_200_with_the_first_payment(api, collector, own_case):
    client = api(collector)
    first = pay(client, key="a")
    again = pay(client, key="b")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert pay(client, key="c", amount="20.00").status_code == 400  # same reference, other details


def test_payment_without_a_key_is_refused(api, collector, own_case):
    response = api(collector).post("/api/v1/payments", {"loan_ref": "LN-1"}, format="json")
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert "required" in response.json()["detail"]


@pytest.mark.parametrize(("overrides", "field"), [
    ({"amount": "-5"}, "amount"),
    ({"amount": "0"}, "amount"),
    ({"amount": "99999999999999999"}, "amount"),
    ({"amount": "5000.00"}, "amount"),  # more than the balance
    ({"amount": "abc"}, "amount"),
    ({"received_on": "2026-02-30"}, "received_on"),
    ({"received_on": (TODAY + timedelta(days=3)).isoformat()}, "received_on"),
    ({"received_on": "0026-11-20"}, "received_on"),  # a mistyped year
    ({"currency": "EUR"}, "currency"),
    ({"currency": 12}, "currency"),
    ({"colour": "red"}, "colour"),
    ({"loan_ref": "NOPE"}, "loan_ref"),
])
def test_impossible_payments_are_400s_naming_the_field(api, collector, own_case, overrides, field):
    response = pay(api(collector), **overrides)
    assert response.status_code == 400, response.json()
    assert field in response.json() and response.json()["detail"]
    assert not Payment.objects.exists()


def test_payment_pays_plan_instalments_oldest_first(api, collector, own_case):
    Case.objects.filter(pk=own_case.pk).update(stage=Stage.ACTIVE)
    client = api(collector)
    plan = client.post(f"/api/v1/cases/{own_case.pk}/plans", {"instalments": [
        {"due_date": (TODAY + timedelta(days=10)).isoformat(), "amount": "60.00"},
        {"due_date": (TODAY + timedelta(days=40)).isoformat(), "amount": "60.00"},
    ]}, format="json", HTTP_IDEMPOTENCY_KEY="plan-1")
    assert plan.status_code == 201, plan.json()
    assert Case.objects.get(pk=own_case.pk).stage == Stage.ARRANGEMENT
    pay(client, amount="120.00")
    assert PaymentPlan.objects.get().status == PaymentPlan.Status.COMPLETED


def test_promise_is_created_once_per_key(api, collector, own_case):
    client = api(collector)
    body = {"amount": "75.00", "due_date": (TODAY + timedelta(days=7)).isoformat()}
    url = f"/api/v1/cases/{own_case.pk}/promises"
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="p-1")
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert PromiseToPay.objects.count() == 1 and IdempotencyRecord.objects.count() == 1
    past = client.post(url, {**body, "due_date": "2020-01-01"}, format="json", HTTP_IDEMPOTENCY_KEY="p-2")
    assert past.status_code == 400 and "due_date" in past.json()


def test_a_promise_falls_due_within_a_year(api, collector, own_case):
    url = f"/api/v1/cases/{own_case.pk}/promises"
    far = api(collector).post(url, {"amount": "75.00", "due_date": "9999-12-31"}, format="json",
                              HTTP_IDEMPOTENCY_KEY="p-far")
    assert far.status_code == 400 and "within a year" in far.json()["due_date"][0]
    assert not PromiseToPay.objects.exists()


def test_a_plan_instalment_falling_due_in_the_far_future_is_refused(api, collector, own_case):
    Case.objects.filter(pk=own_case.pk).update(stage=Stage.ACTIVE)
    response = api(collector).post(f"/api/v1/cases/{own_case.pk}/plans", {"instalments": [
        {"due_date": (TODAY + timedelta(days=10)).isoformat(), "amount": "60.00"},
        {"due_date": "9999-12-31", "amount": "60.00"},
    ]}, format="json", HTTP_IDEMPOTENCY_KEY="plan-far")
    assert response.status_code == 400, response.json()
    assert "instalments" in response.json() and not PaymentPlan.objects.exists()


def test_contact_attempt_with_a_key_is_recorded_once(api, collector, own_case):
    client = api(collector)
    url = f"/api/v1/cases/{own_case.pk}/contacts"
    first = client.post(url, {"channel": "letter", "outcome": "sent"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    again = client.post(url, {"channel": "letter", "outcome": "sent"}, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    assert first.json() == again.json() and first.status_code == again.status_code
    assert own_case.contact_attempts.count() == 1


def test_officer_opens_a_hold_but_posts_no_payment(api, own_case):
    officer = UserFactory(role="compliance_officer")
    client = api(officer)
    hold = client.post(f"/api/v1/cases/{own_case.pk}/holds", {"kind": "dispute", "evidence": "Letter of 3 March"},
                       format="json")
    assert hold.status_code == 201 and hold.json()["kind"] == "dispute"
    assert pay(client).status_code == 403 and not Payment.objects.exists()


def test_opt_out_is_recorded_and_audited(api, collector, own_case):
    response = api(collector).post(
        f"/api/v1/debtors/{own_case.debtor_id}/preferences",
        {"kind": "opt_out", "channel": "sms", "evidence": "Replied STOP"}, format="json", HTTP_IDEMPOTENCY_KEY="o-1",
    )
    assert response.status_code == 201, response.json()
    assert ContactPreference.objects.get().kind == "opt_out"
    assert AuditEvent.objects.filter(kind="contact_preference.opt_out").exists()


def test_consent_without_scope_names_the_field(api, collector, own_case):
    response = api(collector).post(f"/api/v1/debtors/{own_case.debtor_id}/preferences",
                                   {"kind": "consent", "evidence": "On the call"}, format="json")
    assert response.status_code == 400 and "scope" in response.json()


def test_lists_mask_personal_data_and_reveal_is_audited(api, collector, own_case):
    ContactPointFactory(debtor=own_case.debtor, kind="phone", value="+12125550101")
    ContactPointFactory(debtor=own_case.debtor, kind="email", value="jane.doe@example.com")
    own_case.debtor.full_name = "Jane Doe"
    own_case.debtor.save()
    client = api(collector)
    listed = client.get("/api/v1/debtors/").json()["results"][0]
    assert listed["full_name"] == "J*** D**"
    masked = client.get(f"/api/v1/debtors/{own_case.debtor_id}/").json()
    assert {p["value"] for p in masked["contact_points"]} == {"********0101", "j***@example.com"}
    assert not AuditEvent.objects.filter(kind="personal_data.revealed").exists()
    revealed = client.get(f"/api/v1/debtors/{own_case.debtor_id}/", {"reveal": "1", "reason": "debtor called"}).json()
    assert revealed["full_name"] == "Jane Doe"
    assert {p["value"] for p in revealed["contact_points"]} == {"+12125550101", "jane.doe@example.com"}
    event = AuditEvent.objects.get(kind="personal_data.revealed")
    assert event.case_id == own_case.pk


@pytest.mark.parametrize("param", ["name", "phone", "email", "full_name"])
def test_no_search_by_personal_data_in_the_url(api, collector, own_case, param):
    for url in ("/api/v1/debtors/", "/api/v1/cases/"):
        response = api(collector).get(url, {param: "Jane"})
        assert response.status_code == 400 and "references only" in response.json()["detail"]


def test_notices_of_a_case_are_listed(api, collector, own_case):
    response = api(collector).get(f"/api/v1/cases/{own_case.pk}/notices")
    assert response.status_code == 200 and response.json()["results"] == []
