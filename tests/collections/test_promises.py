"""Promises kept or broken from the payments posted; broken plans return to active collection."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from collections_app.models import Case, Instalment, Payment, PaymentPlan, PromiseToPay, Stage
from collections_app.promises import check_promises
from compliance.models import AuditEvent
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def promise(case, amount="100.00", due=date(2026, 11, 20)):
    return PromiseToPay.objects.create(case=case, amount=Decimal(amount), currency="USD", due_date=due,
                                       created_at=datetime(2026, 11, 10, tzinfo=timezone.utc))


def pay(case, amount, on):
    return Payment.objects.create(loan=case.loan, external_ref=f"P-{case.pk}-{on}-{amount}", amount=Decimal(amount),
                                  currency="USD", received_on=on)


def test_promise_paid_in_full_by_its_date_is_kept(case):
    p = promise(case)
    pay(case, "100.00", date(2026, 11, 19))
    assert check_promises(today=TODAY).kept == 1
    p.refresh_from_db()
    assert p.status == "kept" and AuditEvent.objects.filter(kind="promise.kept").exists()


def test_payment_the_day_after_still_keeps_the_promise(case):
    p = promise(case)
    pay(case, "100.00", date(2026, 11, 21))
    check_promises(today=TODAY)
    p.refresh_from_db()
    assert p.status == "kept"


def test_promise_paid_short_is_broken(case):
    p = promise(case)
    pay(case, "60.00", date(2026, 11, 19))
    assert check_promises(today=TODAY).broken == 1
    p.refresh_from_db()
    assert p.status == "broken"


def test_promise_within_its_grace_day_stays_open(case):
    p = promise(case, due=date(2026, 11, 23))
    check_promises(today=TODAY)
    p.refresh_from_db()
    assert p.status == "open"


def test_unpaid_instalment_breaks_the_plan_and_returns_the_case_to_active(case):
    Case.objects.filter(pk=case.pk).update(stage=Stage.ARRANGEMENT)
    plan = PaymentPlan.objects.create(case=case, currency="USD")
    Instalment.objects.create(plan=plan, due_date=date(2026, 11, 15), amount=Decimal("50"), paid_amount=Decimal("0"))
    assert check_promises(today=TODAY).plans_broken == 1
    plan.refresh_from_db()
    assert plan.status == "broken" and Case.objects.get(pk=case.pk).stage == Stage.ACTIVE
    assert AuditEvent.objects.filter(kind="case.stage_changed", actor="job:check_promises").exists()


def test_paid_instalments_keep_the_plan(case):
    plan = PaymentPlan.objects.create(case=case, currency="USD")
    Instalment.objects.create(plan=plan, due_date=date(2026, 11, 15), amount=Decimal("50"), paid_amount=Decimal("50"))
    assert check_promises(today=TODAY).plans_broken == 0
