"""plan_notices: set-based, idempotent, audited."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from collections_app.models import Case, PromiseToPay, Stage
from compliance import ledger
from compliance.models import AuditEvent
from notices.models import Notice, NoticeSchedule
from notices.planner import plan_notices
from tests.factories import CaseFactory, HoldFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def only_these_schedules():
    NoticeSchedule.objects.all().delete()


def schedule(**fields):
    return NoticeSchedule.objects.create(**{"kind": "reminder", "channel": "letter", "trigger": "days_past_due",
                                            "offset_days": 7, **fields})


def past_due(days, **fields):
    # The validation notice went a month ago unless a test says otherwise.
    fields.setdefault("initial_communication_at", datetime(2026, 10, 24, tzinfo=timezone.utc))
    return CaseFactory(loan__due_date=DAY - timedelta(days=days), **fields)


def test_reminder_is_planned_once_the_case_is_that_many_days_past_due():
    schedule(offset_days=7)
    due, not_yet = past_due(7), past_due(6)
    plan_notices(day=DAY)
    assert list(Notice.objects.values_list("case_id", "kind", "cycle", "idempotency_key")) == [
        (due.pk, "reminder", "dpd7.letter", f"{due.pk}:reminder:dpd7.letter"),
    ]
    assert not Notice.objects.filter(case=not_yet).exists()


def test_rerunning_a_day_plans_nothing_new():
    schedule()
    past_due(10)
    assert plan_notices(day=DAY).planned == 1
    assert plan_notices(day=DAY).planned == 0
    assert plan_notices(day=DAY + timedelta(days=1)).planned == 0
    assert Notice.objects.count() == 1


def test_each_planned_notice_is_audited():
    schedule()
    case = past_due(10)
    plan_notices(day=DAY)
    event = AuditEvent.objects.get(kind="notice.planned")
    assert event.case_id == case.pk and event.actor == "job:plan_notices"
    assert ledger.verify().ok


def test_jurisdiction_prefix_covers_state_overlays_only_of_that_country():
    schedule(jurisdiction="US")
    us, ma, cn = past_due(10, jurisdiction="US"), past_due(10, jurisdiction="US-MA"), past_due(10, jurisdiction="CN")
    plan_notices(day=DAY)
    assert set(Notice.objects.values_list("case_id", flat=True)) == {us.pk, ma.pk}


def test_closed_cases_get_no_reminders():
    schedule()
    case = past_due(10)
    Case.objects.filter(pk=case.pk).update(stage=Stage.CLOSED)
    plan_notices(day=DAY)
    assert not Notice.objects.exists()


def test_promise_reminder_is_planned_in_the_days_before_the_promised_date():
    schedule(kind="promise_reminder", channel="sms", trigger="promise_due", offset_days=-2)
    case = past_due(10)
    promise = PromiseToPay.objects.create(case=case, amount=Decimal("50"), currency="USD", due_date=DAY + timedelta(days=2))
    PromiseToPay.objects.create(case=case, amount=Decimal("50"), currency="USD", due_date=DAY + timedelta(days=3))
    plan_notices(day=DAY)
    assert list(Notice.objects.values_list("cycle", flat=True)) == [f"promise{promise.pk}.sms"]


def test_final_notice_letter_is_planned_when_the_stage_is_entered():
    schedule(kind="final_notice", trigger="stage_entered", stage="final_notice", offset_days=0)
    case = past_due(70)
    Case.objects.filter(pk=case.pk).update(stage=Stage.FINAL_NOTICE)
    past_due(70)
    plan_notices(day=DAY)
    assert list(Notice.objects.values_list("case_id", flat=True)) == [case.pk]


def test_cease_confirmation_is_planned_for_an_open_cease_hold():
    schedule(kind="cease_confirmation", trigger="cease_received", offset_days=0)
    hold = HoldFactory(kind="cease", case__initial_communication_at=datetime(2026, 10, 24, tzinfo=timezone.utc))
    plan_notices(day=DAY)
    assert list(Notice.objects.values_list("case_id", "cycle")) == [(hold.case_id, f"cease{hold.pk}.letter")]




def test_us_reminder_waits_until_the_first_communication_went():
    schedule(offset_days=7)
    case = past_due(10, initial_communication_at=None)
    assert plan_notices(day=DAY).planned == 0  # 1006.18(e): the validation notice goes first
    Case.objects.filter(pk=case.pk).update(initial_communication_at=datetime(2026, 11, 23, tzinfo=timezone.utc))
    assert plan_notices(day=DAY).planned == 1


def test_reminders_elsewhere_need_no_prior_communication():
    schedule(offset_days=7)
    past_due(10, jurisdiction="GB", initial_communication_at=None)
    assert plan_notices(day=DAY).planned == 1
