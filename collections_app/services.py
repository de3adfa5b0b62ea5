"""Business acts on cases. Each one locks what it changes, checks permission and guards,
writes, and appends its audit event, all in one transaction."""

from __future__ import annotations

import hashlib

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import localdate, now
from django_fsm import can_proceed, has_transition_perm

from compliance import ledger

from .models import (
    ESCALATION_BLOCKING_HOLDS, Case, Hold, HoldKind, Stage,
    final_notice_waiting_period_over, no_escalation_blocking_hold,
)
from .selectors import stage_log_of

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
            # The reason is free text and may name people: it stays in the case's stage log
            # (which the retention purge can redact); the ledger names that entry and keeps
            # the reason's fingerprint.
            data={"from": source, "to": case.stage, "transition": transition,
                  "state_log": stage_log_of([case.pk]).values_list("pk", flat=True).latest("pk"),
                  "reason_sha256": fingerprint(reason)},
        )
    return case


def fingerprint(text: str) -> str:
    """What the ledger keeps of free text kept elsewhere: its SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
            # The evidence may name people and courts: it stays in the hold's row (which the
            # retention purge can redact); the ledger keeps its fingerprint.
            data={"hold": hold.pk, "kind": kind, "debtor_wide": debtor_wide,
                  "evidence_sha256": hashlib.sha256(evidence.encode("utf-8")).hexdigest()},
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
            # As for the evidence: the reason may name people; the row keeps it (and the
            # retention purge can redact it), the ledger its fingerprint.
            data={"hold": hold.pk, "kind": hold.kind, "reason_sha256": fingerprint(reason)},
        )
    return hold


# --- Acts of the collector's dashboard -------------------------------------------------------

from datetime import datetime, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from .models import (  # noqa: E402
    Agency, ContactAttempt, Instalment, PaymentPlan, PersonalDataReveal, Placement, PromiseToPay,
)

# Required statements the composer adds when a message lacks them
# (compliance.engine.required_content_missing names which): 1006.18(e) and 1006.6(e).
REQUIRED_TEXT = {
    ("initial_disclosure", "en"): "This is an attempt to collect a debt and any information obtained will be used for that purpose.",
    ("initial_disclosure", "zh-Hans"): "我们正在催收债务，获取的任何信息都将用于该目的。",
    ("later_disclosure", "en"): "This communication is from a debt collector.",
    ("later_disclosure", "zh-Hans"): "本信息来自债务催收机构。",
    ("opt_out", "en"): "Reply STOP to opt out.",
    ("opt_out", "zh-Hans"): "回复TD退订。",
}


def message_with_required_content(*, text: str, channel: str, language: str, first_communication: bool) -> str:
    """The message as it will be sent: the collector's words, then every required statement
    it lacks, in the debtor's language. The collector never has to remember them."""
    from compliance import engine

    language = language if language in ("en", "zh-Hans") else "en"
    missing = engine.required_content_missing(text, channel=channel, language=language,
                                              first_communication=first_communication)
    parts = [text.strip()] + [REQUIRED_TEXT[(item, language)] for item in missing]
    return ("" if language == "zh-Hans" else " ").join(p for p in parts if p)


def _actor(by) -> str:
    return ledger.actor_label(by)


# A promise to pay is a short-term commitment; longer ones are payment plans.
PROMISE_HORIZON = timedelta(days=366)
PLAN_HORIZON = timedelta(days=3653)


def promise_create(*, case: Case, amount: Decimal, due_date: date, by) -> PromiseToPay:
    """Record a promise to pay, kept or broken later from the payments posted."""
    if amount is None or amount <= 0:
        raise ValidationError({"amount": "a promise is for a positive amount"})
    if due_date < localdate():
        raise ValidationError({"due_date": "a promise cannot fall due in the past"})
    if due_date > localdate() + PROMISE_HORIZON:
        raise ValidationError({"due_date": "a promise must fall due within a year; agree a payment plan for longer"})
    with transaction.atomic():
        currency = case.loan.currency
        promise = PromiseToPay.objects.create(case=case, amount=amount, currency=currency, due_date=due_date,
                                              created_by=by)
        ledger.append(kind="promise.created", actor=_actor(by), case=case, data={
            "promise": promise.pk, "amount": promise.amount, "currency": currency, "due_date": due_date,
        })
    return promise


def payment_plan_create(*, case: Case, instalments: list[tuple[date, Decimal]], by, reason: str = "") -> PaymentPlan:
    """A payment plan with its instalments; the case moves to `arrangement` (audited twice:
    the plan, and the stage change through case_transition)."""
    if not instalments:
        raise ValidationError({"instalments": "a plan has at least one instalment"})
    if any(amount <= 0 for _, amount in instalments):
        raise ValidationError({"instalments": "every instalment is for a positive amount"})
    today = localdate()
    dues = sorted(due for due, _ in instalments)
    if dues[0] < today:
        raise ValidationError({"instalments": "an instalment cannot fall due in the past"})
    if dues[0] > today + PROMISE_HORIZON:
        raise ValidationError({"instalments": "the first instalment must fall due within a year"})
    if dues[-1] > today + PLAN_HORIZON:
        raise ValidationError({"instalments": "the last instalment must fall due within ten years"})
    with transaction.atomic():
        if PaymentPlan.objects.filter(case=case, status=PaymentPlan.Status.ACTIVE).exists():
            raise ValidationError({"plan": "this case already has an active payment plan"})
        plan = PaymentPlan.objects.create(case=case, currency=case.loan.currency, created_by=by)
        rows = Instalment.objects.bulk_create([
            Instalment(plan=plan, due_date=due, amount=amount) for due, amount in sorted(instalments)
        ])
        ledger.append(kind="payment_plan.created", actor=_actor(by), case=case, data={
            "plan": plan.pk, "currency": plan.currency,
            "instalments": [{"due_date": i.due_date, "amount": i.amount} for i in rows],
        })
        case_transition(case=case, transition="arrange", by=by,
                        reason=reason or f"Payment plan of {len(rows)} instalments agreed")
    return plan


def even_instalments(*, total: Decimal, count: int, first_due: date, every_days: int = 30) -> list[tuple[date, Decimal]]:
    """`count` instalments of equal amounts (the last takes the rounding) every `every_days` days."""
    share = (total / count).quantize(Decimal("0.01"))
    amounts = [share] * (count - 1) + [total - share * (count - 1)]
    return [(first_due + timedelta(days=every_days * n), amount) for n, amount in enumerate(amounts)]


def case_assign(*, case: Case, collector, by) -> Case:
    """Assign or reassign a case; only supervisors, and only to a collector of their team."""
    from .selectors import assignable_collectors

    if not by.has_perm("collections_app.assign_case"):
        raise PermissionDenied("assigning cases needs the permission collections_app.assign_case")
    if collector is not None and not assignable_collectors(user=by, case=case).filter(pk=collector.pk).exists():
        raise ValidationError({"collector": "the collector is not a member of your team (or of the case's team)"})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        previous = case.collector_id
        case.collector = collector
        case.save(update_fields=["collector"])
        ledger.append(kind="case.assigned", actor=_actor(by), case=case, data={
            "from": previous, "collector": collector.pk if collector else None, "team": case.team_id,
        })
    return case


def _contact_history(case: Case) -> list[dict]:
    """Every contact attempt of the case as plain data, for the agency's frequency caps."""
    return [
        {"at": a["at"].isoformat(), "channel": a["channel"], "destination": a["destination"],
         "outcome": a["outcome"], "allowed": a["allowed"], "rule_ids": a["rule_ids"], "citations": a["citations"],
         "with_consent": a["with_consent"], "initiated_by_consumer": a["initiated_by_consumer"],
         "source": a["source"]}
        for a in ContactAttempt.objects.filter(case=case).order_by("at").values(
            "at", "channel", "destination", "outcome", "allowed", "rule_ids", "citations", "with_consent",
            "initiated_by_consumer", "source",
        )
    ]


def agency_place(*, case: Case, agency: Agency, by, reason: str) -> Placement:
    """Place a case with an outside agency (supervisors): the stage moves to `agency` and the
    contact history goes with the placement, so the agency's caps count what was already
    done (1006.14(b))."""
    with transaction.atomic():
        case = case_transition(case=case, transition="place_with_agency", by=by, reason=reason)
        history = _contact_history(case)
        placement = Placement.objects.create(case=case, agency=agency, placed_by=by, contact_history=history)
        ledger.append(kind="placement.created", actor=_actor(by), case=case, data={
            "placement": placement.pk, "agency": agency.name, "contacts_handed_over": len(history),
        })
    return placement


def agency_recall(*, case: Case, by, reason: str) -> Placement:
    """Recall a placed case: the placement ends and the case returns to active collection."""
    if not by.has_perm("collections_app.place_with_agency"):
        raise PermissionDenied("recalling a placement needs the permission collections_app.place_with_agency")
    with transaction.atomic():
        placement = (
            Placement.objects.select_for_update().filter(case=case, recalled_at__isnull=True)
            .order_by("-placed_at").first()
        )
        if placement is None:
            raise ValidationError({"placement": "this case has no open placement"})
        placement.recalled_at, placement.recalled_by = now(), by
        placement.save(update_fields=["recalled_at", "recalled_by"])
        case_transition(case=case, transition="activate", by=by, reason=reason)
        ledger.append(kind="placement.recalled", actor=_actor(by), case=case, data={
            "placement": placement.pk, "agency_id": placement.agency_id,
        })
    return placement


PERSONAL_DATA_FIELDS = ("contact_points", "addresses")


def personal_data_reveal(*, case: Case, by, reason: str) -> None:
    """Show a debtor's contact details to a user: audited, with the reason given."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "say why you need to see the personal data"})
    with transaction.atomic():
        reveal = PersonalDataReveal.objects.create(case=case, revealed_by=by, reason=reason)
        ledger.append(kind="personal_data.revealed", actor=_actor(by), case=case, data={
            "debtor": case.debtor_id, "fields": list(PERSONAL_DATA_FIELDS), "reveal": reveal.pk,
            "reason_sha256": fingerprint(reason),
        })


COMPOSED_SUBJECT = {"en": "A message about your account", "zh-Hans": "关于您账户的信息"}


def composed_message_send(*, case: Case, channel: str, text: str, by):
    """Send a message written in the composer: the gate decides and records the attempt
    (blocked ones too); when allowed, the outbox receives it as a planned notice due now,
    for the dispatcher to deliver. Returns the gate's Recorded and the notice (or None)."""
    from compliance import gate
    from notices.models import Notice

    if channel not in ("sms", "email"):
        raise ValidationError({"channel": "the composer writes SMS and email"})
    if not text or not text.strip():
        raise ValidationError({"message": "the message is empty"})
    with transaction.atomic():
        recorded = gate.record(case=case, channel=channel, outcome="sent", by=by, message=text)
        if not recorded.decision.allowed:
            return recorded, None
        attempt_id = recorded.attempt.pk
        # The words the gate checked travel with the notice; the attempt is the decision
        # that lets it go (the dispatcher decides again only if it has gone stale).
        notice = Notice.objects.create(
            case=case, kind="composed", channel=channel, cycle=f"composed-{attempt_id}",
            idempotency_key=f"{case.pk}:composed:{attempt_id}", status=Notice.Status.PLANNED, due_at=now(),
            body=text, subject=COMPOSED_SUBJECT.get(case.debtor.language, COMPOSED_SUBJECT["en"]) if channel == "email" else "",
            attempt=recorded.attempt,
        )
        ledger.append(kind="notice.composed", actor=_actor(by), case=case, data={
            "notice": notice.pk, "attempt": attempt_id, "channel": channel,
        })
    return recorded, notice


def callback_schedule(*, case: Case, at, by) -> Case:
    """The debtor asked to be called back at `at` (None: the callback was made or dropped).
    The call itself still goes through the gate when it is made."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        previous, case.callback_at = case.callback_at, at
        case.save(update_fields=["callback_at"])
        ledger.append(kind="callback.requested" if at else "callback.cleared", actor=ledger.actor_label(by),
                      case=case, data={"at": at, "previous": previous})
    return case


# --- What the debtor told us about when and where to reach them ----------------------------------

import re  # noqa: E402

from .models import Debtor  # noqa: E402

# "21:00-09:00, 12:00-13:30": daily periods in the debtor's own time; a period may wrap midnight.
_PERIOD = re.compile(r"(\d{1,2}):(\d{2})\s*(?:-|–|—|~|to|至|到)\s*(\d{1,2}):(\d{2})")
_PERIOD_SEPARATORS = re.compile(r"[,;，；、\n]+")
MOST_PERIODS = 6


def inconvenient_times_parse(text: str) -> list[list[str]]:
    """The periods a debtor named inconvenient (1006.6(b)(1)), as the gate reads them:
    [["21:00", "09:00"], ...]. An empty text names none."""
    periods = []
    for part in (p.strip() for p in _PERIOD_SEPARATORS.split(text or "")):
        if not part:
            continue
        m = _PERIOD.fullmatch(part)
        if m is None:
            raise ValidationError({"inconvenient_times": f"{part!r} is not a period such as 21:00-09:00"})
        start_h, start_m, end_h, end_m = map(int, m.groups())
        if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
            raise ValidationError({"inconvenient_times": f"{part!r} is not a time of day (00:00 to 23:59)"})
        start, end = f"{start_h:02d}:{start_m:02d}", f"{end_h:02d}:{end_m:02d}"
        if start == end:
            raise ValidationError({"inconvenient_times": f"{part!r} starts and ends at the same time"})
        periods.append([start, end])
    if len(periods) > MOST_PERIODS:
        raise ValidationError({"inconvenient_times": f"at most {MOST_PERIODS} periods"})
    return periods


def inconvenient_times_text(periods) -> str:
    return ", ".join(f"{start}-{end}" for start, end in periods or ())


CIRCUMSTANCES = ("inconvenient_times", "not_at_work", "employer_prohibits_contact", "unreachable", "incapacitated",
                 "vulnerable")


def debtor_circumstances_update(*, debtor: Debtor, case: Case, by, **changes) -> Debtor:
    """Record what the debtor (or someone for them) told us, for every debt of theirs: times
    that are inconvenient (1006.6(b)(1)), not to be contacted at work (1006.6(b)(3); the
    moment they said it is kept, for Massachusetts' ten days), the employer forbids it, they
    cannot be reached or are incapacitated (China's third-party rule), they are vulnerable
    (CONC 7.9.12R). Only what changes is written, with its old and new value in the ledger."""
    unknown = sorted(set(changes) - set(CIRCUMSTANCES))
    if unknown:
        raise ValidationError({name: "not a circumstance the gate reads" for name in unknown})
    with transaction.atomic():
        # The gate locks this row to decide: a change waits for, or holds back, a decision.
        debtor = Debtor.objects.select_for_update().get(pk=debtor.pk)
        changed = {}
        if "inconvenient_times" in changes:
            periods = changes["inconvenient_times"]
            if not isinstance(periods, str):  # [["21:00", "09:00"], ...], checked as if typed
                periods = inconvenient_times_text(periods)
            periods = inconvenient_times_parse(periods)
            if periods != list(debtor.inconvenient_times or []):
                changed["inconvenient_times"] = [debtor.inconvenient_times or [], periods]
                debtor.inconvenient_times = periods
        if "not_at_work" in changes and bool(changes["not_at_work"]) != (debtor.not_at_work_since is not None):
            since = now() if changes["not_at_work"] else None
            changed["not_at_work_since"] = [debtor.not_at_work_since, since]
            debtor.not_at_work_since = since
        for name in ("employer_prohibits_contact", "unreachable", "incapacitated", "vulnerable"):
            if name in changes and bool(changes[name]) != getattr(debtor, name):
                changed[name] = [getattr(debtor, name), bool(changes[name])]
                setattr(debtor, name, bool(changes[name]))
        if changed:
            debtor.save(update_fields=list(changed))
            ledger.append(kind="debtor.circumstances_changed", actor=ledger.actor_label(by), case=case,
                          data={"debtor": debtor.pk, "changed": changed})
    return debtor


# --- Letters a collector sends from the case page ------------------------------------------------

# Kinds a collector may send by hand; the others are the system's own (the validation notice
# opens the validation period, promise and instalment letters follow their promise or plan,
# the cease confirmation follows a cease hold).
HAND_SENT_LETTERS = ("reminder", "final_notice", "cn_collection_letter", "gb_arrears_notice")


def letter_kinds(*, case: Case) -> list:
    """The letters a collector may send on this case (its jurisdiction, its debtor's language)."""
    from notices.kinds import KINDS, LETTER

    return [KINDS[code] for code in HAND_SENT_LETTERS
            if LETTER in KINDS[code].channels and KINDS[code].serves(case.jurisdiction)]


def letter_request(*, case: Case, kind: str, by):
    """Put a letter in the outbox, due now: the dispatcher decides again through the gate,
    renders it in the debtor's language and files it in the day's print batch, once.
    Refused at once when the gate would refuse it now, or when the same letter is already
    waiting to go (a second click sends nothing twice)."""
    import uuid

    from compliance import gate
    from notices.kinds import KINDS
    from notices.models import Notice

    if kind not in {k.code for k in letter_kinds(case=case)}:
        raise ValidationError({"kind": f"not a letter that can be sent on a {case.jurisdiction} case"})
    decision = gate.check(case=case, channel="letter", purpose=KINDS[kind].purpose)
    if not decision.allowed:
        # Nothing reaches the debtor, but the refusal is audited, as the dispatcher audits a
        # notice it suppresses (notice.suppressed).
        ledger.append(kind="notice.refused", actor=_actor(by), case=case, data={
            "kind": kind, "channel": "letter", "rules": list(decision.rule_ids),
            "citations": [r.citation for r in decision.reasons], "pack_version": decision.pack_version,
        })
        raise ValidationError({"kind": "the compliance gate refuses it now: " + "; ".join(
            f"{r.rule_id} ({r.citation})" for r in decision.reasons)})
    with transaction.atomic():
        Case.objects.select_for_update().get(pk=case.pk)  # two clicks at once: one letter
        if Notice.objects.filter(case=case, kind=kind, channel="letter",
                                 status__in=(Notice.Status.PLANNED, Notice.Status.SENDING)).exists():
            raise ValidationError({"kind": "this letter is already waiting to be sent"})
        cycle = f"by-hand-{uuid.uuid4().hex[:12]}"
        notice = Notice.objects.create(
            case=case, kind=kind, channel="letter", cycle=cycle, idempotency_key=f"{case.pk}:{kind}:{cycle}",
            status=Notice.Status.PLANNED, due_at=now(),
        )
        ledger.append(kind="notice.requested", actor=_actor(by), case=case, data={
            "notice": notice.pk, "key": notice.idempotency_key, "kind": kind, "channel": "letter",
        })
    return notice


# --- Steps the rules wait for -------------------------------------------------------------------

def forbearance_review_record(*, case: Case, by, note: str) -> Case:
    """CONC 7.3.4R: forbearance and due consideration before escalating (GB.FORBEARANCE holds
    back final notices and other escalation until this is recorded). What was considered is
    kept on the case (the retention purge redacts it); the ledger keeps its fingerprint."""
    if not note or not note.strip():
        raise ValidationError({"note": "say what was considered (payment plan, breathing space, hardship)"})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.forbearance_reviewed_at, case.forbearance_review_note = now(), note.strip()
        case.save(update_fields=["forbearance_reviewed_at", "forbearance_review_note"])
        ledger.append(kind="case.forbearance_reviewed", actor=ledger.actor_label(by), case=case,
                      data={"note_sha256": fingerprint(case.forbearance_review_note)})
    return case


def outsourcing_notice_record(*, case: Case, by, evidence: str) -> Case:
    """Consumer-protection measures Art. 41: the debtor is told before an outside agency
    collects (CN.OUTSOURCE holds back every contact on an agency's Chinese case until then).
    Recorded as of now, with how the debtor was told."""
    if not case.jurisdiction.startswith("CN") or case.collector_type != "third_party":
        raise ValidationError({"evidence": "only an outside agency's Chinese case needs the debtor told of the placement"})
    if not evidence or not evidence.strip():
        raise ValidationError({"evidence": "say how the debtor was told (the lender's letter, a text, a call)"})
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.outsourcing_notified_at, case.outsourcing_notice_evidence = now(), evidence.strip()
        case.save(update_fields=["outsourcing_notified_at", "outsourcing_notice_evidence"])
        ledger.append(kind="case.outsourcing_notified", actor=ledger.actor_label(by), case=case,
                      data={"evidence_sha256": fingerprint(case.outsourcing_notice_evidence)})
    return case
