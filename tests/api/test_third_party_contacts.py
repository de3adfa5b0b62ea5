"""Third-party contacts over the API: who the third party is, why they are contacted, and
each third party reached once for the debtor's location however long ago (12 CFR 1006.10(c))."""

from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from collections_app.models import ContactAttempt
from compliance import replay
from tests.factories import CaseFactory, ContactPointFactory

pytestmark = pytest.mark.django_db
NOON_NEW_YORK = datetime(2026, 11, 24, 17, tzinfo=timezone.utc)
NOON_BEIJING = datetime(2026, 11, 24, 4, tzinfo=timezone.utc)
NEIGHBOUR = "+12125550999"
LOCATION_CALL = {"channel": "third_party", "destination": NEIGHBOUR, "outcome": "conversation",
                 "third_party": {"relationship": "neighbour", "purpose": "location"}}


@pytest.fixture
def new_york_case(collector):
    case = CaseFactory(collector=collector, jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    ContactPointFactory(debtor=case.debtor, kind="address", value="1 Main St, New York", country="US", region="NY",
                        postal_code="10001")
    return case


def record(client, case, payload, at=NOON_NEW_YORK):
    with time_machine.travel(at):
        return client.post(f"/api/v1/cases/{case.pk}/contacts", payload, format="json")


def test_a_location_call_to_a_neighbour_is_allowed_once(new_york_case, collector, api):
    first = record(api(collector), new_york_case, LOCATION_CALL)
    assert first.status_code == 201, first.json()
    second = record(api(collector), new_york_case, LOCATION_CALL, at=NOON_NEW_YORK + timedelta(days=1))
    assert second.status_code == 409
    assert [(r["rule"], r["citation"]) for r in second.json()["reasons"]] == [("US.LOCATION", "12 CFR 1006.10")]


def test_a_third_party_reached_for_location_months_ago_still_counts(new_york_case, collector, api):
    # Beyond the window of history the caps read: 1006.10(c) has no time limit.
    ContactAttempt.objects.create(
        case=new_york_case, debtor=new_york_case.debtor, channel="third_party", destination=NEIGHBOUR,
        at=NOON_NEW_YORK - timedelta(days=120), actor_label="import", outcome="conversation", allowed=True,
        source="imported", purpose="location",
    )
    response = record(api(collector), new_york_case, LOCATION_CALL)
    assert response.status_code == 409
    assert [r["rule"] for r in response.json()["reasons"]] == ["US.LOCATION"]


def test_a_blocked_third_party_contact_does_not_count_as_reaching_them(new_york_case, collector, api):
    ContactAttempt.objects.create(
        case=new_york_case, debtor=new_york_case.debtor, channel="third_party", destination=NEIGHBOUR,
        at=NOON_NEW_YORK - timedelta(days=120), actor_label="gate", outcome="not_attempted", allowed=False,
        purpose="location",
    )
    assert record(api(collector), new_york_case, LOCATION_CALL).status_code == 201


def test_a_third_party_who_asked_us_to_call_back_may_be_called_again(new_york_case, collector, api):
    record(api(collector), new_york_case, LOCATION_CALL)
    again = {**LOCATION_CALL, "third_party": {**LOCATION_CALL["third_party"], "asked_to_recontact": True}}
    assert record(api(collector), new_york_case, again, at=NOON_NEW_YORK + timedelta(days=1)).status_code == 201


def test_the_debt_is_not_discussed_with_a_neighbour(new_york_case, collector, api):
    body = api(collector).post(
        f"/api/v1/cases/{new_york_case.pk}/contact-check",
        {"channel": "third_party", "destination": NEIGHBOUR, "at": "2026-11-24T12:00:00-05:00",
         "third_party": {"relationship": "neighbour", "purpose": "collection"}}, format="json",
    ).json()
    assert body["allowed"] is False and [r["rule"] for r in body["reasons"]] == ["US.THIRD_PARTY"]


def test_the_debt_may_be_discussed_with_the_spouse(new_york_case, collector, api):
    body = api(collector).post(
        f"/api/v1/cases/{new_york_case.pk}/contact-check",
        {"channel": "third_party", "destination": "+12125550888", "at": "2026-11-24T12:00:00-05:00",
         "third_party": {"relationship": "spouse", "purpose": "collection"}}, format="json",
    ).json()
    assert body["allowed"] is True, body


def test_a_recorded_third_party_contact_replays_with_who_they_were(new_york_case, collector, api):
    record(api(collector), new_york_case, LOCATION_CALL)
    attempt = ContactAttempt.objects.get(case=new_york_case, channel="third_party")
    assert attempt.purpose == "location"
    assert attempt.decision["request"]["third_party"]["relationship"] == "neighbour"
    assert replay.replay_attempt(attempt).reproduces_record


@pytest.fixture
def beijing_case(collector):
    case = CaseFactory(collector=collector, jurisdiction="CN", collector_type="first_party")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+8613800138000", line="mobile", is_primary=True)
    return case


def test_china_third_parties_only_when_the_debtor_cannot_be_reached(beijing_case, collector, api):
    payload = {"channel": "third_party", "destination": "+8613900139000", "outcome": "conversation",
               "third_party": {"relationship": "family", "purpose": "location"}}
    reachable = record(api(collector), beijing_case, payload, at=NOON_BEIJING)
    assert reachable.status_code == 409
    assert [r["rule"] for r in reachable.json()["reasons"]] == ["CN.THIRD_PARTY"]
    beijing_case.debtor.unreachable = True
    beijing_case.debtor.save()
    assert record(api(collector), beijing_case, payload, at=NOON_BEIJING + timedelta(hours=1)).status_code == 201


def test_china_a_third_party_who_refused_to_help_is_not_contacted_again(beijing_case, collector, api):
    beijing_case.debtor.unreachable = True
    beijing_case.debtor.save()
    payload = {"channel": "third_party", "destination": "+8613900139000", "outcome": "conversation",
               "third_party": {"relationship": "family", "purpose": "pass_message"}}
    said_no = record(api(collector), beijing_case, {**payload, "outcome": "refused"}, at=NOON_BEIJING)
    assert said_no.status_code == 201  # the call was made; they refused
    for later in (timedelta(days=1), timedelta(days=200)):
        again = record(api(collector), beijing_case, payload, at=NOON_BEIJING + later)
        assert again.status_code == 409
        assert [r["rule"] for r in again.json()["reasons"]] == ["CN.THIRD_PARTY"]
        assert "refused" in again.json()["reasons"][0]["message"]
    # Someone else in the family may still be asked.
    other = record(api(collector), beijing_case, {**payload, "destination": "+8613700137000"},
                   at=NOON_BEIJING + timedelta(days=2))
    assert other.status_code == 201


def test_refused_is_the_outcome_of_a_third_party_contact_only(new_york_case, collector, api):
    response = api(collector).post(f"/api/v1/cases/{new_york_case.pk}/contacts",
                                          {"channel": "call", "outcome": "refused"}, format="json")
    assert response.status_code == 400 and "outcome" in response.json()


@pytest.mark.parametrize(("payload", "field"), [
    ({"channel": "third_party", "destination": NEIGHBOUR}, "third_party"),
    ({"channel": "third_party", "third_party": {"relationship": "neighbour"}}, "destination"),
    ({"channel": "third_party", "destination": " ", "third_party": {"relationship": "neighbour"}}, "destination"),
    ({"channel": "call", "third_party": {"relationship": "neighbour"}}, "third_party"),
    ({"channel": "third_party", "destination": NEIGHBOUR, "third_party": {"relationship": "cousin"}}, "third_party"),
    ({"channel": "third_party", "destination": NEIGHBOUR, "third_party": {}}, "third_party"),
    ({"channel": "third_party", "destination": NEIGHBOUR,
      "third_party": {"relationship": "neighbour", "purpose": "required_by_law"}}, "third_party"),
    ({"channel": "third_party", "destination": NEIGHBOUR,
      "third_party": {"relationship": "neighbour", "mood": "angry"}}, "third_party"),
    ({"channel": "third_party", "destination": NEIGHBOUR,
      "third_party": {"relationship": "neighbour", "refused": True}}, "third_party"),
    ({"channel": "third_party", "destination": NEIGHBOUR, "third_party": "neighbour"}, "third_party"),
])
def test_a_bad_third_party_contact_names_the_field(new_york_case, collector, payload, field, api):
    for endpoint, extra in (("contact-check", {}), ("contacts", {"outcome": "conversation"})):
        response = api(collector).post(f"/api/v1/cases/{new_york_case.pk}/{endpoint}", {**payload, **extra},
                                              format="json")
        assert response.status_code == 400, (endpoint, response.content)
        assert field in response.json(), (endpoint, response.json())
    assert not ContactAttempt.objects.filter(case=new_york_case).exists()
