"""Business acts the public API adds: posting a lender's payment, recording a contact point,
a consent or an opt-out, and importing an uploaded portfolio as a job. Like
`collections_app.services`, each act validates, writes and appends its audit event in one
transaction."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.timezone import localdate, now

from compliance import ledger

from .importing import FieldError, ImportRejected, import_portfolio, parse_phone
from .models import (
    FIRST_YEAR, Case, ContactPoint, ContactPreference, Debtor, ImportJob, Instalment, Loan, Payment, PaymentPlan,
)

logger = logging.getLogger(__name__)


# --- Payments -----------------------------------------------------------------------------------

@dataclass
class Posted:
    payment: Payment
    created: bool


def payment_post(*, loan: Loan, external_ref: str, amount: Decimal, currency: str, received_on: date, by) -> Posted:
    """Post a payment the lender received. Idempotent by `external_ref`: the same payment
    posted again is answered with the first one; the same reference with other details is
    refused, since one of the two postings is wrong.

    The balance and `payments_since` (the itemisation's payments, 1006.34(c)(2)) move
    with it, and the oldest unpaid instalments of an active plan are paid first. Promises
    are settled by the nightly `check_promises` from the payments posted.
    """
    if amount <= 0:
        raise ValidationError({"amount": "a payment is for a positive amount"})
    if currency != loan.currency:
        raise ValidationError({"currency": f"loan {loan.loan_ref} is in {loan.currency}, not {currency}"})
    if received_on > localdate():
        raise ValidationError({"received_on": "a payment cannot be received in the future"})
    if received_on.year < FIRST_YEAR:
        raise ValidationError({"received_on": f"a payment received before {FIRST_YEAR} is a typo: check the year"})
    with transaction.atomic():
        loan = Loan.objects.select_for_update().get(pk=loan.pk)
        first = Payment.objects.filter(external_ref=external_ref).first()
        if first is not None:
            return Posted(_same_payment(first, loan, amount, currency, received_on), created=False)
        if amount > loan.balance:
            raise ValidationError({"amount": f"{amount} exceeds the balance of {loan.balance} {loan.currency}"})
        try:
            with transaction.atomic():
                payment = Payment.objects.create(loan=loan, external_ref=external_ref, amount=amount,
                                                 currency=currency, received_on=received_on)
        except IntegrityError:
            # Posted concurrently for another loan: answer as for a repeat.
            first = Payment.objects.get(external_ref=external_ref)
            return Posted(_same_payment(first, loan, amount, currency, received_on), created=False)
        loan.balance -= amount
        loan.payments_since += amount
        loan.updated_at = now()
        loan.save(update_fields=["balance", "payments_since", "updated_at"])
        paid_instalments = _pay_instalments(loan, amount)
        case = Case.objects.filter(loan=loan).first()
        ledger.append(kind="payment.posted", actor=ledger.actor_label(by), case=case, data={
            "payment": payment.pk, "loan_ref": loan.loan_ref, "external_ref": external_ref, "amount": amount,
            "currency": currency, "received_on": received_on, "balance": loan.balance,
            "instalments": paid_instalments,
        })
    return Posted(payment, created=True)


def _same_payment(first: Payment, loan: Loan, amount, currency, received_on) -> Payment:
    if (first.loan_id, first.amount, first.currency, first.received_on) != (loan.pk, amount, currency, received_on):
        raise ValidationError({"external_ref": f"already posted (payment {first.pk}) with other details"})
    return first


def _pay_instalments(loan: Loan, amount: Decimal) -> list[int]:
    """Fill the active plan's unpaid instalments, oldest first; complete the plan when all are paid."""
    plan = PaymentPlan.objects.filter(case__loan=loan, status=PaymentPlan.Status.ACTIVE).first()
    if plan is None:
        return []
    touched = []
    for instalment in Instalment.objects.select_for_update().filter(plan=plan).order_by("due_date", "pk"):
        if amount <= 0:
            break
        share = min(instalment.amount - instalment.paid_amount, amount)
        if share > 0:
            instalment.paid_amount += share
            instalment.save(update_fields=["paid_amount"])
            amount -= share
            touched.append(instalment.pk)
    if not plan.instalments.filter(paid_amount__lt=F("amount")).exists():
        PaymentPlan.objects.filter(pk=plan.pk).update(status=PaymentPlan.Status.COMPLETED)
    return touched


# --- Contact points, consents and opt-outs ------------------------------------------------------

def contact_point_add(*, debtor: Debtor, case: Case, kind: str, value: str, country: str = "",
                      is_workplace: bool = False, by) -> ContactPoint:
    """A new phone, email or address for a debtor, normalised as the import does (phones in
    E.164 with their line type, emails lower-cased)."""
    line = ""
    if kind == ContactPoint.Kind.PHONE:
        try:
            value, line = parse_phone(value, country or None)
        except FieldError as exc:
            raise ValidationError({"value": exc.reason}) from None
    elif kind == ContactPoint.Kind.EMAIL:
        value = value.strip().lower()
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({"value": "not an email address"}) from None
    else:
        value = " ".join(value.split())
    if not value:
        raise ValidationError({"value": "empty"})
    with transaction.atomic():
        if ContactPoint.objects.filter(debtor=debtor, kind=kind, value=value).exists():
            raise ValidationError({"value": "the debtor already has this contact point"})
        point = ContactPoint.objects.create(debtor=debtor, kind=kind, value=value, line=line,
                                            country=country, is_workplace=is_workplace)
        # The ledger names the point, not its value: the value is personal data.
        ledger.append(kind="contact_point.added", actor=ledger.actor_label(by), case=case, data={
            "debtor": debtor.pk, "contact_point": point.pk, "kind": kind, "is_workplace": is_workplace,
        })
    return point


def contact_preference_record(*, debtor: Debtor, case: Case, kind: str, channel: str = "", scope: str = "",
                              contact_point: ContactPoint | None = None, expires_at: datetime | None = None,
                              evidence: str, by) -> ContactPreference:
    """A consent or an opt-out as the debtor gave it. Opt-outs bind every debt of the
    debtor (1006.14(h)); a consent says what it covers (its scope)."""
    if contact_point is not None and contact_point.debtor_id != debtor.pk:
        raise ValidationError({"contact_point": "not a contact point of this debtor"})
    if kind == ContactPreference.Kind.CONSENT and not scope:
        raise ValidationError({"scope": "a consent says what it covers"})
    if kind == ContactPreference.Kind.OPT_OUT and scope:
        raise ValidationError({"scope": "an opt-out has no scope; it covers the channel"})
    if not evidence or not evidence.strip():
        raise ValidationError({"evidence": "say how the debtor expressed it (call note, letter, reply STOP)"})
    if expires_at is not None and expires_at <= now():
        raise ValidationError({"expires_at": "already in the past"})
    with transaction.atomic():
        preference = ContactPreference.objects.create(
            debtor=debtor, contact_point=contact_point, channel=channel, kind=kind, scope=scope,
            expires_at=expires_at, evidence=evidence,
        )
        ledger.append(kind=f"contact_preference.{kind}", actor=ledger.actor_label(by), case=case, data={
            "debtor": debtor.pk, "preference": preference.pk, "channel": channel, "scope": scope,
            "contact_point": contact_point.pk if contact_point else None, "expires_at": expires_at,
        })
    return preference


# --- Portfolio import as a job ------------------------------------------------------------------

IMPORT_SUFFIXES = (".csv", ".jsonl", ".ndjson")
PROGRESS_EVERY = 500  # rows between progress writes: a few per second on a large file


def import_job_create(*, upload, dry_run: bool, by) -> ImportJob:
    """Store the uploaded file under VAR_DIR/imports and queue its import after commit."""
    from .tasks import import_portfolio_job

    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name or "").suffix.lower()
    # The stored name is ours, never the client's: no path tricks, and the suffix tells
    # the importer CSV from JSON Lines.
    path = directory / f"{uuid.uuid4().hex}{suffix if suffix in IMPORT_SUFFIXES else '.csv'}"
    digest, lines = hashlib.sha256(), 0
    with path.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            lines += chunk.count(b"\n")
            out.write(chunk)
    header = 0 if path.suffix in (".jsonl", ".ndjson") else 1
    job = ImportJob.objects.create(
        created_by=by, file_path=str(path), file_name=(upload.name or "upload")[:200], file_sha256=digest.hexdigest(),
        dry_run=dry_run, rows_total=max(lines - header, 0),
    )
    ledger.append(kind="portfolio.upload_received", actor=ledger.actor_label(by), data={
        "job": job.pk, "file": job.file_name, "sha256": job.file_sha256, "dry_run": dry_run,
    })
    transaction.on_commit(lambda: import_portfolio_job.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> ImportJob:
    """Run a queued import once (a repeated task finds it no longer queued and does nothing)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("created_by").get(pk=job_id)
        if job.status != ImportJob.Status.QUEUED:
            return job
        job.status, job.started_at = ImportJob.Status.RUNNING, now()
        job.save(update_fields=["status", "started_at"])

    read = 0

    def progress(rows: int) -> None:
        nonlocal read
        read += rows
        if read % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(rows_read=read)

    try:
        report = import_portfolio(Path(job.file_path), dry_run=job.dry_run, actor=ledger.actor_label(job.created_by),
                                  progress=progress)
    except ImportRejected as rejected:
        job.status = ImportJob.Status.REJECTED
        job.report = {"written": False, "errors": [asdict(e) for e in rejected.errors]}
    except Exception as exc:  # the job must end in a state the client can read, whatever happened
        logger.exception("import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.report = {"written": False, "detail": f"{type(exc).__name__}: {exc}"}
    else:
        job.status = ImportJob.Status.DONE
        job.report = {"written": not report.dry_run, **{k: v for k, v in asdict(report).items() if k != "errors"}}
    job.rows_read, job.finished_at = read, now()
    job.save(update_fields=["status", "report", "rows_read", "finished_at"])
    return job
