"""/api/v1/cases: listing by loan_ref, who sees which case, stage transitions."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from collections_app.models import Case, Stage
from tests.factories import CaseFactory, HoldFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_case_is_found_by_loan_ref(collector):
    case = CaseFactory(collector=collector, loan__loan_ref="REF-42")
    CaseFactory(collector=collector)
    body = client_for(collector).get("/api/v1/cases/", {"loan_ref": "REF-42"}).json()
    assert [c["id"] for c in body["results"]] == [case.pk]
    assert body["results"][0]["loan_ref"] == "REF-42"


def test_anonymous_request_is_refused():
    assert APIClient().get("/api/v1/cases/").status_code in (401, 403)


def test_token_authenticates_an_integration(collector):
    token = Token.objects.create(user=collector)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/cases/").status_code == 200


def test_collector_does_not_see_another_collectors_case(collector):
    other = CaseFactory(collector=UserFactory(role="collector"))
    client = client_for(collector)
    assert client.get(f"/api/v1/cases/{other.pk}/").status_code == 404
    assert client.get("/api/v1/cases/").json()["results"] == []


def test_supervisor_sees_the_teams_cases(supervisor):
    team = TeamFactory()
    team.members.add(supervisor)
    case = CaseFactory(team=team)
    CaseFactory(team=TeamFactory())
    assert [c["id"] for c in client_for(supervisor).get("/api/v1/cases/").json()["results"]] == [case.pk]


def test_collector_moves_own_case_with_a_reason(collector):
    case = CaseFactory(collector=collector)
    response = client_for(collector).post(
        f"/api/v1/cases/{case.pk}/transitions", {"transition": "start_reminders", "reason": "due"}, format="json",
    )
    assert response.status_code == 200 and response.json()["stage"] == "early"


def test_transition_refused_by_a_guard_answers_409_with_the_reason(collector):
    case = CaseFactory(collector=collector)
    Case.objects.filter(pk=case.pk).update(stage=Stage.ACTIVE)
    HoldFactory(case=case, kind="dispute")
    response = client_for(collector).post(
        f"/api/v1/cases/{case.pk}/transitions", {"transition": "issue_final_notice", "reason": "60 dpd"}, format="json",
    )
    assert response.status_code == 409 and "forbids escalation" in response.json()["detail"]


def test_transition_without_reason_names_the_field(collector):
    case = CaseFactory(collector=collector)
    response = client_for(collector).post(f"/api/v1/cases/{case.pk}/transitions", {"transition": "start_reminders"},
                                          format="json")
    assert response.status_code == 400 and "reason" in response.json()


def test_collector_cannot_refer_to_legal(collector):
    case = CaseFactory(collector=collector)
    Case.objects.filter(pk=case.pk).update(stage=Stage.FINAL_NOTICE)
    response = client_for(collector).post(
        f"/api/v1/cases/{case.pk}/transitions", {"transition": "refer_to_legal", "reason": "x"}, format="json",
    )
    assert response.status_code == 403


def test_compliance_officer_cannot_change_a_case():
    officer = UserFactory(role="compliance_officer")
    case = CaseFactory()
    response = client_for(officer).post(
        f"/api/v1/cases/{case.pk}/transitions", {"transition": "start_reminders", "reason": "x"}, format="json",
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).stage == Stage.NEW
