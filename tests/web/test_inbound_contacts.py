"""The debtor's own contacts: recorded, not decided, and read by the rules — a telephone
conversation starts seven quiet days whoever called (1006.14(b)(2)(i)(B)), a text from the
debtor's number makes it safe for texts (1006.6(d)(3)), and one reply is allowed on the
medium they used even at a time they named inconvenient (comment 6(b)(1)-2)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from collections_app.models import ContactAttempt, ContactPoint
from compliance import gate
from compliance.models import AuditEvent

from .conftest import make_case, new_york

pytestmark = pytest.mark.django_db
AFTERNOON = new_york(14, 0)


def post(client, user, case, name, data, at=AFTERNOON):
    with time_machine.travel(at):
        client.force_login(user)  # sessions last 8 hours
        return client.post(reverse(f"collections:{name}", args=[case.pk]), data)


def test_a_call_from_the_debtor_is_recorded_and_starts_seven_quiet_days(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    response = post(collector_client, collector, case, "inbound-log",
                    {"inbound-channel": "call", "inbound-outcome": "conversation", "inbound-note": "Called about a plan"})
    assert response.status_code == 302
    attempt = ContactAttempt.objects.get(case=case)
    assert attempt.initiated_by_consumer and attempt.allowed and attempt.outcome == "conversation"
    assert AuditEvent.objects.filter(kind="contact.inbound").count() == 1
    with time_machine.travel(AFTERNOON + timedelta(days=3)):
        decision = gate.check(case=case, channel="call")
    assert "US.CALLS.7IN7" in decision.rule_ids
    case.refresh_from_db()
    assert case.last_spoke_at == attempt.at  # the queue knows the debtor was spoken to


def test_the_timeline_says_the_contact_came_from_the_debtor(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    post(collector_client, collector, case, "inbound-log", {"inbound-channel": "call", "inbound-outcome": "conversation"})
    with time_machine.travel(AFTERNOON):
        page = collector_client.get(reverse("collections:case", args=[case.pk])).content.decode()
    assert "Call from the debtor · Conversation" in page


def test_an_email_from_the_debtor_makes_the_address_one_they_use(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    email = ContactPoint.objects.get(debtor=case.debtor, kind="email")
    with time_machine.travel(AFTERNOON):
        assert "US.EMAIL.SAFE" in gate.check(case=case, channel="email", message="Reply STOP to opt out.").rule_ids
    post(collector_client, collector, case, "inbound-log",
         {"inbound-channel": "email", "inbound-destination": str(email.pk), "inbound-outcome": "delivered"})
    email.refresh_from_db()
    assert email.consumer_used_at is not None
    with time_machine.travel(AFTERNOON + timedelta(minutes=5)):
        decision = gate.check(case=case, channel="email", message="This communication is from a debt collector. "
                                                                  "Reply STOP to opt out.")
    assert "US.EMAIL.SAFE" not in decision.rule_ids


def test_one_reply_to_the_debtors_call_at_a_time_they_named_inconvenient(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    case.debtor.inconvenient_times = [["13:00", "15:00"]]
    case.debtor.save()
    post(collector_client, collector, case, "inbound-log", {"inbound-channel": "call", "inbound-outcome": "delivered"})
    call = {"contact-channel": "call", "contact-outcome": "conversation"}
    later = AFTERNOON + timedelta(minutes=10)
    assert post(collector_client, collector, case, "contact-log", call, at=later).status_code == 409
    assert post(collector_client, collector, case, "contact-log", {**call, "contact-reply": "on"}, at=later).status_code == 200
    again = post(collector_client, collector, case, "contact-log", {**call, "contact-reply": "on"},
                 at=later + timedelta(minutes=5))
    assert again.status_code == 409  # one reply only
    with time_machine.travel(later):
        page = collector_client.get(reverse("collections:case", args=[case.pk])).content.decode()
    assert "Call replying to the debtor · Conversation" in page


def test_the_api_records_the_debtors_own_contact(collector):
    case = make_case(collector=collector)
    client = APIClient()
    client.force_authenticate(collector)
    url = f"/api/v1/cases/{case.pk}/contacts"
    with time_machine.travel(AFTERNOON):
        response = client.post(url, {"channel": "call", "outcome": "conversation", "initiated_by_consumer": True},
                               format="json")
        assert response.status_code == 201 and response.json()["initiated_by_consumer"] is True
        assert ContactAttempt.objects.get(pk=response.json()["attempt"]).initiated_by_consumer
        for bad in ({"channel": "visit"}, {"outcome": "refused"}, {"outcome": "no_answer"}, {"message": "hi"},
                    {"reply": True}):
            body = {"channel": "call", "outcome": "conversation", "initiated_by_consumer": True, **bad}
            refused = client.post(url, body, format="json")
            assert refused.status_code == 400 and set(bad) & set(refused.json()), (bad, refused.json())
    assert ContactAttempt.objects.filter(case=case).count() == 1
