"""Who may do what: every role × every API endpoint → the expected status, and every page
under / (listed from the URL resolver, so a new page is covered the day it is added).
No collector reaches another collector's case, its debtor or its records by id."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from rest_framework.test import APIClient

from collections_app.models import ImportJob
from compliance import gate
from compliance.models import AuditEvent
from tests.factories import CaseFactory, ContactPointFactory, HoldFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "collector", "other_collector", "supervisor", "officer", "admin")
AUTH = {401, 403}
TODAY = "2026-11-24"


@pytest.fixture
def world(db):
    team, other_team = TeamFactory(), TeamFactory()
    users = {
        "anonymous": None,
        "collector": UserFactory(role="collector"),
        "other_collector": UserFactory(role="collector"),
        "supervisor": UserFactory(role="supervisor"),
        "officer": UserFactory(role="compliance_officer"),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    team.members.add(users["collector"], users["supervisor"])
    other_team.members.add(users["other_collector"])
    case = CaseFactory(collector=users["collector"], team=team, loan__loan_ref="MX-1")
    CaseFactory(collector=users["other_collector"], team=other_team)
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101")
    hold = HoldFactory(case=case)
    attempt = gate.record(case=case, channel="letter", outcome="sent", by=users["collector"]).attempt
    job = ImportJob.objects.create(created_by=users["admin"], file_path="/nonexistent", file_name="p.csv",
                                   file_sha256="0" * 64)
    ids = {"case": case.pk, "debtor": case.debtor_id, "hold": hold.pk, "attempt": attempt.pk, "job": job.pk,
           "seq": AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()}
    return users, ids


def read(**overrides):
    return {"anonymous": AUTH, "collector": {200}, "other_collector": {404}, "supervisor": {200}, "officer": {200},
            "admin": {200}, **overrides}


def write(ok, **overrides):
    return read(collector=ok, supervisor=ok, officer={403}, admin=ok, **overrides)


def everyone(ok):
    return {role: AUTH if role == "anonymous" else ok for role in ROLES}


OFFICERS = {"anonymous": AUTH, "collector": {403}, "other_collector": {403}, "supervisor": {403}, "officer": {200},
            "admin": {200}}
PUBLIC = {role: {200} for role in ROLES}
FUTURE = (date.today() + timedelta(days=30)).isoformat()  # promises and plans fall due within a year

# (method, route as in urls.py, path with {ids}, body, expected status by role)
API = [
    ("GET", "api/v1/cases/", "/api/v1/cases/", None, everyone({200})),
    ("GET", "api/v1/cases/<int:pk>/", "/api/v1/cases/{case}/", None, read()),
    ("POST", "api/v1/cases/<int:pk>/transitions", "/api/v1/cases/{case}/transitions",
     {"transition": "start_reminders", "reason": "due"}, write({200})),
    ("POST", "api/v1/cases/<int:pk>/contact-check", "/api/v1/cases/{case}/contact-check", {"channel": "letter"},
     read()),
    ("POST", "api/v1/cases/<int:pk>/contacts", "/api/v1/cases/{case}/contacts",
     {"channel": "letter", "outcome": "sent"}, write({201, 409})),
    ("POST", "api/v1/wording-check", "/api/v1/wording-check", {"text": "hi", "language": "en", "jurisdiction": "US"},
     everyone({200})),
    ("GET", "api/v1/cases/<int:pk>/holds", "/api/v1/cases/{case}/holds", None, read()),
    # Compliance officers open and close holds; they change no case otherwise.
    ("POST", "api/v1/cases/<int:pk>/holds", "/api/v1/cases/{case}/holds", {"kind": "cease", "evidence": "letter"},
     read(collector={201}, supervisor={201}, officer={201}, admin={201})),
    ("POST", "api/v1/cases/<int:pk>/holds/<int:hold_pk>/close", "/api/v1/cases/{case}/holds/{hold}/close",
     {"reason": "withdrawn"}, read()),
    ("GET", "api/v1/cases/<int:pk>/promises", "/api/v1/cases/{case}/promises", None, read()),
    ("POST", "api/v1/cases/<int:pk>/promises", "/api/v1/cases/{case}/promises",
     {"amount": "10.00", "due_date": FUTURE}, write({201})),
    ("GET", "api/v1/cases/<int:pk>/plans", "/api/v1/cases/{case}/plans", None, read()),
    # A new case cannot be arranged yet: the stage machine answers 409, after the permission check.
    ("POST", "api/v1/cases/<int:pk>/plans", "/api/v1/cases/{case}/plans",
     {"instalments": [{"due_date": FUTURE, "amount": "10.00"}]}, write({409})),
    ("GET", "api/v1/cases/<int:pk>/notices", "/api/v1/cases/{case}/notices", None, read()),
    ("POST", "api/v1/cases/<int:pk>/forbearance-review", "/api/v1/cases/{case}/forbearance-review",
     {"note": "offered a plan"}, write({200})),
    # The matrix's case is American: the service refuses a placement notice (400) after the permission check.
    ("POST", "api/v1/cases/<int:pk>/outsourcing-notice", "/api/v1/cases/{case}/outsourcing-notice",
     {"evidence": "lender's letter"}, write({400})),
    ("GET", "api/v1/debtors/", "/api/v1/debtors/", None, everyone({200})),
    ("GET", "api/v1/debtors/<int:pk>/", "/api/v1/debtors/{debtor}/", None, read()),
    ("GET", "api/v1/debtors/<int:pk>/contact-points", "/api/v1/debtors/{debtor}/contact-points", None, read()),
    ("POST", "api/v1/debtors/<int:pk>/contact-points", "/api/v1/debtors/{debtor}/contact-points",
     {"kind": "email", "value": "new@example.com"}, write({201})),
    ("GET", "api/v1/debtors/<int:pk>/preferences", "/api/v1/debtors/{debtor}/preferences", None, read()),
    ("POST", "api/v1/debtors/<int:pk>/preferences", "/api/v1/debtors/{debtor}/preferences",
     {"kind": "opt_out", "channel": "sms", "evidence": "STOP"}, write({201})),
    ("GET", "api/v1/debtors/<int:pk>/circumstances", "/api/v1/debtors/{debtor}/circumstances", None, read()),
    ("PATCH", "api/v1/debtors/<int:pk>/circumstances", "/api/v1/debtors/{debtor}/circumstances",
     {"not_at_work": True}, write({200})),
    ("GET", "api/v1/payments", "/api/v1/payments?loan_ref=MX-1", None, everyone({200})),
    # The loan is named in the body: a loan the user cannot see is a 400 on loan_ref.
    ("POST", "api/v1/payments", "/api/v1/payments",
     {"loan_ref": "MX-1", "external_ref": "P1", "amount": "5.00", "currency": "USD", "received_on": TODAY},
     write({201}, other_collector={400})),
    ("POST", "api/v1/imports", "/api/v1/imports", "upload",
     {**everyone({403}), "admin": {202}}),
    ("GET", "api/v1/imports/<int:pk>", "/api/v1/imports/{job}", None, {**everyone({404}), "admin": {200}}),
    ("GET", "api/v1/audit/events", "/api/v1/audit/events", None, OFFICERS),
    ("GET", "api/v1/audit/verify", "/api/v1/audit/verify", None, OFFICERS),
    ("GET", "api/v1/audit/attempts/<int:pk>/replay", "/api/v1/audit/attempts/{attempt}/replay", None, OFFICERS),
    ("GET", "api/v1/audit/exports/period", "/api/v1/audit/exports/period", None, OFFICERS),
    ("GET", "api/v1/audit/exports/case-file/<int:debtor_id>", "/api/v1/audit/exports/case-file/{debtor}", None,
     OFFICERS),
    ("GET", "api/schema/", "/api/schema/", None, PUBLIC),
    ("GET", "api/docs/", "/api/docs/", None, PUBLIC),
]


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "route", "path", "body", "expected"), API, ids=[f"{a[0]} {a[1]}" for a in API])
def test_api_matrix(world, role, method, route, path, body, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    users, ids = world
    client = client_for(users[role])
    url = path.format(**ids)
    if method == "GET":
        response = client.get(url)
    elif body == "upload":
        response = client.post(url, {"file": SimpleUploadedFile("p.csv", b"loan_ref\n")}, format="multipart",
                               HTTP_IDEMPOTENCY_KEY="m-1")
    elif method == "PATCH":
        response = client.patch(url, body, format="json")
    else:
        response = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="m-1")
    assert response.status_code in expected[role], (role, url, response.status_code, getattr(response, "data", ""))


def test_lists_hold_only_what_the_user_may_see(world):
    users, ids = world
    other = client_for(users["other_collector"])
    assert ids["case"] not in [c["id"] for c in other.get("/api/v1/cases/").json()["results"]]
    assert ids["debtor"] not in [d["id"] for d in other.get("/api/v1/debtors/").json()["results"]]
    assert other.get("/api/v1/payments?loan_ref=MX-1").json() == []


# --- every route, from the resolver ---------------------------------------------------------------

def routes(resolver=None, prefix=""):
    """Every route of the site as a string, e.g. 'api/v1/cases/<int:pk>/' (admin excluded)."""
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = entry.pattern
        text = str(pattern) if isinstance(pattern, RoutePattern) else None
        if isinstance(entry, URLResolver):
            if text is None or text.startswith("admin/"):
                continue
            yield from routes(entry, prefix + text)
        elif isinstance(entry, URLPattern) and text is not None:
            yield prefix + text


def test_every_api_route_is_in_the_matrix():
    in_matrix = {route for _, route, *_ in API}
    missing = sorted(r for r in routes() if r.startswith("api/") and r not in in_matrix)
    assert not missing, f"add these API routes to the matrix: {missing}"


PUBLIC_PAGES = {"accounts/login/", "i18n/setlang/"}


def page_url(route, ids):
    """A route's URL with the case, debtor, hold, event or attempt of the collector's case."""
    def value(match):
        name = match.group(2)
        if name in ("pk", "case_id"):
            return str(ids["attempt"] if "attempts/" in route else ids["case"])
        return str({"debtor_id": ids["debtor"], "hold_pk": ids["hold"], "seq": ids["seq"]}.get(name, "x"))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_without_leaking_or_failing(world, role):
    users, ids = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    for route in routes():
        if route.startswith("api/"):
            continue
        url = page_url(route, ids)
        response = client.get(url)
        status = response.status_code
        assert status < 500, (role, url, status)
        if role == "anonymous" and route not in PUBLIC_PAGES:
            assert status in (302, 401, 403, 404, 405), (url, status)
            if status == 302:
                assert response["Location"].startswith("/accounts/login/"), (url, response["Location"])
        if role == "other_collector" and re.search(r"<int:(pk|case_id|debtor_id)>", route):
            # Another collector's case, debtor or attempt: never shown.
            assert status != 200, (url, status)


def test_a_collector_opens_their_own_case_page_and_not_anothers(world):
    users, ids = world
    own, other = Client(), Client()
    own.force_login(users["collector"])
    other.force_login(users["other_collector"])
    assert own.get(f"/cases/{ids['case']}/").status_code == 200
    assert other.get(f"/cases/{ids['case']}/").status_code == 404
