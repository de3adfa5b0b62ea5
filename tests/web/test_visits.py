"""Logging a visit says how it was made, so the packs can decide on it: two collectors in
China (CBA guideline 2026), the purpose stated in advance in the UK (CONC 7.9.12R), no visit
at a Massachusetts workplace (940 CMR 7.05(3))."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from collections_app.models import ContactAttempt
from tests.factories import CaseFactory, ContactPointFactory

pytestmark = pytest.mark.django_db
BEIJING_MORNING = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
LONDON_MORNING = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/London"))
BOSTON_MORNING = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("America/New_York"))


def case_in(country, region, phone, collector, **kwargs):
    case = CaseFactory(collector=collector, jurisdiction=kwargs.pop("jurisdiction", country), **kwargs)
    ContactPointFactory(debtor=case.debtor, kind="phone", value=phone, line="mobile", is_primary=True)
    ContactPointFactory(debtor=case.debtor, kind="address", value="1 Main Street", country=country, region=region,
                        is_primary=True)
    return case


def log_visit(client, user, case, at, **visit):
    data = {"contact-channel": "visit", "contact-outcome": "visited", "contact-note": "",
            **{f"contact-visit_{k}": v for k, v in visit.items()}}
    with time_machine.travel(at):
        client.force_login(user)
        return client.post(reverse("collections:contact-log", args=[case.pk]), data)


def test_china_a_visit_by_two_collectors_is_allowed_by_one_refused(collector_client, collector):
    case = case_in("CN", "BJ", "+8613800138000", collector, collector_type="first_party")
    alone = log_visit(collector_client, collector, case, BEIJING_MORNING, collectors="1")
    assert alone.status_code == 409 and "CN.VISIT" in alone.content.decode()
    assert log_visit(collector_client, collector, case, BEIJING_MORNING, collectors="2").status_code == 200
    assert [a.allowed for a in ContactAttempt.objects.filter(case=case).order_by("id")] == [False, True]


def test_uk_a_visit_needs_its_purpose_stated_in_advance(collector_client, collector):
    case = case_in("GB", "ENG", "+447700900123", collector, collector_type="first_party")
    unstated = log_visit(collector_client, collector, case, LONDON_MORNING)
    assert unstated.status_code == 409 and "GB.VISIT" in unstated.content.decode()
    assert log_visit(collector_client, collector, case, LONDON_MORNING, purpose_stated="on").status_code == 200


def test_massachusetts_a_home_visit_is_allowed_a_workplace_visit_is_not_even_when_asked(collector_client, collector):
    # 209 CMR 18.17(7) allows a workplace visit the debtor asked for; 940 CMR 7.05(3) allows
    # none, and the strictest rule wins.
    case = case_in("US", "MA", "+16175550123", collector, jurisdiction="US-MA")
    at_work = log_visit(collector_client, collector, case, BOSTON_MORNING, workplace="on", requested="on")
    assert at_work.status_code == 409 and "US-MA.HOUSEHOLD" in at_work.content.decode()
    assert log_visit(collector_client, collector, case, BOSTON_MORNING).status_code == 200


def test_the_api_takes_how_a_visit_is_made(collector):
    case = case_in("CN", "BJ", "+8613800138000", collector, collector_type="first_party")
    client = APIClient()
    client.force_authenticate(collector)
    url = f"/api/v1/cases/{case.pk}/contact-check"
    body = {"channel": "visit", "at": BEIJING_MORNING.isoformat()}
    assert [r["rule"] for r in client.post(url, body, format="json").json()["reasons"]] == ["CN.VISIT"]
    assert client.post(url, {**body, "visit": {"collectors": 2}}, format="json").json()["allowed"] is True
    assert client.post(url, {**body, "visit": {"collectors": 0}}, format="json").status_code == 400
    wrong = client.post(url, {"channel": "call", "visit": {"collectors": 2}}, format="json")
    assert wrong.status_code == 400 and "visit" in wrong.json()
