"""Retention: which records have reached the end of their retention, and the purge that
redacts their personal data while the audit chain still verifies.

When a case's records may go (RULES.md):
* US packs — US.RETENTION (12 CFR 1006.100(a)): keep until 3 years after the last
  collection activity on the debt; call recordings (1006.100(b)) 3 years from the call.
  Dunwell stores no call recordings, so only the first clock applies today.
* CN — CN.RECORDING (credit-card measures Art. 68, S): keep at least 2 years. The 5-year
  period of GB/T 45251 is unverified (CN.RECORDING.5Y, U): it applies only if the
  installation's policy enables that rule.
* GB — RULES.md states no retention period: nothing is purged.

Scope of the purge (deliberately narrow, so nothing a live case or an open matter needs
is lost):
* only cases in a final stage (resolved, written off, closed), with no open hold, whose
  retention end (last collection activity + the pack's years) has passed;
* on those cases' contact attempts: destination, message and note are blanked; in the
  stored decision the request snapshot keeps its structure but loses every personal value
  (destinations, message, phone numbers, e-mail addresses, postcodes, addressee) and the
  wording findings lose their quoted text; ``decision["redaction"]`` records when and by
  which audit event. Rule ids, citations, pack versions, outcome and times stay: they are
  the compliance record, not personal data;
* holds of those cases: evidence and close reason are blanked, and so are the reasons
  typed for their stage moves (kept in the stage log) and for showing their personal data
  (PersonalDataReveal); the ledger holds only their fingerprints;
* a debtor is redacted (name, contact points, consent evidence) only when every one of
  their cases is retained out;
* loans, payments, promises, notices and the ledger are not touched. AuditEvent rows are
  never written (the table refuses it anyway); ledger payloads reference attempts by id and
  hold no destination or message, so the chain verifies unchanged. The purge itself is an
  audit event (``retention.purged``) naming the ids it redacted.

A redacted attempt's ``decision_sha256`` in the ledger no longer matches its stored
decision: the redaction marker and its audit event explain why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext

from collections_app.models import (
    Case, ContactAttempt, ContactPoint, ContactPreference, Debtor, Hold, Payment, PersonalDataReveal, Stage,
)
from collections_app.selectors import stage_log_of

from . import engine, ledger
from .models import AuditEvent
from .packs import cn as cn_pack
from .packs import us as us_pack

FINAL_STAGES = (Stage.RESOLVED, Stage.WRITTEN_OFF, Stage.CLOSED)
REDACTED = "[redacted]"
# Keys of the request snapshot whose values identify or reach a person.
PERSONAL_REQUEST_KEYS = {"destination", "message", "addressee", "number", "address", "postal_code", "sender_name"}


def retention_rule(jurisdiction: str, registry: engine.PackRegistry | None = None) -> tuple[str, int] | None:
    """(rule id, years) that sets when a case's records may go; None: keep (no rule)."""
    registry = registry or engine.DEFAULT
    country = jurisdiction.split("-")[0]
    if country == "US":
        return "US.RETENTION", 3
    if country == "CN":
        five = next((r for v in registry.packs["CN"].versions for r in v.rules if r.id == "CN.RECORDING.5Y"), None)
        if five is not None and registry.is_enabled(five):
            return "CN.RECORDING.5Y", 5
        return "CN.RECORDING", 2
    return None


def retention_end(jurisdiction: str, last_activity: date, registry: engine.PackRegistry | None = None) -> date | None:
    found = retention_rule(jurisdiction, registry)
    if found is None:
        return None
    rule_id, years = found
    if rule_id == "US.RETENTION":
        return us_pack.retention_until(last_activity)
    return cn_pack.retention_until(last_activity, years)


@dataclass(frozen=True)
class DueCase:
    case_id: int
    debtor_id: int
    loan_ref: str
    jurisdiction: str
    stage: str
    last_activity: date
    rule_id: str | None
    retention_end: date | None
    due: bool                      # retention ended and the case may be purged
    why_kept: str = ""


def last_activity_by_case(case_ids: list[int]) -> dict[int, datetime]:
    """The last collection activity on each debt: the latest of its ledger events, contact
    attempts, payments and stage changes."""
    latest: dict[int, datetime] = {}

    def keep(rows):
        for case_id, moment in rows:
            if moment is not None and (case_id not in latest or moment > latest[case_id]):
                latest[case_id] = moment

    keep(AuditEvent.objects.filter(case_id__in=case_ids).exclude(kind__in=["audit.exported", "retention.purged"])
         .values("case_id").annotate(m=Max("at")).values_list("case_id", "m"))
    keep(ContactAttempt.objects.filter(case_id__in=case_ids).values("case_id").annotate(m=Max("at")).values_list("case_id", "m"))
    keep(Payment.objects.filter(loan__case__in=case_ids).values("loan__case").annotate(m=Max("posted_at")).values_list("loan__case", "m"))
    keep(Case.objects.filter(pk__in=case_ids).values_list("pk", "stage_changed_at"))
    return latest


def retention_report(*, today: date | None = None, registry: engine.PackRegistry | None = None,
                     only_due: bool = False) -> list[DueCase]:
    """Every case in a final stage with its retention end; ``due`` when it may be purged now."""
    today = today or timezone.localdate()
    cases = list(Case.objects.filter(stage__in=FINAL_STAGES).select_related("loan").order_by("pk"))
    ids = [c.pk for c in cases]
    latest = last_activity_by_case(ids)
    held = set(Hold.objects.filter(closed_at__isnull=True).filter(Q(case_id__in=ids) | Q(case__isnull=True))
               .values_list("case_id", "debtor_id"))
    held_cases = {c for c, _ in held if c}
    held_debtors = {d for c, d in held if c is None}
    redacted = _redacted_cases(ids)
    out = []
    for case in cases:
        last = timezone.localtime(latest.get(case.pk, case.opened_at)).date()
        rule = retention_rule(case.jurisdiction, registry)
        end = retention_end(case.jurisdiction, last, registry)
        why = ""
        if end is None:
            why = gettext("no retention rule for this jurisdiction: kept")
        elif end > today:
            why = gettext("retained until %(date)s") % {"date": end.isoformat()}
        elif case.pk in held_cases or case.debtor_id in held_debtors:
            why = gettext("an open hold keeps it")
        elif case.pk in redacted:
            why = gettext("already purged")
        row = DueCase(case.pk, case.debtor_id, case.loan.loan_ref, case.jurisdiction, case.stage, last,
                      rule[0] if rule else None, end, due=not why, why_kept=why)
        if row.due or not only_due:
            out.append(row)
    return out


def _redacted_cases(case_ids: list[int]) -> set[int]:
    """Cases an earlier purge already redacted (named by its ``retention.purged`` event)."""
    import json

    wanted, done = set(case_ids), set()
    for payload in AuditEvent.objects.filter(kind="retention.purged").values_list("payload", flat=True):
        done.update(c for c in json.loads(payload).get("cases", []) if c in wanted)
    return done


def _scrub(value, key: str | None = None):
    """A copy of a snapshot with every personal value replaced, structure kept."""
    if isinstance(value, dict):
        return {k: _scrub(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, key) for v in value]
    if key in PERSONAL_REQUEST_KEYS and value not in (None, ""):
        return REDACTED
    return value


def redact_decision(decision: dict, *, at: datetime, audit_seq: int) -> dict:
    out = dict(decision or {})
    if "request" in out:
        out["request"] = _scrub(out["request"])
    out["findings"] = [{**f, "text": REDACTED} if isinstance(f, dict) and "text" in f else f
                       for f in out.get("findings", [])]
    out["redaction"] = {"at": ledger.format_moment(at), "audit_seq": audit_seq,
                        "fields": ["destination", "message", "note", "request personal values", "finding texts"]}
    return out


@dataclass
class PurgeReport:
    dry_run: bool
    cases: list[int] = field(default_factory=list)
    debtors: list[int] = field(default_factory=list)
    attempts: int = 0
    holds: int = 0
    contact_points: int = 0
    audit_seq: int | None = None


def purge(*, actor: str, today: date | None = None, dry_run: bool = False,
          registry: engine.PackRegistry | None = None) -> PurgeReport:
    """Redact the personal data of every case whose retention has ended (see the module
    docstring for the scope). One transaction; audited; idempotent (a rerun finds nothing)."""
    due = [row for row in retention_report(today=today, registry=registry) if row.due]
    case_ids = [row.case_id for row in due]
    report = PurgeReport(dry_run=dry_run, cases=case_ids)
    if not case_ids:
        return report
    due_set = set(case_ids)
    candidate_debtors = {row.debtor_id for row in due}
    other_cases = set(Case.objects.filter(debtor_id__in=candidate_debtors).exclude(pk__in=case_ids)
                      .values_list("debtor_id", flat=True))
    debtors = sorted(d for d in candidate_debtors if d not in other_cases)
    report.debtors = debtors
    attempts = ContactAttempt.objects.filter(case_id__in=due_set).exclude(decision__has_key="redaction")
    report.attempts = attempts.count()
    report.holds = Hold.objects.filter(case_id__in=due_set).count()
    report.contact_points = ContactPoint.objects.filter(debtor_id__in=debtors).count()
    if dry_run:
        return report
    moment = timezone.now()
    with transaction.atomic():
        # The purge is audited first, so each redaction can name its event. The payload
        # holds ids and counts only.
        event = ledger.append(kind="retention.purged", actor=actor, at=moment, data={
            "cases": case_ids, "debtors": debtors, "attempts": report.attempts, "holds": report.holds,
            "contact_points": report.contact_points,
            "rules": sorted({row.rule_id for row in due if row.rule_id}),
        })
        report.audit_seq = event.seq
        changed = []
        for attempt in attempts.select_for_update():
            attempt.destination, attempt.message, attempt.note = "", "", ""
            attempt.decision = redact_decision(attempt.decision, at=moment, audit_seq=event.seq)
            changed.append(attempt)
        ContactAttempt.objects.bulk_update(changed, ["destination", "message", "note", "decision"], batch_size=500)
        Hold.objects.filter(case_id__in=due_set).update(evidence=REDACTED, close_reason="")
        Case.objects.filter(pk__in=due_set).update(forbearance_review_note="", outsourcing_notice_evidence="")
        # Reasons typed for stage moves and personal-data reveals; the ledger keeps only
        # their fingerprints.
        stage_log_of(due_set).update(description=REDACTED)
        PersonalDataReveal.objects.filter(case_id__in=due_set).update(reason=REDACTED)
        if debtors:
            Debtor.objects.filter(pk__in=debtors).update(
                full_name=REDACTED, timezone="", inconvenient_times=[], not_at_work_since=None,
            )
            for point in ContactPoint.objects.filter(debtor_id__in=debtors).select_for_update():
                # Unique per debtor and kind: the id keeps redacted values distinct.
                point.value = f"{REDACTED} {point.pk}"
                point.line1 = point.city = point.postal_code = ""
                point.save(update_fields=["value", "line1", "city", "postal_code"])
            ContactPreference.objects.filter(debtor_id__in=debtors).update(evidence="")
            Hold.objects.filter(debtor_id__in=debtors).update(evidence=REDACTED, close_reason="")
    return report


def upcoming(*, within_days: int = 90, today: date | None = None) -> list[DueCase]:
    """Final-stage cases whose retention ends within ``within_days`` (for the officer's page)."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=within_days)
    return [r for r in retention_report(today=today) if r.retention_end and today < r.retention_end <= horizon]
