"""Steps some rules wait for, recorded on the case page: a forbearance review before a UK
final notice (GB.FORBEARANCE, CONC 7.3.4R), the debtor told before an outside agency collects
in China (CN.OUTSOURCE)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from collections_app.models import Case
from compliance import gate
from compliance.models import AuditEvent
from tests.factories import CaseFactory, ContactPointFactory

pytestmark = pytest.mark.django_db
LONDON_MORNING = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Europe/London"))
BEIJING_MORNING = datetime(2026, 11, 24, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def post(client, user, case, name, data, at):
    with time_machine.travel(at):
        client.force_login(user)
        return client.post(reverse(f"collections:{name}", args=[case.pk]), data, follow=True)


@pytest.fixture
def london_case(collector):
    case = CaseFactory(collector=collector, jurisdiction="GB", collector_type="first_party")
    ContactPointFactory(debtor=case.debtor, kind="address", value="221 Baker Street", country="GB", region="",
                        postal_code="NW1 6XE", is_primary=True)
    return case


@pytest.fixture
def beijing_agency_case(collector):
    case = CaseFactory(collector=collector, jurisdiction="CN", collector_type="third_party")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+8613800138000", line="mobile", is_primary=True)
    return case


def test_uk_a_final_notice_waits_for_a_forbearance_review(collector_client, collector, london_case):
    with time_machine.travel(LONDON_MORNING):
        assert "GB.FORBEARANCE" in gate.check(case=london_case, channel="letter", purpose="escalation").rule_ids
    page = post(collector_client, collector, london_case, "forbearance-review",
                {"forbearance-note": "Offered a reduced plan; no hardship disclosed"}, LONDON_MORNING).content.decode()
    assert "Forbearance review recorded" in page
    case = Case.objects.get(pk=london_case.pk)
    assert case.forbearance_review_note == "Offered a reduced plan; no hardship disclosed"
    with time_machine.travel(LONDON_MORNING.replace(minute=5)):
        assert "GB.FORBEARANCE" not in gate.check(case=case, channel="letter", purpose="escalation").rule_ids
    event = AuditEvent.objects.get(kind="case.forbearance_reviewed")
    assert "Offered" not in event.payload and "note_sha256" in event.payload


def test_uk_a_forbearance_review_says_what_was_considered(collector_client, collector, london_case):
    response = post(collector_client, collector, london_case, "forbearance-review", {"forbearance-note": "  "},
                    LONDON_MORNING)
    assert response.status_code == 400 and 'id="id_forbearance-note_error"' in response.content.decode()
    assert Case.objects.get(pk=london_case.pk).forbearance_reviewed_at is None


def test_china_an_agency_contacts_only_after_the_debtor_was_told(collector_client, collector, beijing_agency_case):
    with time_machine.travel(BEIJING_MORNING):
        assert "CN.OUTSOURCE" in gate.check(case=beijing_agency_case, channel="call").rule_ids
        page = collector_client.get(reverse("collections:case", args=[beijing_agency_case.pk]))
    assert "every contact waits for it" in page.content.decode()
    post(collector_client, collector, beijing_agency_case, "outsourcing-notice",
         {"outsourcing-evidence": "Lender's letter of 2026-11-20"}, BEIJING_MORNING)
    case = Case.objects.get(pk=beijing_agency_case.pk)
    with time_machine.travel(BEIJING_MORNING.replace(minute=5)):
        assert "CN.OUTSOURCE" not in gate.check(case=case, channel="call").rule_ids
    assert AuditEvent.objects.filter(kind="case.outsourcing_notified").count() == 1


def test_the_steps_appear_only_where_a_rule_waits_for_them(collector_client, collector, london_case):
    us = CaseFactory(collector=collector, jurisdiction="US")
    with time_machine.travel(LONDON_MORNING):
        collector_client.force_login(collector)
        london_page = collector_client.get(reverse("collections:case", args=[london_case.pk])).content.decode()
        assert "Record a forbearance review" in london_page
        us_page = collector_client.get(reverse("collections:case", args=[us.pk])).content.decode()
    assert "Steps the rules wait for" not in us_page


def test_a_lenders_own_case_needs_no_placement_notice(collector_client, collector):
    own = CaseFactory(collector=collector, jurisdiction="CN", collector_type="first_party")
    response = post(collector_client, collector, own, "outsourcing-notice", {"outsourcing-evidence": "x"},
                    BEIJING_MORNING)
    assert "only an outside agency" in response.content.decode()
    us_agency = CaseFactory(collector=collector, jurisdiction="US", collector_type="third_party")
    assert "only an outside agency" in post(collector_client, collector, us_agency, "outsourcing-notice",
                                            {"outsourcing-evidence": "x"}, BEIJING_MORNING).content.decode()
    assert Case.objects.get(pk=own.pk).outsourcing_notified_at is None


def test_the_api_records_the_steps(collector, london_case, beijing_agency_case):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(collector)
    with time_machine.travel(LONDON_MORNING):
        body = client.post(f"/api/v1/cases/{london_case.pk}/forbearance-review", {"note": "Offered a plan"},
                           format="json").json()
    assert body["forbearance_reviewed_at"] is not None
    empty = client.post(f"/api/v1/cases/{london_case.pk}/forbearance-review", {"note": ""}, format="json")
    assert empty.status_code == 400 and "note" in empty.json()
    done = client.post(f"/api/v1/cases/{beijing_agency_case.pk}/outsourcing-notice", {"evidence": "Letter"},
                       format="json")
    assert done.status_code == 200 and done.json()["outsourcing_notified_at"] is not None
