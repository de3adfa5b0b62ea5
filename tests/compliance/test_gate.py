"""compliance.gate: check decides without writing; record writes every attempt and its event."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from collections_app.models import ContactAttempt
from compliance import gate, ledger
from compliance.models import AuditEvent
from tests.factories import CaseFactory, ContactPointFactory, HoldFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture
def new_york_case():
    case = CaseFactory(jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    ContactPointFactory(debtor=case.debtor, kind="address", value="1 Main St, New York, NY, 10001, US",
                        country="US", region="NY", postal_code="10001")
    return case


def at_local(hour, minute=0, day=24):
    return datetime(2026, 11, day, hour, minute, tzinfo=NEW_YORK)


def test_check_writes_nothing(new_york_case):
    decision = gate.check(case=new_york_case, channel="call", at=at_local(14))
    assert decision.allowed
    assert not ContactAttempt.objects.exists() and not AuditEvent.objects.exists()


def test_check_uses_the_primary_phone_when_no_destination_is_given(new_york_case):
    assert gate.default_destination(new_york_case, "call") == "+12125550101"


def test_call_at_2130_local_is_blocked_with_citation_and_next_allowed_moment(new_york_case):
    decision = gate.check(case=new_york_case, channel="call", at=at_local(21, 30))
    assert not decision.allowed
    assert "US.TIME" in decision.rule_ids
    assert any("1006.6(b)(1)(i)" in r.citation for r in decision.reasons)
    assert decision.next_allowed_at == at_local(8, 0, day=25)


def test_record_writes_the_allowed_attempt_and_its_audit_event(new_york_case, collector):
    recorded = gate.record(case=new_york_case, channel="call", outcome="no_answer", by=collector, at=at_local(14))
    attempt = ContactAttempt.objects.get()
    assert attempt.allowed and attempt.outcome == "no_answer" and attempt.actor == collector
    assert attempt.pack == "US" and attempt.pack_version
    event = AuditEvent.objects.get()
    assert event.kind == "contact.allowed" and f'"attempt":{attempt.pk}' in event.payload
    assert recorded.attempt == attempt


def test_blocked_attempt_is_recorded_too(new_york_case, collector):
    recorded = gate.record(case=new_york_case, channel="call", outcome="conversation", by=collector, at=at_local(22))
    attempt = recorded.attempt
    assert not attempt.allowed and attempt.outcome == "not_attempted"
    assert "US.TIME" in attempt.rule_ids and attempt.citations
    assert AuditEvent.objects.get().kind == "contact.blocked"


def test_ledger_payload_names_no_destination_or_message(new_york_case, collector):
    gate.record(case=new_york_case, channel="sms", outcome="sent", by=collector, at=at_local(14),
                message="Hello from a debt collector. Reply STOP to opt out.")
    payload = AuditEvent.objects.get().payload
    assert "+1212" not in payload and "Hello" not in payload


def test_dispute_hold_blocks_collection_calls(new_york_case, collector):
    HoldFactory(case=new_york_case, kind="dispute", opened_at=at_local(9))
    decision = gate.check(case=new_york_case, channel="call", at=at_local(14))
    assert not decision.allowed and "US.DISPUTE" in decision.rule_ids
    assert decision.next_allowed_at is None


def test_recorded_decision_keeps_the_request_for_replay(new_york_case, collector):
    recorded = gate.record(case=new_york_case, channel="call", outcome="no_answer", by=collector, at=at_local(14))
    stored = ContactAttempt.objects.get(pk=recorded.attempt.pk).decision
    assert stored["request"]["channel"] == "call" and stored["pack_versions"]


def test_history_counts_across_records_until_the_cap(new_york_case, collector):
    for minute in range(7):
        assert gate.record(case=new_york_case, channel="call", outcome="no_answer", by=collector,
                           at=at_local(10, minute * 5)).decision.allowed
    eighth = gate.record(case=new_york_case, channel="call", outcome="no_answer", by=collector, at=at_local(11))
    assert not eighth.decision.allowed and "US.CALLS.7IN7" in eighth.decision.rule_ids
    assert ledger.verify().ok


def test_imported_history_counts_against_the_cap(new_york_case, collector, tmp_path):
    from collections_app.importing import import_contacts

    path = tmp_path / "history.csv"
    path.write_text("loan_ref,channel,at,outcome,destination\n" + "".join(
        f"{new_york_case.loan.loan_ref},call,2026-11-{21 + d}T10:00:00-05:00,no_answer,+12125550101\n"
        for d in range(7)
    ))
    with time_machine.travel(at_local(12, 0, day=27)):
        import_contacts(path)
        decision = gate.check(case=new_york_case, channel="call")
    assert not decision.allowed and "US.CALLS.7IN7" in decision.rule_ids


def test_hold_opened_after_the_moment_does_not_block_it(new_york_case):
    HoldFactory(case=new_york_case, kind="dispute", opened_at=at_local(15))
    assert gate.check(case=new_york_case, channel="call", at=at_local(14)).allowed
