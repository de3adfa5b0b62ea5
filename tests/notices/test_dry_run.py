"""plan_notices --dry-run and its page: what would be sent, deferred (until when), suppressed (by which rule)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from notices.dry_run import forecast
from notices.models import Notice, NoticeSchedule
from tests.factories import ContactPointFactory, HoldFactory, UserFactory

from .conftest import make_case

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def one_sms_schedule():
    NoticeSchedule.objects.all().delete()
    NoticeSchedule.objects.create(kind="reminder", channel="sms", trigger="days_past_due", offset_days=7)


def sms_case(**hold):
    case = make_case("US", due_date=DAY - timedelta(days=10))
    case.initial_communication_at = case.validation_notice_sent_at = datetime(2026, 11, 1, tzinfo=ZoneInfo("UTC"))
    case.save()
    ContactPointFactory(debtor=case.debtor, kind="phone", value=f"+1217555{case.pk:04d}", line="mobile",
                        is_primary=True, consumer_used_at=datetime(2026, 11, 20, tzinfo=ZoneInfo("UTC")))
    return case


def london_case():
    case = make_case("GB", due_date=DAY - timedelta(days=10))
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+447911123456", line="mobile", is_primary=True)
    return case


def test_text_due_at_midnight_in_london_is_deferred_to_eight_in_the_morning():
    case = london_case()
    (line,) = forecast(day=DAY)
    assert line.outcome == "defer" and line.case_id == case.pk
    assert line.until == datetime(2026, 11, 25, 8, tzinfo=ZoneInfo("Europe/London"))


def test_text_due_at_midnight_utc_goes_the_evening_before_in_illinois():
    sms_case()
    (line,) = forecast(day=DAY)
    assert line.outcome == "send"  # 18:00 on the 24th in Chicago


def test_disputed_case_is_suppressed_with_the_rule():
    case = sms_case()
    HoldFactory(case=case, kind="dispute", opened_at=datetime(2026, 11, 20, tzinfo=ZoneInfo("UTC")))
    (line,) = forecast(day=DAY)
    assert line.outcome == "suppress" and "US.DISPUTE" in line.rules


def test_dry_run_plans_nothing(capsys):
    london_case()
    call_command("plan_notices", "--dry-run", "--date", DAY.isoformat())
    out = capsys.readouterr().out
    assert "DEFER" in out and "until 2026-11-25T08:00:00+00:00" in out
    assert not Notice.objects.exists()


def test_dry_run_page_explains_deferred_and_suppressed_notices(client):
    london_case()
    disputed = sms_case()
    HoldFactory(case=disputed, kind="dispute", opened_at=datetime(2026, 11, 20, tzinfo=ZoneInfo("UTC")))
    client.force_login(UserFactory(role="compliance_officer"))
    body = client.get("/notices/dry-run/", {"date": DAY.isoformat()}).content.decode()
    assert "defer until" in body and "US.DISPUTE" in body and "1006.38" in body


def test_dry_run_page_is_for_compliance_officers(client):
    client.force_login(UserFactory(role="collector"))
    assert client.get("/notices/dry-run/").status_code == 403


def test_bad_date_is_named_not_a_500(client):
    client.force_login(UserFactory(role="compliance_officer"))
    response = client.get("/notices/dry-run/", {"date": "2026-02-30"})
    assert response.status_code == 200 and "date: use the form YYYY-MM-DD" in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_day_at_the_ends_of_the_calendar_is_named_not_a_500(client, day):
    client.force_login(UserFactory(role="compliance_officer"))
    response = client.get("/notices/dry-run/", {"date": day})
    assert response.status_code == 200 and "date: a day between 1970 and 2099" in response.content.decode()


def test_plan_notices_names_a_day_at_the_end_of_the_calendar():
    with pytest.raises(CommandError, match="--date: a day between 1970 and 2099"):
        call_command("plan_notices", "--dry-run", "--date", "9999-12-31")
