"""The regulated stages: every transition, every guard, the permission and the audit."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.timezone import now
from django_fsm_log.models import StateLog

from collections_app.models import Case, Stage
from collections_app.services import TransitionRefused, case_transition, hold_close, hold_open
from compliance.models import AuditEvent
from tests.factories import HoldFactory

pytestmark = pytest.mark.django_db


def at_stage(case, stage, **fields):
    # Test set-up only: place the case in a stage without walking the whole machine.
    Case.objects.filter(pk=case.pk).update(stage=stage, **fields)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(
    ("source", "transition", "target"),
    [
        (Stage.NEW, "start_reminders", Stage.EARLY),
        (Stage.NEW, "activate", Stage.ACTIVE),
        (Stage.EARLY, "activate", Stage.ACTIVE),
        (Stage.ACTIVE, "issue_final_notice", Stage.FINAL_NOTICE),
        (Stage.ACTIVE, "arrange", Stage.ARRANGEMENT),
        (Stage.FINAL_NOTICE, "arrange", Stage.ARRANGEMENT),
        (Stage.ARRANGEMENT, "activate", Stage.ACTIVE),
        (Stage.AGENCY, "activate", Stage.ACTIVE),
        (Stage.ACTIVE, "resolve", Stage.RESOLVED),
        (Stage.LEGAL, "resolve", Stage.RESOLVED),
        (Stage.RESOLVED, "close", Stage.CLOSED),
        (Stage.WRITTEN_OFF, "close", Stage.CLOSED),
    ],
)
def test_collector_performs_ordinary_transitions(case, collector, source, transition, target):
    at_stage(case, source)
    moved = case_transition(case=case, transition=transition, by=collector, reason="test")
    assert moved.stage == target
    assert Case.objects.get(pk=case.pk).stage == target


@pytest.mark.parametrize(
    ("source", "transition"),
    [
        (Stage.NEW, "issue_final_notice"),
        (Stage.EARLY, "place_with_agency"),
        (Stage.ACTIVE, "refer_to_legal"),
        (Stage.CLOSED, "activate"),
        (Stage.RESOLVED, "start_reminders"),
        (Stage.NEW, "write_off"),
    ],
)
def test_transition_not_defined_from_stage_is_refused(case, supervisor, source, transition):
    at_stage(case, source)
    with pytest.raises(TransitionRefused, match="not possible from stage"):
        case_transition(case=case, transition=transition, by=supervisor, reason="test")
    assert Case.objects.get(pk=case.pk).stage == source


def test_stage_field_is_protected_against_direct_assignment(case):
    with pytest.raises(AttributeError):
        case.stage = Stage.LEGAL


def test_every_transition_needs_a_reason(case, collector):
    with pytest.raises(ValidationError) as error:
        case_transition(case=case, transition="start_reminders", by=collector, reason="  ")
    assert "reason" in error.value.message_dict


def test_transition_appends_an_attributed_audit_event(case, collector):
    case_transition(case=case, transition="start_reminders", by=collector, reason="first reminder due")
    event = AuditEvent.objects.get(case=case, kind="case.stage_changed")
    assert event.actor == f"user:{collector.pk}:{collector.username}"
    assert '"from":"new"' in event.payload and '"to":"early"' in event.payload


def test_the_reason_for_a_move_stays_in_the_stage_log_and_the_ledger_keeps_its_fingerprint(case, collector):
    case_transition(case=case, transition="start_reminders", by=collector, reason="Jane Roe asked for time")
    payload = json.loads(AuditEvent.objects.get(case=case, kind="case.stage_changed").payload)
    log = StateLog.objects.for_(case).get()
    assert "Jane Roe" not in json.dumps(payload)
    assert payload["state_log"] == log.pk
    assert payload["reason_sha256"] == hashlib.sha256(log.description.encode()).hexdigest()


def test_transition_is_logged_by_django_fsm_log(case, collector):
    case_transition(case=case, transition="start_reminders", by=collector, reason="first reminder due")
    log = StateLog.objects.for_(case).get()
    assert (log.source_state, log.state, log.by, log.description) == ("new", "early", collector, "first reminder due")


@pytest.mark.parametrize("kind", ["dispute", "cease", "bankruptcy", "deceased"])
def test_open_hold_blocks_final_notice(case, collector, kind):
    at_stage(case, Stage.ACTIVE)
    HoldFactory(case=case, kind=kind)
    with pytest.raises(TransitionRefused, match="forbids escalation"):
        case_transition(case=case, transition="issue_final_notice", by=collector, reason="90 dpd")
    assert Case.objects.get(pk=case.pk).stage == Stage.ACTIVE
    assert not AuditEvent.objects.filter(kind="case.stage_changed").exists()


@pytest.mark.parametrize("transition", ["place_with_agency", "refer_to_legal"])
def test_open_dispute_blocks_agency_and_legal(case, supervisor, transition):
    at_stage(case, Stage.FINAL_NOTICE, final_notice_at=now() - timedelta(days=60))
    HoldFactory(case=case, kind="dispute")
    with pytest.raises(TransitionRefused, match="forbids escalation"):
        case_transition(case=case, transition=transition, by=supervisor, reason="no response")


def test_debtor_wide_bankruptcy_hold_blocks_escalation_of_every_case(case, collector):
    at_stage(case, Stage.ACTIVE)
    HoldFactory(case=None, debtor=case.debtor, kind="bankruptcy")
    with pytest.raises(TransitionRefused):
        case_transition(case=case, transition="issue_final_notice", by=collector, reason="90 dpd")


def test_attorney_hold_does_not_block_escalation(case, collector):
    at_stage(case, Stage.ACTIVE)
    HoldFactory(case=case, kind="attorney")
    assert case_transition(case=case, transition="issue_final_notice", by=collector, reason="90 dpd").stage == Stage.FINAL_NOTICE


def test_closed_hold_no_longer_blocks(case, collector, supervisor):
    at_stage(case, Stage.ACTIVE)
    hold = hold_open(case=case, kind="dispute", by=collector, evidence="letter of 3 May")
    hold_close(hold=hold, by=supervisor, reason="verification sent 10 May")
    assert case_transition(case=case, transition="issue_final_notice", by=collector, reason="90 dpd").stage == Stage.FINAL_NOTICE
    kinds = list(AuditEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == ["hold.opened", "hold.closed", "case.stage_changed"]


def test_hold_reasons_stay_in_the_holds_row_and_the_ledger_keeps_their_fingerprints(case, collector, supervisor):
    hold = hold_open(case=case, kind="dispute", by=collector, evidence="letter from Jane Roe of 3 May")
    hold_close(hold=hold, by=supervisor, reason="Jane Roe's attorney withdrew the dispute")
    payloads = dict(AuditEvent.objects.filter(case=case).values_list("kind", "payload"))
    assert "Jane Roe" not in str(payloads)
    assert json.loads(payloads["hold.closed"])["reason_sha256"] == hashlib.sha256(
        "Jane Roe's attorney withdrew the dispute".encode()).hexdigest()


def test_legal_referral_only_after_final_notice_waiting_period(case, supervisor, settings):
    settings.DUNWELL_FINAL_NOTICE_WAIT_DAYS = 30
    at_stage(case, Stage.FINAL_NOTICE, final_notice_at=now() - timedelta(days=29))
    with pytest.raises(TransitionRefused, match="waiting period"):
        case_transition(case=case, transition="refer_to_legal", by=supervisor, reason="no response")


def test_legal_referral_allowed_once_waiting_period_is_over(case, supervisor, settings):
    settings.DUNWELL_FINAL_NOTICE_WAIT_DAYS = 30
    at_stage(case, Stage.FINAL_NOTICE, final_notice_at=now() - timedelta(days=31))
    assert case_transition(case=case, transition="refer_to_legal", by=supervisor, reason="no response").stage == Stage.LEGAL


def test_final_notice_records_when_it_was_issued(case, collector):
    at_stage(case, Stage.ACTIVE)
    moved = case_transition(case=case, transition="issue_final_notice", by=collector, reason="60 dpd")
    assert moved.final_notice_at is not None


@pytest.mark.parametrize("transition", ["place_with_agency", "refer_to_legal"])
def test_agency_and_legal_need_supervisor_permission(case, collector, transition):
    at_stage(case, Stage.FINAL_NOTICE, final_notice_at=now() - timedelta(days=60))
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition=transition, by=collector, reason="no response")
    assert Case.objects.get(pk=case.pk).stage == Stage.FINAL_NOTICE


def test_supervisor_places_case_with_agency(case, supervisor):
    at_stage(case, Stage.FINAL_NOTICE, final_notice_at=now())
    assert case_transition(case=case, transition="place_with_agency", by=supervisor, reason="no response").stage == Stage.AGENCY


def test_jobs_cannot_perform_supervisor_transitions(case):
    at_stage(case, Stage.FINAL_NOTICE, final_notice_at=now() - timedelta(days=60))
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition="refer_to_legal", job="advance_stages", reason="auto")


def test_write_off_needs_supervisor_permission(case, collector, supervisor):
    at_stage(case, Stage.ACTIVE)
    with pytest.raises(PermissionDenied):
        case_transition(case=case, transition="write_off", by=collector, reason="uneconomic")
    assert case_transition(case=case, transition="write_off", by=supervisor, reason="uneconomic").stage == Stage.WRITTEN_OFF
