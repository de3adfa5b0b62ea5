"""The gate over HTTP: contact-check, contacts, wording-check."""

import pytest
from rest_framework.test import APIClient

from collections_app.models import ContactAttempt
from tests.factories import CaseFactory, ContactPointFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def chicago_case(collector):
    """A Chicago address with a New York mobile: both zones' hours apply (US.TIME.AMBIGUOUS)."""
    case = CaseFactory(collector=collector, jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    ContactPointFactory(debtor=case.debtor, kind="address", value="1 Wacker Dr, Chicago, IL, 60601, US",
                        country="US", region="IL", postal_code="60601")
    return case


def test_call_at_2030_chicago_with_a_new_york_mobile_is_blocked(chicago_case, collector):
    response = client_for(collector).post(
        f"/api/v1/cases/{chicago_case.pk}/contact-check",
        {"channel": "call", "at": "2026-11-24T20:30:00-06:00"}, format="json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["allowed"] is False
    assert {"US.TIME", "US.TIME.AMBIGUOUS"} & {r["rule"] for r in body["reasons"]}
    assert all(r["citation"] and r["message"] for r in body["reasons"])
    # 08:00 in Chicago is 09:00 in New York: the first moment allowed in both zones.
    assert body["next_allowed_at"] == "2026-11-25T14:00:00+00:00"
    assert body["pack"] == "US" and body["pack_version"]


def test_same_call_at_1400_chicago_is_allowed(chicago_case, collector):
    body = client_for(collector).post(
        f"/api/v1/cases/{chicago_case.pk}/contact-check",
        {"channel": "call", "at": "2026-11-24T14:00:00-06:00"}, format="json",
    ).json()
    assert body == {**body, "allowed": True, "reasons": [], "next_allowed_at": None}


def test_contact_check_in_chinese_speaks_chinese(chicago_case, collector):
    body = client_for(collector).post(
        f"/api/v1/cases/{chicago_case.pk}/contact-check", {"channel": "call", "at": "2026-11-24T22:30:00-06:00"},
        format="json", HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["reasons"][0]["message"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "call", "at": "2026-11-24T20:30:00"}, "at"),
        ({"channel": "call", "at": "2026-02-30T10:00:00Z"}, "at"),
        ({"channel": "call", "at": "yesterday"}, "at"),
        ({"channel": "call", "at": "9999-12-31T23:59:59+14:00"}, "at"),
        ({"channel": "letter", "at": "0001-01-01T00:00:00+05:00"}, "at"),
        ({"channel": "call", "at": 1764000000}, "at"),
        ({"channel": "call", "colour": "red"}, "colour"),
        ({}, "channel"),
    ],
)
def test_bad_contact_check_names_the_field(chicago_case, collector, payload, field):
    response = client_for(collector).post(f"/api/v1/cases/{chicago_case.pk}/contact-check", payload, format="json")
    assert response.status_code == 400 and field in response.json()


def test_a_moment_no_decision_can_be_made_for_says_so(chicago_case, collector):
    url = f"/api/v1/cases/{chicago_case.pk}/contact-check"
    far = client_for(collector).post(url, {"channel": "call", "at": "9999-12-31T23:59:59+14:00"}, format="json")
    assert far.json()["at"] == ["must fall between 1970 and 2099"]
    word = client_for(collector).post(url, {"channel": "call", "at": "yesterday"}, format="json")
    assert word.json()["at"] == ["is not an ISO 8601 moment, e.g. 2026-03-01T20:30:00-06:00"]


def test_malformed_json_is_a_400_not_a_500(chicago_case, collector):
    response = client_for(collector).post(
        f"/api/v1/cases/{chicago_case.pk}/contact-check", "{not json", content_type="application/json",
    )
    assert response.status_code == 400


def test_allowed_contact_is_recorded_with_201(chicago_case, collector, settings):
    import time_machine
    from datetime import datetime, timezone

    with time_machine.travel(datetime(2026, 11, 24, 18, 0, tzinfo=timezone.utc)):  # 12:00 Chicago
        response = client_for(collector).post(
            f"/api/v1/cases/{chicago_case.pk}/contacts", {"channel": "call", "outcome": "no_answer"}, format="json",
        )
    assert response.status_code == 201 and response.json()["allowed"] is True
    assert ContactAttempt.objects.get(pk=response.json()["attempt"]).allowed


def test_blocked_contact_answers_409_and_is_still_recorded(chicago_case, collector):
    import time_machine
    from datetime import datetime, timezone

    with time_machine.travel(datetime(2026, 11, 25, 3, 30, tzinfo=timezone.utc)):  # 21:30 Chicago
        response = client_for(collector).post(
            f"/api/v1/cases/{chicago_case.pk}/contacts", {"channel": "call", "outcome": "conversation"}, format="json",
        )
    assert response.status_code == 409 and response.json()["allowed"] is False
    attempt = ContactAttempt.objects.get()
    assert not attempt.allowed and attempt.outcome == "not_attempted"


def test_collector_cannot_check_another_collectors_case(chicago_case):
    other = UserFactory(role="collector")
    response = client_for(other).post(f"/api/v1/cases/{chicago_case.pk}/contact-check", {"channel": "call"},
                                      format="json")
    assert response.status_code == 404


def test_compliance_officer_may_check_but_not_record(chicago_case):
    officer = UserFactory(role="compliance_officer")
    client = client_for(officer)
    assert client.post(f"/api/v1/cases/{chicago_case.pk}/contact-check", {"channel": "call"}, format="json").status_code == 200
    response = client.post(f"/api/v1/cases/{chicago_case.pk}/contacts", {"channel": "call", "outcome": "no_answer"},
                           format="json")
    assert response.status_code == 403 and not ContactAttempt.objects.exists()


def test_wording_check_finds_a_threat_with_its_span(collector):
    text = "Pay today or a warrant for your arrest will be issued."
    body = client_for(collector).post(
        "/api/v1/wording-check", {"text": text, "language": "en", "jurisdiction": "US"}, format="json",
    ).json()
    assert body["allowed"] is False
    finding = body["findings"][0]
    assert finding["rule"] and finding["citation"] and finding["category"]
    assert text[finding["start"]:finding["end"]] == finding["text"]


def test_wording_check_passes_a_benign_chinese_message(collector):
    body = client_for(collector).post(
        "/api/v1/wording-check",
        {"text": "您好，您的账单已逾期，请尽快联系我们协商还款方案。", "language": "zh-Hans", "jurisdiction": "CN"},
        format="json",
    ).json()
    assert body == {"allowed": True, "findings": []}


def test_wording_check_rejects_an_unknown_fact(collector):
    response = client_for(collector).post(
        "/api/v1/wording-check",
        {"text": "x", "language": "en", "jurisdiction": "US", "facts": {"is_bailiff": True}}, format="json",
    )
    assert response.status_code == 400 and "facts" in response.json()
