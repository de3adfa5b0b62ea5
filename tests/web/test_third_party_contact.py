"""The case page's third-party contact: the gate decides on who the person is to the debtor
and why they are contacted, and records the contact either way."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from collections_app.models import ContactAttempt

from .conftest import make_case, new_york

pytestmark = pytest.mark.django_db
AFTERNOON = new_york(14, 0)
LOCATION_CALL = {"third-relationship": "neighbour", "third-purpose": "location", "third-destination": "Mrs Lee, flat 2",
                 "third-outcome": "conversation", "third-note": ""}


def post(client, user, case, data, at=AFTERNOON):
    with time_machine.travel(at):
        client.force_login(user)  # sessions last 8 hours
        return client.post(reverse("collections:third-party-contact", args=[case.pk]), data)


def test_the_case_page_offers_a_third_party_contact_form(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)
        page = collector_client.get(reverse("collections:case", args=[case.pk])).content.decode()
    assert "Log a third-party contact" in page and 'name="third-relationship"' in page


def test_a_neighbour_is_asked_where_the_debtor_is_once(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    assert post(collector_client, collector, case, LOCATION_CALL).status_code == 200
    again = post(collector_client, collector, case, LOCATION_CALL, at=AFTERNOON + timedelta(days=2))
    assert again.status_code == 409
    page = again.content.decode()
    assert "US.LOCATION" in page and "1006.10" in page
    attempts = ContactAttempt.objects.filter(case=case, channel="third_party").order_by("at")
    assert [(a.allowed, a.purpose, a.destination) for a in attempts] == [
        (True, "location", "Mrs Lee, flat 2"), (False, "location", "Mrs Lee, flat 2")]


def test_a_neighbour_who_asked_us_to_call_back_may_be_called_again(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    post(collector_client, collector, case, LOCATION_CALL)
    again = post(collector_client, collector, case, {**LOCATION_CALL, "third-asked_to_recontact": "on"},
                 at=AFTERNOON + timedelta(days=2))
    assert again.status_code == 200


def test_the_debt_is_not_discussed_with_a_neighbour(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    response = post(collector_client, collector, case, {**LOCATION_CALL, "third-purpose": "collection"})
    assert response.status_code == 409 and "US.THIRD_PARTY" in response.content.decode()


def test_a_third_party_contact_without_who_was_contacted_names_the_field(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    response = post(collector_client, collector, case, {**LOCATION_CALL, "third-destination": "   "})
    assert response.status_code == 400
    assert 'id="id_third-destination_error"' in response.content.decode()
    assert not ContactAttempt.objects.filter(case=case).exists()


def test_a_neighbour_who_refused_to_help_is_recorded_as_refused(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    assert post(collector_client, collector, case, {**LOCATION_CALL, "third-outcome": "refused"}).status_code == 200
    assert ContactAttempt.objects.get(case=case).outcome == "refused"


def test_the_timeline_says_who_the_third_party_was_and_why(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    post(collector_client, collector, case, LOCATION_CALL)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)
        page = collector_client.get(reverse("collections:case", args=[case.pk])).content.decode()
    assert "Third-party contact (Neighbour: Ask where to reach the debtor) · Conversation" in page


def test_the_case_pages_choices_are_the_engines_words():
    from collections_app.models import ThirdPartyPurpose, ThirdPartyRelationship
    from compliance import engine

    assert sorted(ThirdPartyRelationship.values) == sorted(engine.THIRD_PARTY_RELATIONSHIPS)
    assert sorted(ThirdPartyPurpose.values) == sorted(engine.THIRD_PARTY_PURPOSES)
