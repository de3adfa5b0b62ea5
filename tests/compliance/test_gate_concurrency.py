"""Fifty collectors clicking at once on one debtor: exactly the cap passes, all fifty are recorded."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from collections_app.models import ContactAttempt
from compliance import gate, ledger
from tests.factories import CaseFactory, ContactPointFactory, UserFactory

# serialized_rollback: the flush after a transactional test must not take the roles (a data migration) with it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_fifty_simultaneous_records_allow_exactly_the_seven_in_seven_cap():
    case = CaseFactory(jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    collector = UserFactory(role="collector")
    callers, barrier, failures = 50, threading.Barrier(50), []

    def call():
        try:
            barrier.wait()
            gate.record(case=case, channel="call", outcome="no_answer", by=collector)
        except Exception as exc:  # surfaced below
            failures.append(exc)
        finally:
            connections.close_all()

    # 14:00 in New York, clock ticking: each record takes its own moment.
    with time_machine.travel(datetime(2026, 11, 24, 14, 0, tzinfo=ZoneInfo("America/New_York")), tick=True):
        threads = [threading.Thread(target=call) for _ in range(callers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert failures == []
    attempts = ContactAttempt.objects.filter(case=case)
    assert attempts.count() == callers
    assert attempts.filter(allowed=True).count() == 7  # 1006.14(b)(2)(i)
    assert all("US.CALLS.7IN7" in a.rule_ids for a in attempts.filter(allowed=False))
    assert ledger.verify().ok and ledger.verify().events == callers
