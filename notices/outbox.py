"""The outbox: claiming due notices and delivering each one exactly once, at a lawful moment.

`dispatch_notices` runs every minute. It claims planned notices that are due (SELECT … FOR
UPDATE SKIP LOCKED, so two dispatchers never claim the same row), asks the gate whether
each may go now, and:
- defers it to the gate's next allowed moment when time or frequency blocks (never sent
  early, never dropped);
- suppresses it, with the rule, when a hold or an opt-out blocks without end;
- otherwise leases it (status `sending`) and enqueues one delivery task.
A lease that expires (a worker died) is claimed again: delivery is idempotent.

`deliver` renders the notice, records the send through `gate.record` (the decision that
counts), hands it to its channel under the notice's idempotency key, and marks it sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.timezone import now as current_moment

from collections_app.models import ContactAttempt, Instalment, PromiseToPay
from compliance import gate, ledger

from . import channels
from .kinds import KINDS, get_kind
from .models import Notice
from .print_batch import letter_for
from .rendering import RenderedNotice, TemplateRejected, render_notice
from .context import notice_context

# A recorded decision older than this is taken again before a retried hand-over.
FRESH_DECISION = timedelta(minutes=2)
JOB = "dispatch_notices"


@dataclass
class DispatchReport:
    claimed: list[int] = field(default_factory=list)
    deferred: int = 0
    suppressed: int = 0
    reclaimed: int = 0


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTICES_LEASE_SECONDS)


def _purpose(notice: Notice) -> str:
    return KINDS[notice.kind].purpose if notice.kind in KINDS else "collection"


def _suppress(notice: Notice, rule_ids, *, reason: str) -> None:
    notice.status, notice.suppressed_by, notice.lease_until = Notice.Status.SUPPRESSED, list(rule_ids), None
    notice.save(update_fields=["status", "suppressed_by", "lease_until"])
    ledger.append(kind="notice.suppressed", actor=ledger.actor_label(job=JOB), case=notice.case_id, data={
        "notice": notice.pk, "key": notice.idempotency_key, "rules": list(rule_ids), "reason": reason,
    })


def _defer(notice: Notice, until: datetime) -> None:
    notice.status, notice.next_allowed_at, notice.lease_until = Notice.Status.PLANNED, until, None
    notice.save(update_fields=["status", "next_allowed_at", "lease_until"])


def dispatch_notices(*, now: datetime | None = None, batch_size: int = 500) -> DispatchReport:
    """Claim what may go now; defer or suppress the rest. Returns the claimed ids, whose
    delivery tasks the caller enqueues after commit."""
    moment = now or current_moment()
    report = DispatchReport()
    with transaction.atomic():
        # Leases of dead workers: deliver again under the same key.
        expired = list(
            Notice.objects.select_for_update(skip_locked=True)
            .filter(status=Notice.Status.SENDING, lease_until__lt=moment).order_by("pk")[:batch_size]
        )
        for notice in expired:
            notice.lease_until, notice.attempts = moment + _lease(), notice.attempts + 1
        Notice.objects.bulk_update(expired, ["lease_until", "attempts"])
        report.reclaimed = len(expired)
        report.claimed += [n.pk for n in expired]

        due = (
            Notice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case__debtor")
            .filter(status=Notice.Status.PLANNED, due_at__lte=moment)
            .filter(Q(next_allowed_at__isnull=True) | Q(next_allowed_at__lte=moment))
            .order_by("due_at", "pk")[:batch_size]
        )
        for notice in due:
            decision = gate.check(case=notice.case, channel=notice.channel, at=moment, purpose=_purpose(notice))
            if decision.allowed:
                notice.status, notice.lease_until = Notice.Status.SENDING, moment + _lease()
                notice.attempts += 1
                notice.save(update_fields=["status", "lease_until", "attempts"])
                report.claimed.append(notice.pk)
            elif decision.next_allowed_at is not None:
                _defer(notice, decision.next_allowed_at)
                report.deferred += 1
            else:
                _suppress(notice, decision.rule_ids, reason="blocked by the gate at dispatch")
                report.suppressed += 1
    return report


def _render(notice: Notice, moment: datetime) -> tuple[RenderedNotice, dict | None]:
    case = notice.case
    if notice.kind == "composed":
        # Checked word by word by the composer and again by gate.record below.
        return RenderedNotice(kind="composed", language=case.debtor.language, channel=notice.channel,
                              jurisdiction=case.jurisdiction, subject=notice.subject, text=notice.body,
                              plain_text=notice.body), None
    kind = get_kind(notice.kind)
    promise = instalment = None
    if kind.needs_promise:
        promise = PromiseToPay.objects.get(pk=int(notice.cycle.split(".")[0].removeprefix("promise").removeprefix("broken")))
    if kind.needs_instalment:
        instalment = Instalment.objects.get(pk=int(notice.cycle.split(".")[0].removeprefix("instalment")))
    language = case.debtor.language if case.debtor.language in kind.languages else kind.languages[0]
    context = notice_context(case, notice.kind, sent_on=moment.date(), promise=promise, instalment=instalment)
    return render_notice(notice.kind, context, language=language, channel=notice.channel), context


def _validation_notice_sent(notice: Notice, moment: datetime) -> None:
    # 1006.34(b)(5): the validation period runs from this sending; the gate and the
    # wording rules read it (US.DISPUTE, nothing may overshadow the consumer's rights).
    from collections_app.models import Case
    from compliance.packs.us import validation_period_end

    Case.objects.filter(pk=notice.case_id).update(
        validation_notice_sent_at=moment, validation_period_end=validation_period_end(moment.date()),
    )
    Case.objects.filter(pk=notice.case_id, initial_communication_at__isnull=True).update(initial_communication_at=moment)


def deliver(notice_id: int, *, now: datetime | None = None) -> str:
    """Deliver one leased notice. Safe to run twice: the status and the key make it once."""
    moment = now or current_moment()
    with transaction.atomic():
        notice = (
            Notice.objects.select_for_update(of=("self",)).select_related("case__debtor", "attempt")
            .filter(pk=notice_id).first()
        )
        if notice is None or notice.status != Notice.Status.SENDING:
            return "nothing to do"
        try:
            rendered, context = _render(notice, moment)
        except (TemplateRejected, ValueError) as refused:
            notice.status, notice.last_error, notice.lease_until = Notice.Status.FAILED, str(refused), None
            notice.save(update_fields=["status", "last_error", "lease_until"])
            ledger.append(kind="notice.failed", actor=ledger.actor_label(job=JOB), case=notice.case_id,
                          data={"notice": notice.pk, "key": notice.idempotency_key, "error": str(refused)[:500]})
            return "failed"
        destination = gate.default_destination(notice.case, notice.channel)
        decided: ContactAttempt | None = notice.attempt
        if decided is None or not decided.allowed or decided.at < moment - FRESH_DECISION:
            recorded = gate.record(
                case=notice.case, channel=notice.channel, outcome="sent", job=JOB, destination=destination,
                message=rendered.plain_text, purpose=_purpose(notice), at=moment,
            )
            if not recorded.decision.allowed:
                if recorded.decision.next_allowed_at is not None:
                    _defer(notice, recorded.decision.next_allowed_at)
                    return "deferred"
                _suppress(notice, recorded.decision.rule_ids, reason="blocked by the gate at delivery")
                return "suppressed"
            decided = recorded.attempt
            notice.attempt = decided
            notice.save(update_fields=["attempt"])
    # The hand-over happens outside the transaction (no lock is held while a provider
    # answers); the key makes a repeat after a crash harmless.
    delivery = channels.Delivery(
        key=notice.idempotency_key, destination=destination, rendered=rendered, decision=decided,
        letter=letter_for(rendered, idempotency_key=notice.idempotency_key, context=context)
        if notice.channel == "letter" else None,
    )
    if notice.channel == "letter":
        delivery_id = channels.send_letter(delivery, day=moment.date())
    elif notice.channel == "email":
        delivery_id = channels.send_email(delivery)
    else:
        delivery_id = channels.send_sms(delivery)
    with transaction.atomic():
        updated = Notice.objects.filter(pk=notice.pk, status=Notice.Status.SENDING).update(
            status=Notice.Status.SENT, sent_at=moment, delivery_id=delivery_id, lease_until=None,
        )
        if updated and notice.kind == "us_validation":
            _validation_notice_sent(notice, moment)
        if updated:
            ledger.append(kind="notice.sent", actor=ledger.actor_label(job=JOB), case=notice.case_id, data={
                "notice": notice.pk, "key": notice.idempotency_key, "kind": notice.kind, "channel": notice.channel,
                "attempt": decided.pk, "delivery": delivery_id,
            })
    return "sent"
