"""What gate.record reads with its locks — the facts (in one statement on PostgreSQL), the
window of history around its moment, the default destination — and how its statements
reach the server (prepared from their second run on a connection)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import DataError, transaction

from collections_app.models import ContactAttempt, ContactPreference
from compliance import facts, gate
from compliance.sql import Prepared, run
from tests.factories import CaseFactory, ContactPointFactory, HoldFactory, LoanFactory

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
NOON = datetime(2026, 11, 24, 12, tzinfo=NEW_YORK)


def attempt(case, at, channel="call", outcome="no_answer", **kw):
    return ContactAttempt.objects.create(
        case=case, debtor=case.debtor, channel=channel, destination=kw.pop("destination", "+12125550101"), at=at,
        actor_label="import", outcome=outcome, allowed=kw.pop("allowed", True), source="imported", **kw,
    )


@pytest.fixture
def busy_case():
    """A debtor with something in every table the facts are read from."""
    case = CaseFactory(jurisdiction="US")
    debtor = case.debtor
    debtor.timezone, debtor.inconvenient_times = "America/New_York", [["12:00", "13:30"]]
    debtor.employer_prohibits_contact, debtor.not_at_work_since = True, NOON - timedelta(days=3)
    debtor.language = "zh-Hans"
    debtor.save()
    mobile = ContactPointFactory(
        debtor=debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True,
        consumer_used_at=NOON - timedelta(days=2), reassigned_check_at=NOON - timedelta(days=9),
    )
    ContactPointFactory(debtor=debtor, kind="phone", value="+12125550199", line="landline", is_workplace=True)
    email = ContactPointFactory(debtor=debtor, kind="email", value="d@example.com", consumer_used_at=NOON,
                                creditor_notice_sent_at=NOON - timedelta(days=40), creditor_notice_opt_out_days=35)
    ContactPointFactory(debtor=debtor, kind="address", value="1 Main St", country="US", region="NY",
                        postal_code="10001", at_residence=True)
    ContactPreference.objects.create(debtor=debtor, contact_point=mobile, kind="consent", channel="sms",
                                     scope="electronic", recorded_at=NOON - timedelta(days=5))
    ContactPreference.objects.create(debtor=debtor, contact_point=email, kind="opt_out", channel="email",
                                     recorded_at=NOON - timedelta(days=1))
    ContactPreference.objects.create(debtor=debtor, kind="consent", scope="calls", recorded_at=NOON - timedelta(days=8),
                                     expires_at=NOON - timedelta(days=1))
    HoldFactory(case=case, kind="dispute", opened_at=NOON - timedelta(days=4), closed_at=NOON - timedelta(days=2))
    other_debt = CaseFactory(loan=LoanFactory(debtor=debtor), jurisdiction="US")
    HoldFactory(case=other_debt, kind="attorney", opened_at=NOON - timedelta(days=6))  # another debt's: not read
    for days, kw in ((1, {}), (2, {"outcome": "conversation"}), (3, {"initiated_by_consumer": True}),
                     (40, {}), (-1, {})):  # 40 days ago and tomorrow: outside the window
        attempt(case, NOON - timedelta(days=days), **kw)
    attempt(other_debt, NOON - timedelta(hours=5), channel="third_party", destination="neighbour")
    # Third parties reached long ago (1006.10(c) counts them however long ago), one just
    # before the window; one refused by the gate, which reached nobody.
    attempt(case, NOON - timedelta(days=200), channel="third_party", destination="brother", outcome="refused")
    attempt(other_debt, NOON - timedelta(days=45), channel="third_party", destination="cousin")
    attempt(case, NOON - timedelta(days=90), channel="third_party", destination="landlord", allowed=False)
    return case


def test_one_statement_reads_the_same_facts_as_the_plain_queries(busy_case):
    window = {"since": NOON - facts.LOOKBACK, "until": NOON}
    one = facts.from_rows(busy_case, NOON, run([facts.one_statement_query(busy_case, **window)]))
    plain = facts.from_rows(busy_case, NOON, run(facts.plain_queries(busy_case, **window)))
    assert one.facts == plain.facts and one.language == plain.language == "zh-Hans"


def test_third_parties_reached_before_the_window_are_read_however_the_facts_are_read(busy_case):
    window = {"since": NOON - facts.LOOKBACK, "until": NOON}
    for read in (
        facts.load(busy_case, at=NOON),
        facts.from_rows(busy_case, NOON, run(facts.plain_queries(busy_case, **window))),
        facts.from_rows(busy_case, NOON, run(facts.queries(busy_case, since=NOON - timedelta(days=50)))),
        facts.from_rows(busy_case, NOON, run(facts.plain_queries(busy_case, since=NOON - timedelta(days=50)))),
    ):
        assert read.facts.third_parties_contacted == ("brother", "cousin", "neighbour")
        assert read.facts.third_parties_refused == ("brother",)


def test_facts_keep_only_the_window_of_the_moment_when_read_without_an_end(busy_case):
    # How record reads: from before its moment, with no end, before it takes the moment.
    read = facts.from_rows(busy_case, NOON, run(facts.queries(busy_case, since=NOON - timedelta(days=50))))
    assert read.facts == facts.load(busy_case, at=NOON).facts
    assert sorted(a.moment for a in read.facts.prior_attempts) == [
        NOON - timedelta(days=2), NOON - timedelta(days=1), NOON - timedelta(hours=5)]


def test_record_without_a_moment_counts_the_calls_before_it(collector):
    case = CaseFactory(jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    for hours in range(7):
        attempt(case, NOON - timedelta(days=1, hours=hours))
    with time_machine.travel(NOON):
        recorded = gate.record(case=case, channel="call", outcome="no_answer", by=collector)
    assert "US.CALLS.7IN7" in recorded.decision.rule_ids


def test_record_without_a_moment_does_not_count_calls_dated_after_it(collector):
    case = CaseFactory(jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    for hours in range(7):
        attempt(case, NOON + timedelta(hours=1 + hours))
    with time_machine.travel(NOON):
        recorded = gate.record(case=case, channel="call", outcome="no_answer", by=collector)
    assert recorded.decision.allowed


def test_record_reaches_the_primary_point_of_the_channel_by_default(collector):
    case = CaseFactory(jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550150", line="mobile")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile", is_primary=True)
    recorded = gate.record(case=case, channel="call", outcome="no_answer", by=collector, at=NOON)
    assert recorded.attempt.destination == gate.default_destination(case, "call") == "+12125550101"


def test_record_reaches_the_first_point_of_the_channel_when_none_is_primary(collector):
    case = CaseFactory(jurisdiction="US")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550150", line="mobile")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+12125550101", line="mobile")
    recorded = gate.record(case=case, channel="call", outcome="no_answer", by=collector, at=NOON)
    assert recorded.attempt.destination == gate.default_destination(case, "call") == "+12125550150"


def test_check_decides_on_the_same_facts_as_record(busy_case, collector):
    checked = gate.check(case=busy_case, channel="call", at=NOON)
    recorded = gate.record(case=busy_case, channel="call", outcome="no_answer", by=collector, at=NOON)
    assert recorded.decision == checked


def test_prepared_statement_numbers_its_placeholders():
    statement = Prepared("dunwell_test", "SELECT %s, '100%%', %s")
    assert statement.prepare_sql == "PREPARE dunwell_test AS SELECT $1, '100%%', $2"
    assert statement.execute_sql == "EXECUTE dunwell_test(%s, %s)"


def test_prepared_statement_gives_the_same_answers_before_and_after_it_is_prepared():
    statement = Prepared("dunwell_test_add", "SELECT %s::int + %s::int, '100%%'")
    first, second, third = (run([(statement, [n, 1])]) for n in (1, 2, 3))
    assert (first, second, third) == ([[(2, "100%")]], [[(3, "100%")]], [[(4, "100%")]])
    assert run([("SELECT count(*) FROM pg_prepared_statements WHERE name = 'dunwell_test_add'", [])]) == [[(1,)]]


def test_prepared_statement_without_parameters_keeps_a_literal_percent():
    statement = Prepared("dunwell_test_percent", "SELECT '100%%'")
    assert [run([(statement, [])]) for _ in range(3)] == [[[("100%",)]]] * 3


def test_a_statement_whose_preparing_batch_failed_still_runs():
    statement = Prepared("dunwell_test_unsure", "SELECT %s::int")
    run([(statement, [1])])
    with pytest.raises(DataError), transaction.atomic():
        run([(statement, [2]), ("SELECT 1 / 0", [])])  # sends the PREPARE, which outlives the failure
    assert run([(statement, [3])]) == [[(3,)]]


def test_prepared_statements_can_be_switched_off_for_a_transaction_pooler(settings):
    settings.DUNWELL_PREPARED_STATEMENTS = False
    statement = Prepared("dunwell_test_off", "SELECT %s::int * 2")
    for _ in range(3):
        assert run([(statement, [21])]) == [[(42,)]]
    assert run([("SELECT count(*) FROM pg_prepared_statements WHERE name = 'dunwell_test_off'", [])]) == [[(0,)]]


def test_a_primary_work_number_is_not_taken_as_personal():
    # US-MA counts personal numbers over 7 days and the others over 30: a work number in
    # the 7-day bucket would let more calls through.
    case = CaseFactory(jurisdiction="US-MA")
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+16175550100", line="landline", is_primary=True,
                        is_workplace=True)
    ContactPointFactory(debtor=case.debtor, kind="phone", value="+16175550101", line="landline", is_primary=True)
    phones = {p.number: p.personal for p in facts.load(case, at=NOON).facts.phones}
    assert phones == {"+16175550100": False, "+16175550101": True}
