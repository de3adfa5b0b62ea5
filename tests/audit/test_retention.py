"""Retention (US.RETENTION, CN.RECORDING): which cases have reached the end of their
retention, and a purge that redacts personal data while the ledger still verifies."""

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from collections_app.models import Case, ContactAttempt, ContactPoint, Debtor, Hold, PersonalDataReveal
from collections_app.selectors import stage_log_of
from collections_app.services import case_transition, personal_data_reveal
from compliance import ledger, retention
from compliance.models import AuditEvent
from tests.audit.conftest import NY_MOBILE, cn_case, new_york, record, shanghai, us_case
from tests.factories import CaseFactory, HoldFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def close(case, when):
    # The stage field is protected: tests set the final stage directly, as history.
    Case.objects.filter(pk=case.pk).update(stage="closed", stage_changed_at=when, opened_at=when)


@pytest.fixture
def old_us_case():
    case = us_case()
    record(case, at=new_york(2023, 3, 1, 14), message="Please call us back about your account.", note="spoke to spouse")
    close(case, new_york(2023, 3, 2, 9))
    return case


def test_us_records_are_kept_three_years_after_the_last_collection_activity(old_us_case):
    (row,) = retention.retention_report(today=date(2026, 3, 1))
    assert row.rule_id == "US.RETENTION" and row.last_activity == date(2023, 3, 2)
    assert row.retention_end == date(2026, 3, 2) and not row.due
    (row,) = retention.retention_report(today=date(2026, 3, 2))
    assert row.due


def test_cn_records_are_kept_at_least_two_years_unless_policy_enables_five(db):
    case = cn_case()
    record(case, at=shanghai(2025, 3, 10, 12))
    close(case, shanghai(2025, 3, 10, 13))
    (row,) = retention.retention_report(today=TODAY)
    assert row.rule_id == "CN.RECORDING" and row.retention_end == date(2027, 3, 10) and not row.due
    from compliance.engine import DEFAULT

    five = DEFAULT.with_policy(enabled=frozenset({"CN.RECORDING.5Y"}))
    (row,) = retention.retention_report(today=TODAY, registry=five)
    assert row.rule_id == "CN.RECORDING.5Y" and row.retention_end == date(2030, 3, 10)


def test_gb_cases_open_cases_and_held_cases_are_kept(db, old_us_case):
    gb = CaseFactory(jurisdiction="GB")
    close(gb, new_york(2020, 1, 1, 9))
    open_case = us_case()
    Case.objects.filter(pk=open_case.pk).update(stage_changed_at=new_york(2020, 1, 1, 9))
    report = {r.case_id: r for r in retention.retention_report(today=TODAY)}
    assert open_case.pk not in report                      # not in a final stage
    assert not report[gb.pk].due and "no retention rule" in report[gb.pk].why_kept
    assert report[old_us_case.pk].due
    HoldFactory(case=old_us_case, kind="complaint")
    report = {r.case_id: r for r in retention.retention_report(today=TODAY)}
    assert not report[old_us_case.pk].due and "hold" in report[old_us_case.pk].why_kept


def test_dry_run_changes_nothing(old_us_case):
    before = list(ContactAttempt.objects.values())
    report = retention.purge(actor="job:test", today=TODAY, dry_run=True)
    assert report.cases == [old_us_case.pk] and report.attempts == 1
    assert list(ContactAttempt.objects.values()) == before
    assert not AuditEvent.objects.filter(kind="retention.purged").exists()


def test_purge_redacts_personal_data_and_the_chain_still_verifies(old_us_case):
    Case.objects.filter(pk=old_us_case.pk).update(forbearance_review_note="Mrs Doe lost her job",
                                                  outsourcing_notice_evidence="Letter to 1 Main St")
    events_before = list(AuditEvent.objects.values_list("seq", "hash"))
    rules_before = ContactAttempt.objects.get().rule_ids
    report = retention.purge(actor="job:test", today=TODAY)
    assert report.cases == [old_us_case.pk] and report.debtors == [old_us_case.debtor_id]
    attempt = ContactAttempt.objects.get()
    assert (attempt.destination, attempt.message, attempt.note) == ("", "", "")
    snapshot = attempt.decision["request"]
    assert NY_MOBILE not in str(attempt.decision) and "Please call" not in str(attempt.decision)
    assert snapshot["channel"] == "call" and attempt.rule_ids == rules_before and attempt.pack_version
    assert attempt.decision["redaction"]["audit_seq"] == report.audit_seq
    debtor = Debtor.objects.get(pk=old_us_case.debtor_id)
    assert debtor.full_name == retention.REDACTED
    assert all(p.value.startswith(retention.REDACTED) for p in ContactPoint.objects.filter(debtor=debtor))
    case = Case.objects.get(pk=old_us_case.pk)
    assert (case.forbearance_review_note, case.outsourcing_notice_evidence) == ("", "")
    # The ledger was not touched, only appended to; it verifies from genesis.
    assert list(AuditEvent.objects.filter(seq__lte=events_before[-1][0]).values_list("seq", "hash")) == events_before
    assert AuditEvent.objects.get(seq=report.audit_seq).kind == "retention.purged"
    assert ledger.verify().ok


def test_purge_is_idempotent(old_us_case):
    retention.purge(actor="job:test", today=TODAY)
    again = retention.purge(actor="job:test", today=TODAY)
    assert again.cases == [] and AuditEvent.objects.filter(kind="retention.purged").count() == 1


def test_a_debtor_with_a_case_still_retained_keeps_their_name(old_us_case):
    recent = CaseFactory(debtor=old_us_case.debtor, loan__debtor=old_us_case.debtor)
    report = retention.purge(actor="job:test", today=TODAY)
    assert report.cases == [old_us_case.pk] and report.debtors == []
    assert Debtor.objects.get(pk=old_us_case.debtor_id).full_name != retention.REDACTED
    assert recent.pk not in report.cases


def test_purge_retention_command_dry_run_then_purge(old_us_case):
    out = StringIO()
    call_command("purge_retention", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    assert "would redact: 1 cases, 1 attempts" in out.getvalue()
    assert ContactAttempt.objects.get().destination == NY_MOBILE
    out = StringIO()
    call_command("purge_retention", "--today", TODAY.isoformat(), stdout=out)
    assert "redacted: 1 cases" in out.getvalue()
    assert AuditEvent.objects.get(kind="retention.purged").actor == "job:purge_retention"
    assert ledger.verify().ok


def test_the_explorer_marks_a_redacted_decision(officer_client, old_us_case):
    report = retention.purge(actor="job:test", today=TODAY)
    event = AuditEvent.objects.get(kind__startswith="contact.")
    response = officer_client.get(f"/audit/events/{event.seq}/")
    assert f"redacted under retention (event #{report.audit_seq})" in response.content.decode()
    replayed = officer_client.get(f"/audit/attempts/{ContactAttempt.objects.get().pk}/replay/")
    assert "cannot be replayed" in replayed.content.decode()


def test_retention_page_lists_due_cases(officer_client, old_us_case):
    response = officer_client.get("/audit/retention/")
    assert response.status_code == 200 and [r.case_id for r in response.context["due"]] == [old_us_case.pk]


def test_purge_redacts_the_reasons_typed_for_stage_moves_and_reveals_and_the_chain_still_verifies(db):
    case = us_case()
    with time_machine.travel(new_york(2023, 2, 1, 10)):
        case_transition(case=case, transition="start_reminders", job="test", reason="Jane Roe's son said she is ill")
        personal_data_reveal(case=case, by=UserFactory(role="collector"), reason="calling Jane Roe's son back")
    record(case, at=new_york(2023, 3, 1, 14))
    close(case, new_york(2023, 3, 2, 9))
    retention.purge(actor="job:test", today=TODAY)
    (log,) = stage_log_of([case.pk])
    assert log.description == retention.REDACTED
    assert PersonalDataReveal.objects.get(case=case).reason == retention.REDACTED
    assert "Jane Roe" not in str(list(AuditEvent.objects.values_list("payload", flat=True)))
    assert ledger.verify().ok
