"""The work queue's facts on each case (migrations 0007_queue_facts, 0009_case_loan_balance) equal what they
summarise after every kind of write: the gate's raw INSERT, the contact import, the ORM,
the services, the nightly promise check."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db.models import F, Max, Min
from django.utils.timezone import now

from collections_app import services, services_api
from collections_app.importing import import_contacts
from collections_app.models import (
    Case, ContactAttempt, Instalment, Loan, Payment, PaymentPlan, PromiseToPay,
)
from collections_app.promises import check_promises
from collections_app.selectors import SPOKE_OUTCOMES, UNANSWERED_OUTCOMES
from compliance import gate
from tests.factories import CaseFactory, UserFactory
from tests.web.conftest import make_case

pytestmark = pytest.mark.django_db


def summarised(case: Case) -> dict:
    """The facts computed from the rows they summarise, through the ORM (not the triggers' SQL)."""
    attempts = ContactAttempt.objects.filter(case=case, allowed=True)
    return {
        "next_promise_due": PromiseToPay.objects.filter(case=case, status="open").aggregate(d=Min("due_date"))["d"],
        "has_broken_promise": PromiseToPay.objects.filter(case=case, status="broken").exists(),
        "next_instalment_due": Instalment.objects.filter(
            plan__case=case, plan__status="active", paid_amount__lt=F("amount")).aggregate(d=Min("due_date"))["d"],
        "last_payment_on": Payment.objects.filter(loan_id=case.loan_id).aggregate(d=Max("received_on"))["d"],
        "last_spoke_at": attempts.filter(outcome__in=SPOKE_OUTCOMES).aggregate(d=Max("at"))["d"],
        "last_unanswered_at": attempts.filter(outcome__in=UNANSWERED_OUTCOMES).aggregate(d=Max("at"))["d"],
        "loan_balance": Loan.objects.get(pk=case.loan_id).balance,
    }


def stored(case: Case) -> dict:
    return Case.objects.filter(pk=case.pk).values(*summarised(case)).get()


def assert_in_step(case: Case) -> dict:
    facts = stored(case)
    assert facts == summarised(case)
    return facts


@pytest.fixture
def case():
    return make_case(collector=UserFactory())


@pytest.fixture
def collector_user():
    return UserFactory()


def attempt(case, *, outcome, at, allowed=True, **kwargs):
    return ContactAttempt.objects.create(
        case=case, debtor=case.debtor, channel="call", destination="+12125550123", at=at, actor_label="import",
        outcome=outcome, allowed=allowed, source="imported", **kwargs,
    )


def test_a_new_case_starts_with_no_facts_and_its_loans_balance(case):
    assert assert_in_step(case) == {
        "next_promise_due": None, "has_broken_promise": False, "next_instalment_due": None, "last_payment_on": None,
        "last_spoke_at": None, "last_unanswered_at": None, "loan_balance": Loan.objects.get(pk=case.loan_id).balance,
    }


def test_an_attempt_recorded_by_the_gate_sets_the_last_conversation(case):
    recorded = gate.record(case=case, channel="sms", outcome="conversation", job="test",
                           at=now().replace(hour=15, minute=0) - timedelta(days=1))
    assert recorded.decision.allowed, recorded.decision.rule_ids
    assert assert_in_step(case)["last_spoke_at"] == recorded.attempt.at


def test_a_blocked_attempt_is_not_a_conversation(case):
    attempt(case, outcome="conversation", at=now() - timedelta(days=1), allowed=False)
    assert assert_in_step(case)["last_spoke_at"] is None


def test_an_older_attempt_does_not_move_the_last_conversation_back(case):
    newer = attempt(case, outcome="conversation", at=now() - timedelta(days=1))
    attempt(case, outcome="right_party_contact", at=now() - timedelta(days=9))
    assert assert_in_step(case)["last_spoke_at"] == newer.at


def test_unanswered_and_spoke_are_kept_apart(case):
    unanswered = attempt(case, outcome="voicemail", at=now() - timedelta(days=2))
    facts = assert_in_step(case)
    assert facts["last_unanswered_at"] == unanswered.at and facts["last_spoke_at"] is None


def test_changing_an_attempts_outcome_recomputes_both_moments(case):
    first = attempt(case, outcome="conversation", at=now() - timedelta(days=2))
    ContactAttempt.objects.filter(pk=first.pk).update(outcome="no_answer")
    facts = assert_in_step(case)
    assert facts["last_spoke_at"] is None and facts["last_unanswered_at"] == first.at


def test_deleting_the_last_conversation_falls_back_to_the_one_before(case):
    earlier = attempt(case, outcome="conversation", at=now() - timedelta(days=5))
    latest = attempt(case, outcome="conversation", at=now() - timedelta(days=1))
    ContactAttempt.objects.filter(pk=latest.pk).delete()
    assert assert_in_step(case)["last_spoke_at"] == earlier.at


def test_moving_an_attempt_to_another_case_updates_both_cases(case):
    other = make_case(collector=case.collector, phone="+12125550999")
    moved = attempt(case, outcome="conversation", at=now() - timedelta(days=1))
    ContactAttempt.objects.filter(pk=moved.pk).update(case=other, debtor=other.debtor)
    assert assert_in_step(case)["last_spoke_at"] is None
    assert assert_in_step(other)["last_spoke_at"] == moved.at


def test_imported_contact_history_sets_the_facts_in_bulk(tmp_path):
    one = CaseFactory(loan__loan_ref="L-1")
    two = CaseFactory(loan__loan_ref="L-2")
    path = tmp_path / "c.csv"
    path.write_text(
        "loan_ref,channel,at,outcome,destination\n"
        "L-1,call,2026-11-20T14:05:00-05:00,conversation,+12125550101\n"
        "L-1,call,2026-11-21T14:05:00-05:00,no_answer,+12125550101\n"
        "L-1,call,2026-11-18T14:05:00-05:00,conversation,+12125550101\n"
        "L-2,call,2026-11-19T10:00:00-05:00,busy,+12125550102\n",
        encoding="utf-8",
    )
    import_contacts(path)
    assert assert_in_step(one)["last_spoke_at"].isoformat() == "2026-11-20T19:05:00+00:00"
    assert assert_in_step(two)["last_unanswered_at"].isoformat() == "2026-11-19T15:00:00+00:00"


def test_a_promise_sets_the_next_promise_due(case, collector_user):
    services.promise_create(case=case, amount=Decimal("50"), due_date=date.today() + timedelta(days=3),
                            by=collector_user)
    services.promise_create(case=case, amount=Decimal("50"), due_date=date.today() + timedelta(days=1),
                            by=collector_user)
    assert assert_in_step(case)["next_promise_due"] == date.today() + timedelta(days=1)


def test_a_broken_promise_is_no_longer_due_and_marks_the_case(case):
    PromiseToPay.objects.create(case=case, amount=Decimal("100"), currency="USD",
                                due_date=date.today() - timedelta(days=10))
    check_promises(today=date.today())
    facts = assert_in_step(case)
    assert facts["has_broken_promise"] and facts["next_promise_due"] is None


def test_deleting_a_promise_clears_it(case):
    promise = PromiseToPay.objects.create(case=case, amount=Decimal("1"), currency="USD", due_date=date.today())
    promise.delete()
    assert assert_in_step(case)["next_promise_due"] is None


def test_a_payment_plan_sets_the_next_instalment_and_payments_move_it(case, collector_user):
    first, second = date.today() - timedelta(days=1), date.today() + timedelta(days=30)
    with time_machine.travel(first):  # agreed yesterday, the first instalment due that day
        services.payment_plan_create(case=case, instalments=[(first, Decimal("100")), (second, Decimal("100"))],
                                     by=collector_user, reason="test")
    assert assert_in_step(case)["next_instalment_due"] == first
    services_api.payment_post(loan=case.loan, external_ref="P-1", amount=Decimal("100"), currency=case.loan.currency,
                              received_on=date.today(), by=collector_user)
    facts = assert_in_step(case)
    assert facts["next_instalment_due"] == second and facts["last_payment_on"] == date.today()


def test_a_broken_plan_has_no_instalment_due(case, collector_user):
    due = date.today() - timedelta(days=10)
    with time_machine.travel(due):
        services.payment_plan_create(case=case, instalments=[(due, Decimal("100"))], by=collector_user, reason="test")
    check_promises(today=date.today())
    assert PaymentPlan.objects.get(case=case).status == PaymentPlan.Status.BROKEN
    assert assert_in_step(case)["next_instalment_due"] is None


def test_changing_an_instalments_date_moves_the_next_due(case, collector_user):
    services.payment_plan_create(case=case, instalments=[(date.today() + timedelta(days=5), Decimal("100"))],
                                 by=collector_user, reason="test")
    Instalment.objects.filter(plan__case=case).update(due_date=date.today() + timedelta(days=2))
    assert assert_in_step(case)["next_instalment_due"] == date.today() + timedelta(days=2)


def test_the_latest_payment_counts_whatever_the_order_of_posting(case):
    Payment.objects.create(loan=case.loan, external_ref="A", amount=Decimal("5"), currency="USD",
                           received_on=date.today() - timedelta(days=3))
    Payment.objects.create(loan=case.loan, external_ref="B", amount=Decimal("5"), currency="USD",
                           received_on=date.today() - timedelta(days=30))
    assert assert_in_step(case)["last_payment_on"] == date.today() - timedelta(days=3)
    Payment.objects.filter(external_ref="A").delete()
    assert assert_in_step(case)["last_payment_on"] == date.today() - timedelta(days=30)


def test_a_case_opened_after_its_loans_payments_starts_with_them():
    existing = CaseFactory()
    loan = Loan.objects.create(
        loan_ref="L-late", debtor=existing.debtor, currency="USD", principal=Decimal("10"), balance=Decimal("10"),
        due_date=date.today(), itemization_date=date.today(), itemization_amount=Decimal("10"),
    )
    Payment.objects.create(loan=loan, external_ref="EARLY", amount=Decimal("1"), currency="USD",
                           received_on=date.today() - timedelta(days=2))
    late = CaseFactory(loan=loan, debtor=existing.debtor)
    assert assert_in_step(late)["last_payment_on"] == date.today() - timedelta(days=2)


def test_saving_a_stale_case_keeps_the_facts_the_database_set(case):
    stale = Case.objects.get(pk=case.pk)
    attempt(case, outcome="conversation", at=now() - timedelta(hours=2))
    stale.callback_at = now() + timedelta(days=1)
    stale.save()
    facts = assert_in_step(case)
    assert facts["last_spoke_at"] is not None
    assert Case.objects.get(pk=case.pk).callback_at == stale.callback_at


# --- the copy of the loan's balance (0009) ----------------------------------------------------


def test_a_posted_payment_lowers_the_balance_the_queue_ranks_by(case, collector_user):
    before = Loan.objects.get(pk=case.loan_id).balance
    services_api.payment_post(loan=case.loan, external_ref="P-1", amount=Decimal("25.00"), currency=case.loan.currency,
                              received_on=date.today(), by=collector_user)
    assert assert_in_step(case)["loan_balance"] == before - Decimal("25.00")


def test_a_balance_changed_by_raw_sql_or_a_bulk_update_is_followed(case):
    Loan.objects.filter(pk=case.loan_id).update(balance=Decimal("777.77"))
    assert assert_in_step(case)["loan_balance"] == Decimal("777.77")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE collections_app_loan SET balance = 12.34 WHERE id = %s", [case.loan_id])
    assert assert_in_step(case)["loan_balance"] == Decimal("12.34")


def test_a_reimported_balance_is_followed(tmp_path):
    from tests.collections.test_portfolio_import import row, write_csv
    from collections_app.importing import import_portfolio

    import_portfolio(write_csv(tmp_path / "first.csv", [row(balance="500.00")]))
    case = Case.objects.get(loan__loan_ref="L-1")
    assert assert_in_step(case)["loan_balance"] == Decimal("500.00")
    import_portfolio(write_csv(tmp_path / "again.csv", [row(balance="321.00")]))
    assert assert_in_step(case)["loan_balance"] == Decimal("321.00")


def test_a_stale_case_saved_or_a_copy_written_by_hand_does_not_change_the_balance_ranked(case):
    stale = Case.objects.get(pk=case.pk)
    Loan.objects.filter(pk=case.loan_id).update(balance=Decimal("99.00"))
    stale.callback_at = now() + timedelta(days=1)
    stale.save()
    assert assert_in_step(case)["loan_balance"] == Decimal("99.00")
    Case.objects.filter(pk=case.pk).update(loan_balance=Decimal("1000000.00"))
    assert assert_in_step(case)["loan_balance"] == Decimal("99.00")
