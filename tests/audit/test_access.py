"""Who may open the audit view: officers (and superusers) read; collectors and supervisors
get 403; officers change no case (they may open a hold)."""

import pytest
from django.contrib.auth.models import User

from collections_app.models import Hold
from compliance.models import AuditEvent
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

AUDIT_PAGES = ["/audit/", "/audit/analytics/", "/audit/integrity/", "/audit/packs/", "/audit/retention/",
               "/audit/analytics/blocked-by-rule.csv"]
AUDIT_API = ["/api/v1/audit/events", "/api/v1/audit/verify", "/api/v1/audit/exports/period?format=csv"]


@pytest.mark.parametrize("role", ["collector", "supervisor"])
def test_collectors_and_supervisors_cannot_open_the_audit_view(client, role):
    client.force_login(UserFactory(role=role))
    for url in AUDIT_PAGES:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["collector", "supervisor"])
def test_collectors_and_supervisors_get_403_from_the_audit_api(client, role):
    client.force_login(UserFactory(role=role))
    for url in AUDIT_API:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_officers_and_superusers_open_every_page(officer_client, client):
    for url in AUDIT_PAGES + AUDIT_API:
        assert officer_client.get(url).status_code == 200, url
    client.force_login(User.objects.create_superuser("root", password="x" * 16))
    assert client.get("/audit/").status_code == 200


def test_home_sends_officers_to_the_audit_view(officer_client):
    response = officer_client.get("/")
    assert response.status_code == 302 and response["Location"] == "/audit/"


def test_officers_cannot_change_a_case(officer_client, officer):
    case = CaseFactory(stage="new")
    response = officer_client.post(f"/api/v1/cases/{case.pk}/transitions",
                                   {"transition": "start_reminders", "reason": "officer tries"},
                                   content_type="application/json")
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.stage == "new"
    assert not officer.has_perm("collections_app.change_case")
    assert not AuditEvent.objects.filter(kind="case.stage_changed").exists()


def test_officers_may_open_a_hold_and_it_is_audited(officer_client, officer):
    case = CaseFactory()
    response = officer_client.post(f"/audit/cases/{case.pk}/holds/",
                                   {"kind": "complaint", "evidence": "Complaint letter of 2026-11-20", "next": "/audit/"})
    assert response.status_code == 302
    hold = Hold.objects.get(case=case)
    assert hold.kind == "complaint" and hold.opened_by == officer
    assert AuditEvent.objects.get(kind="hold.opened").actor == f"user:{officer.pk}:officer"


def test_collectors_cannot_open_a_hold_through_the_audit_view(client):
    client.force_login(UserFactory(role="collector"))
    case = CaseFactory()
    assert client.post(f"/audit/cases/{case.pk}/holds/", {"kind": "complaint", "evidence": "x"}).status_code == 403
    assert not Hold.objects.exists()
