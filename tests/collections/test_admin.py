"""The admin: a fixed cost per page, stages and the ledger out of reach."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance import ledger
from compliance.models import AuditEvent
from tests.factories import CaseFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def staff_user(**kwargs):
    user = UserFactory(is_staff=True, **kwargs)
    user.save()  # the factory sets the password after saving; keep the session's hash valid
    return user


@pytest.fixture
def superuser(db):
    return staff_user(is_superuser=True)


@pytest.fixture
def audit_event(case):
    return ledger.append(kind="case.created", actor="system", case=case, data={})


def queries_for_case_changelist(client, user, cases):
    team = TeamFactory()
    team.members.add(user)
    CaseFactory.create_batch(cases, team=team, collector=UserFactory())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:collections_app_case_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_supervisor_case_list_costs_the_same_queries_for_5_or_20_cases(client):
    supervisor = staff_user(role="supervisor")
    client.force_login(supervisor)
    with_five = queries_for_case_changelist(client, supervisor, 5)
    with_twenty = queries_for_case_changelist(client, supervisor, 15)  # 20 cases now
    assert with_five == with_twenty


def test_case_change_page_shows_stage_read_only(client, superuser, case):
    client.force_login(superuser)
    response = client.get(reverse("admin:collections_app_case_change", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="jurisdiction"' in html and 'name="stage"' not in html
    assert "stage" in response.context["adminform"].readonly_fields


def test_case_admin_change_is_appended_to_the_ledger(client, superuser, case):
    client.force_login(superuser)
    url = reverse("admin:collections_app_case_change", args=[case.pk])
    form = {"jurisdiction": "US-MA", "jurisdiction_overridden": "on", "collector_type": "third_party",
            "collector": "", "team": "",
            "django_fsm_log-statelog-content_type-object_id-TOTAL_FORMS": "0",
            "django_fsm_log-statelog-content_type-object_id-INITIAL_FORMS": "0"}
    assert client.post(url, form).status_code == 302
    event = AuditEvent.objects.get(kind="admin.changed")
    assert event.case_id == case.pk and "jurisdiction" in event.payload


def test_audit_event_admin_refuses_add_change_and_delete_even_to_a_superuser(client, superuser, audit_event):
    client.force_login(superuser)
    assert client.get(reverse("admin:compliance_auditevent_add")).status_code == 403
    change = reverse("admin:compliance_auditevent_change", args=[audit_event.pk])
    assert client.post(change, {"kind": "tampered"}).status_code == 403
    assert client.post(reverse("admin:compliance_auditevent_delete", args=[audit_event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=audit_event.pk).kind == "case.created"


def test_compliance_officer_can_read_the_audit_events(client, audit_event):
    officer = staff_user(role="compliance_officer")
    client.force_login(officer)
    assert client.get(reverse("admin:compliance_auditevent_changelist")).status_code == 200


def test_collector_cannot_see_the_audit_event_admin(client, audit_event):
    collector = staff_user(role="collector")
    client.force_login(collector)
    assert client.get(reverse("admin:compliance_auditevent_changelist")).status_code == 403
    assert client.get(reverse("admin:compliance_auditevent_change", args=[audit_event.pk])).status_code == 403


def listed_case_ids(client, user):
    client.force_login(user)
    response = client.get(reverse("admin:collections_app_case_changelist"))
    assert response.status_code == 200
    return {case.pk for case in response.context["cl"].result_list}


def test_collector_lists_only_their_own_cases_in_the_admin(client):
    collector = staff_user(role="collector")
    own = CaseFactory(collector=collector)
    CaseFactory(collector=UserFactory())
    assert listed_case_ids(client, collector) == {own.pk}


def test_supervisor_lists_their_teams_cases_in_the_admin(client):
    supervisor = staff_user(role="supervisor")
    team = TeamFactory()
    team.members.add(supervisor)
    teams_case = CaseFactory(team=team)
    CaseFactory(team=TeamFactory())
    assert listed_case_ids(client, supervisor) == {teams_case.pk}


def test_compliance_officer_lists_every_case_in_the_admin(client):
    cases = {CaseFactory().pk, CaseFactory().pk}
    assert listed_case_ids(client, staff_user(role="compliance_officer")) == cases


def test_collector_cannot_open_another_collectors_case_by_id(client):
    collector = staff_user(role="collector")
    other = CaseFactory(collector=UserFactory())
    client.force_login(collector)
    response = client.get(reverse("admin:collections_app_case_change", args=[other.pk]))
    assert response.status_code == 302  # the admin redirects: "doesn't exist. Perhaps it was deleted?"
