"""Promises to pay and plan instalments: kept or broken, decided from the payments posted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Sum

from compliance import ledger

from .models import Payment, PaymentPlan, PromiseToPay, Stage
from .services import case_transition

# A payment posted the day after the promised date still keeps the promise: lenders post
# overnight.
GRACE = timedelta(days=1)
JOB = "check_promises"


@dataclass
class PromiseReport:
    kept: int = 0
    broken: int = 0
    plans_broken: int = 0


def _paid(loan_id: int, since: date, until: date):
    total = Payment.objects.filter(loan_id=loan_id, received_on__gte=since, received_on__lte=until).aggregate(
        total=Sum("amount"))["total"]
    return total or 0


def check_promises(*, today: date) -> PromiseReport:
    """Settle every open promise whose date and grace day have passed; break every active
    plan with an instalment still unpaid after its date (the case returns to active)."""
    report = PromiseReport()
    actor = ledger.actor_label(job=JOB)
    settled_before = today - GRACE
    with transaction.atomic():
        drafts = []
        due = PromiseToPay.objects.select_for_update(skip_locked=True, of=("self",)).select_related("case").filter(
            status=PromiseToPay.Status.OPEN, due_date__lt=settled_before,
        )
        for promise in due:
            paid = _paid(promise.case.loan_id, promise.created_at.date(), promise.due_date + GRACE)
            kept = paid >= promise.amount
            promise.status = PromiseToPay.Status.KEPT if kept else PromiseToPay.Status.BROKEN
            promise.save(update_fields=["status"])
            report.kept += kept
            report.broken += not kept
            drafts.append(ledger.Draft(kind=f"promise.{promise.status}", actor=actor, case_id=promise.case_id, data={
                "promise": promise.pk, "amount": promise.amount, "currency": promise.currency,
                "due_date": promise.due_date, "paid": paid,
            }))
        if drafts:
            ledger.append_many(drafts)
    broken_plans = PaymentPlan.objects.select_related("case").filter(
        status=PaymentPlan.Status.ACTIVE,
        instalments__due_date__lt=settled_before, instalments__paid_amount__lt=F("instalments__amount"),
    ).distinct()
    for plan in broken_plans:
        with transaction.atomic():
            PaymentPlan.objects.filter(pk=plan.pk).update(status=PaymentPlan.Status.BROKEN)
            ledger.append(kind="payment_plan.broken", actor=actor, case=plan.case, data={"plan": plan.pk})
            if plan.case.stage == Stage.ARRANGEMENT:
                case_transition(case=plan.case, transition="activate", job=JOB,
                                reason=f"payment plan {plan.pk} broken: an instalment is unpaid")
        report.plans_broken += 1
    return report
