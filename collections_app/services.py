"""Business acts on cases. Each one locks what it changes, checks permission and guards,
writes, and appends its audit event, all in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import now
from django_fsm import can_proceed, has_transition_perm

from compliance import ledger

from .models import (
    ESCALATION_BLOCKING_HOLDS, Case, Hold, HoldKind, Stage,
    final_notice_waiting_period_over, no_escalation_blocking_hold,
)

# The transitions a service may perform, by the name a user or an API gives.
TRANSITIONS = (
    "start_reminders", "activate", "issue_final_notice", "arrange", "place_with_agency",
    "refer_to_legal", "resolve", "write_off", "close",
)

GUARD_EXPLANATIONS = {
    no_escalation_blocking_hold: "an open dispute, cease, bankruptcy or deceased hold forbids escalation past active collection",
    final_notice_waiting_period_over: "the final notice's waiting period has not ended",
}


class TransitionRefused(Exception):
    """A transition that the stage machine or one of its guards does not allow now."""


def case_transition(*, case: Case, transition: str, by=None, job: str | None = None, reason: str) -> Case:
    """Move a case along the stage machine on behalf of a user (`by`) or a job (`job`).

    Refuses, with the reason, when the move is not defined from the current stage, a
    guard fails, or the actor lacks the transition's permission (jobs hold none).
    """
    if transition not in TRANSITIONS:
        raise ValidationError({"transition": f"unknown transition {transition!r}"})
    if not reason or not reason.strip():
        raise ValidationError({"reason": "a reason is required for every stage change"})
    if (by is None) == (job is None):
        raise ValueError("a transition is performed by exactly one user or job")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        source = case.stage
        method = getattr(case, transition)
        meta = method._django_fsm.get_transition(source)
        if meta is None:
            raise TransitionRefused(f"{transition} is not possible from stage {source}")
        # Permission before guards: who may not act is told so, not the state of the case.
        if meta.permission and (by is None or not meta.has_perm(case, by)):
            raise PermissionDenied(f"{transition} needs the permission {meta.permission}")
        failed = [GUARD_EXPLANATIONS.get(c, c.__name__) for c in meta.conditions if not c(case)]
        if failed:
            raise TransitionRefused(f"{transition} refused: " + "; ".join(failed))
        method(by=by, description=reason)
        case.stage_changed_at = now()
        case.save()
        ledger.append(
            kind="case.stage_changed",
            actor=ledger.actor_label(by, job=job),
            case=case,
            data={"from": source, "to": case.stage, "transition": transition, "reason": reason},
        )
    return case


def allowed_transitions(*, case: Case, user) -> list[str]:
    """The transitions this user may perform on this case now (for buttons and APIs)."""
    return [name for name in TRANSITIONS if has_transition_perm(getattr(case, name), user)]


# Automatic moves by days past due (firm policy thresholds in settings).
AUTOMATIC_STEPS = (
    (Stage.NEW, "start_reminders", "early"),
    (Stage.EARLY, "activate", "active"),
    (Stage.ACTIVE, "issue_final_notice", "final_notice"),
)


@dataclass
class AdvanceReport:
    moved: int = 0
    held: int = 0


def advance_stages(*, today: date, batch_size: int = 500) -> AdvanceReport:
    """Move every open case as far as its days past due allow, audited with the job as actor.

    A case blocked by a hold from reaching final notice stays in active collection; it is
    counted as held so the job's report shows it.
    """
    thresholds = settings.DUNWELL_STAGE_DAYS_PAST_DUE
    report = AdvanceReport()
    for source, transition, threshold_key in AUTOMATIC_STEPS:
        cutoff = date.fromordinal(today.toordinal() - thresholds[threshold_key])
        while True:
            with transaction.atomic():
                batch = list(
                    Case.objects.select_for_update(skip_locked=True)
                    .filter(stage=source, loan__due_date__lte=cutoff)
                    .exclude(pk__in=_held_escalations() if transition == "issue_final_notice" else [])
                    .order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                drafts = []
                for case in batch:
                    getattr(case, transition)(description=f"{thresholds[threshold_key]}+ days past due")
                    case.stage_changed_at = now()
                    drafts.append(ledger.Draft(
                        kind="case.stage_changed", actor=ledger.actor_label(job="advance_stages"), case_id=case.pk,
                        data={"from": source, "to": case.stage, "transition": transition,
                              "reason": f"{thresholds[threshold_key]} or more days past due on {today.isoformat()}"},
                    ))
                Case.objects.bulk_update(batch, ["stage", "stage_changed_at", "final_notice_at"])
                ledger.append_many(drafts)
                report.moved += len(batch)
        if transition == "issue_final_notice":
            report.held = Case.objects.filter(stage=source, loan__due_date__lte=cutoff).count()
    return report


def _held_escalations():
    """Cases with an open hold that forbids escalation (case-level or debtor-wide)."""
    from django.db.models import Q

    holds = Hold.objects.filter(closed_at__isnull=True, kind__in=ESCALATION_BLOCKING_HOLDS)
    return Case.objects.filter(
        Q(pk__in=holds.filter(case__isnull=False).values("case_id"))
        | Q(debtor_id__in=holds.filter(case__isnull=True).values("debtor_id"))
    ).values("pk")


def hold_open(*, case: Case, kind: str, by, evidence: str, debtor_wide: bool = False) -> Hold:
    if kind not in HoldKind.values:
        raise ValidationError({"kind": f"unknown hold kind {kind!r}"})
    if not evidence or not evidence.strip():
        raise ValidationError({"evidence": "a hold needs its evidence (letter, call note, court notice)"})
    with transaction.atomic():
        hold = Hold.objects.create(
            debtor_id=case.debtor_id, case=None if debtor_wide else case, kind=kind,
            opened_by=by, evidence=evidence,
        )
        ledger.append(
            kind="hold.opened", actor=ledger.actor_label(by), case=case,
            data={"hold": hold.pk, "kind": kind, "debtor_wide": debtor_wide, "evidence": evidence},
        )
    return hold


def hold_close(*, hold: Hold, by, reason: str) -> Hold:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "closing a hold needs a reason"})
    with transaction.atomic():
        hold = Hold.objects.select_for_update().get(pk=hold.pk)
        if hold.closed_at is not None:
            raise ValidationError({"hold": "this hold is already closed"})
        hold.closed_at, hold.closed_by, hold.close_reason = now(), by, reason
        hold.save(update_fields=["closed_at", "closed_by", "close_reason"])
        ledger.append(
            kind="hold.closed", actor=ledger.actor_label(by), case=hold.case_id,
            data={"hold": hold.pk, "kind": hold.kind, "reason": reason},
        )
    return hold
