"""Each member of staff reads times in the zone they chose; the audit pages stay in UTC."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime, now, override as timezone_override

from collections_app.forms import PromiseForm
from collections_app.models import ContactAttempt, StaffPreference
from compliance import ledger

from ..factories import UserFactory
from .conftest import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("new_york_afternoon")]
CHICAGO = "America/Chicago"


def choose(client, zone, next_url="/queue/"):
    return client.post(reverse("collections:time-zone"), {"time_zone": zone, "next": next_url})


def blocked_call_case(collector, team):
    """A case whose eighth call in seven days is blocked (1006.14(b)(2)(i)): its call badge
    names the next lawful moment."""
    case = make_case(collector=collector, team=team)
    for days in range(7):
        ContactAttempt.objects.create(
            case=case, debtor=case.debtor, channel="call", destination="+12125550123",
            at=now() - timedelta(days=days, hours=1), actor_label="import", outcome="no_answer", allowed=True,
            source="imported")
    return case


def test_the_queue_writes_the_next_lawful_moment_in_the_zone_the_collector_chose(collector_client, collector, team):
    blocked_call_case(collector, team)
    assert choose(collector_client, CHICAGO).status_code == 302
    response = collector_client.get(reverse("collections:queue"))
    call = response.context["rows"][0].channels[0]
    in_chicago = date_format(localtime(call.next_allowed_at, ZoneInfo(CHICAGO)), "SHORT_DATETIME_FORMAT")
    in_utc = date_format(localtime(call.next_allowed_at, ZoneInfo("UTC")), "SHORT_DATETIME_FORMAT")
    page = response.content.decode()
    assert in_chicago in page and in_utc not in page
    assert f"times are in {CHICAGO}" in page


def test_the_installation_default_applies_until_a_choice_is_made(collector_client, settings):
    settings.DUNWELL_DISPLAY_TIME_ZONE = "Europe/London"
    assert "times are in Europe/London" in collector_client.get(reverse("collections:queue")).content.decode()


def test_the_choice_is_kept_for_the_next_sign_in(client, collector):
    collector.save()
    client.force_login(collector)
    choose(client, CHICAGO)
    client.logout()
    client.force_login(collector)
    assert f"times are in {CHICAGO}" in client.get(reverse("collections:queue")).content.decode()
    assert StaffPreference.objects.get(user=collector).time_zone == CHICAGO


def test_an_unknown_time_zone_is_refused_with_the_field_and_the_reason(collector_client, collector):
    response = choose(collector_client, "Mars/Olympus_Mons")
    assert response.status_code == 302
    page = collector_client.get(response["Location"]).content.decode()
    assert "unknown time zone" in page and "Mars/Olympus_Mons" in page
    assert not StaffPreference.objects.filter(user=collector).exists()


def test_the_switch_returns_only_to_a_page_of_this_site(collector_client):
    assert choose(collector_client, CHICAGO, next_url="https://evil.example/").url == reverse("home")


def test_audit_pages_write_utc_whatever_zone_the_officer_chose(client):
    officer = UserFactory(role="compliance_officer", username="officer-tz")
    officer.save()
    client.force_login(officer)
    choose(client, "Asia/Shanghai")
    event = ledger.append(kind="note.test", actor="system", data={"n": 1})
    page = client.get(reverse("compliance:event", args=[event.seq])).content.decode()
    assert localtime(event.at, ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S") in page
    assert localtime(event.at, ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S") not in page


def test_the_case_page_shows_the_debtors_time_in_every_zone_they_may_be_in(collector_client, collector, team):
    # A Chicago address and a New York mobile: both zones count (comment 6(b)(1)(i)-2).
    case = make_case(collector=collector, team=team, phone="+12125550123")
    case.debtor.contact_points.filter(kind="address").update(country="US", region="IL", postal_code="60601")
    page = collector_client.get(reverse("collections:case", args=[case.pk])).content.decode()
    for zone in ("America/Chicago", "America/New_York"):
        wall = localtime(now(), ZoneInfo(zone))
        assert f"{date_format(wall, 'D H:i')} {zone}" in page or f"{date_format(wall + timedelta(minutes=-1), 'D H:i')} {zone}" in page


def test_a_promise_due_today_is_today_in_the_collectors_zone():
    # 19:30 in Chicago is already tomorrow in UTC: "today" is the collector's day.
    evening = datetime(2026, 12, 1, 19, 30, tzinfo=ZoneInfo(CHICAGO))
    with time_machine.travel(evening), timezone_override(CHICAGO):
        assert PromiseForm({"amount": "10", "due_date": "2026-12-01"}).is_valid()


def test_the_api_writes_utc_whatever_zone_the_person_chose(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    choose(collector_client, CHICAGO)
    body = collector_client.get(f"/api/v1/cases/{case.pk}/").json()
    assert body["opened_at"].endswith("Z")


def test_a_zone_the_time_zone_database_no_longer_has_falls_back_to_the_default(collector_client):
    session = collector_client.session
    session["dunwell_time_zone"] = "Atlantis/Capital"
    session.save()
    response = collector_client.get(reverse("collections:queue"))
    assert response.status_code == 200 and "times are in UTC" in response.content.decode()


def test_the_header_shows_the_chosen_zone_on_audit_pages_too(client):
    officer = UserFactory(role="compliance_officer", username="officer-header")
    officer.save()
    client.force_login(officer)
    choose(client, "Asia/Shanghai")
    page = client.get(reverse("compliance:audit")).content.decode()
    assert 'name="time_zone" list="time-zones" value="Asia/Shanghai"' in page
