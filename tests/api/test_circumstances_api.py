"""/api/v1/debtors/{id}/circumstances: when and where the debtor may be reached, as they told
us; the gate reads it before every contact."""

from datetime import datetime, timedelta, timezone

import pytest
import time_machine

from collections_app.models import Debtor
from compliance import gate
from compliance.models import AuditEvent
from tests.factories import CaseFactory, ContactPointFactory, UserFactory

pytestmark = pytest.mark.django_db
NOON_NEW_YORK = datetime(2026, 11, 24, 17, tzinfo=timezone.utc)


@pytest.fixture
def case(collector):
    case = CaseFactory(collector=collector, jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    ContactPointFactory(debtor=case.debtor, kind="address", value="1 Main St", country="US", region="NY",
                        postal_code="10001")
    return case


def url(case):
    return f"/api/v1/debtors/{case.debtor_id}/circumstances"


def test_inconvenient_times_sent_by_a_dialer_block_calls_in_them(case, collector, api):
    with time_machine.travel(NOON_NEW_YORK - timedelta(hours=1)):
        response = api(collector).patch(url(case), {"inconvenient_times": [["11:30", "13:00"]]}, format="json")
    assert response.status_code == 200 and response.json()["inconvenient_times"] == [["11:30", "13:00"]]
    with time_machine.travel(NOON_NEW_YORK):
        decision = gate.check(case=case, channel="call")
    assert "US.TIME" in decision.rule_ids and decision.next_allowed_at == NOON_NEW_YORK + timedelta(hours=1)


def test_patch_changes_only_what_is_sent(case, collector, api):
    client = api(collector)
    client.patch(url(case), {"inconvenient_times": [["21:00", "09:00"]], "vulnerable": True}, format="json")
    body = client.patch(url(case), {"not_at_work": True}, format="json").json()
    assert body["inconvenient_times"] == [["21:00", "09:00"]] and body["vulnerable"] is True
    assert body["not_at_work_since"] is not None
    assert client.get(url(case)).json() == body
    assert AuditEvent.objects.filter(kind="debtor.circumstances_changed").count() == 2


@pytest.mark.parametrize(("payload", "field"), [
    ({"inconvenient_times": [["25:00", "08:00"]]}, "inconvenient_times"),
    ({"inconvenient_times": [["12:00"]]}, "inconvenient_times"),
    ({"inconvenient_times": "noon"}, "inconvenient_times"),
    ({"inconvenient_times": [["12:00", "12:00"]]}, "inconvenient_times"),
    ({"vulnerable": "perhaps"}, "vulnerable"),
    ({"mood": "calm"}, "mood"),
])
def test_bad_circumstances_name_the_field_and_change_nothing(case, collector, payload, field, api):
    response = api(collector).patch(url(case), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert Debtor.objects.get(pk=case.debtor_id).inconvenient_times == []
    assert not AuditEvent.objects.filter(kind="debtor.circumstances_changed").exists()


def test_compliance_officers_read_but_do_not_change_circumstances(case, api):
    officer = UserFactory(role="compliance_officer")
    officer.save()
    client = api(officer)
    assert client.get(url(case)).status_code == 200
    assert client.patch(url(case), {"vulnerable": True}, format="json").status_code == 403


def test_another_collectors_debtor_is_not_found(case, api):
    stranger = UserFactory(role="collector")
    stranger.save()
    assert api(stranger).patch(url(case), {"vulnerable": True}, format="json").status_code == 404
