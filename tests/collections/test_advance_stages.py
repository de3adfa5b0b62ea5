"""The daily job moving cases by days past due (firm policy thresholds)."""

from datetime import date, timedelta

import pytest

from collections_app.models import Case, Stage
from collections_app.services import advance_stages
from compliance import ledger
from compliance.models import AuditEvent
from tests.factories import CaseFactory, HoldFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def case_past_due(days):
    return CaseFactory(loan__due_date=TODAY - timedelta(days=days))


def test_case_one_day_past_due_starts_reminders():
    case = case_past_due(1)
    advance_stages(today=TODAY)
    assert Case.objects.get(pk=case.pk).stage == Stage.EARLY


def test_case_not_yet_due_stays_new():
    case = case_past_due(0)
    advance_stages(today=TODAY)
    assert Case.objects.get(pk=case.pk).stage == Stage.NEW


def test_case_far_past_due_walks_every_step_to_final_notice():
    case = case_past_due(75)
    report = advance_stages(today=TODAY)
    assert Case.objects.get(pk=case.pk).stage == Stage.FINAL_NOTICE
    transitions = [e.payload for e in AuditEvent.objects.filter(case=case)]
    assert len(transitions) == 3 and report.moved == 3


def test_hold_stops_the_job_at_active_collection():
    case = case_past_due(75)
    HoldFactory(case=case, kind="dispute")
    report = advance_stages(today=TODAY)
    assert Case.objects.get(pk=case.pk).stage == Stage.ACTIVE
    assert report.held == 1


def test_job_moves_are_audited_with_the_job_as_actor():
    case_past_due(40)
    advance_stages(today=TODAY)
    assert set(AuditEvent.objects.values_list("actor", flat=True)) == {"job:advance_stages"}
    assert ledger.verify().ok


def test_rerunning_the_job_the_same_day_moves_nothing_more():
    case_past_due(40)
    advance_stages(today=TODAY)
    assert advance_stages(today=TODAY).moved == 0
