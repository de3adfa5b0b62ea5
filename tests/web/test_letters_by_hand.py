"""A collector sends a letter from the case page: into the outbox, due now, decided by the gate
then and again at dispatch, rendered in the debtor's language and filed in the print batch once."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from collections_app import services
from compliance.models import AuditEvent
from notices import outbox
from notices.models import Notice

from ..factories import HoldFactory, UserFactory
from .conftest import make_case, new_york

pytestmark = pytest.mark.django_db
AFTERNOON = new_york(14, 0)


def send(client, user, case, kind, at=AFTERNOON):
    with time_machine.travel(at):
        client.force_login(user)  # sessions last 8 hours
        return client.post(reverse("collections:letter-request", args=[case.pk]), {"letter-kind": kind}, follow=True)


def test_a_reminder_letter_is_planned_now_and_printed_once(collector_client, collector, team, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    case = make_case(collector=collector, team=team)
    response = send(collector_client, collector, case, "reminder")
    assert "The letter is in the outbox" in response.content.decode()
    notice = Notice.objects.get(case=case)
    assert (notice.kind, notice.channel, notice.status) == ("reminder", "letter", "planned")
    assert AuditEvent.objects.filter(kind="notice.requested").count() == 1
    moment = AFTERNOON + timedelta(minutes=1)
    claimed = outbox.dispatch_notices(now=moment).claimed
    assert claimed == [notice.pk]
    assert outbox.deliver(notice.pk, now=moment) == "sent"
    assert outbox.deliver(notice.pk, now=moment) == "nothing to do"
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.attempt.allowed and notice.attempt.channel == "letter"


def test_a_second_click_sends_nothing_twice(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    send(collector_client, collector, case, "reminder")
    response = send(collector_client, collector, case, "reminder")
    assert "already waiting to be sent" in response.content.decode()
    assert Notice.objects.filter(case=case).count() == 1


def test_a_letter_the_gate_refuses_now_is_not_planned(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    HoldFactory(case=case, kind="bankruptcy")
    response = send(collector_client, collector, case, "reminder")
    assert "POLICY.HOLD.BANKRUPTCY" in response.content.decode()
    assert not Notice.objects.exists()
    refused = AuditEvent.objects.get(kind="notice.refused")
    assert '"rules":["POLICY.HOLD.BANKRUPTCY"]' in refused.payload and refused.actor.startswith("user:")


def test_only_the_letters_of_the_cases_jurisdiction_are_offered(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    assert [k.code for k in services.letter_kinds(case=case)] == ["reminder", "final_notice"]
    response = send(collector_client, collector, case, "gb_arrears_notice")
    assert response.status_code == 400 and 'id="id_letter-kind_error"' in response.content.decode()
    assert not Notice.objects.exists()


def test_compliance_officers_send_no_letters(client, collector, team):
    case = make_case(collector=collector, team=team)
    officer = UserFactory(role="compliance_officer")
    officer.save()
    client.force_login(officer)
    assert client.post(reverse("collections:letter-request", args=[case.pk]), {"letter-kind": "reminder"}).status_code == 403
    assert not Notice.objects.exists()
