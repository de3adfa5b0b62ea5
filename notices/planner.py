"""Planning notices: set-based, one INSERT … SELECT … ON CONFLICT DO NOTHING per schedule.

A notice is identified by (case, kind, cycle), so rerunning a day — or running it twice at
once — plans nothing twice. Each planned notice is chained into the audit ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone as dt_timezone

from django.db import connection, transaction

from collections_app.models import Case, Hold, Instalment, Loan, PaymentPlan, PromiseToPay
from compliance import ledger

from .kinds import get_kind
from .models import Notice, NoticeSchedule

# Stages in which reminders are still sent; an agency or a lawyer writes its own letters.
REMINDER_STAGES = ("new", "early", "active", "final_notice", "arrangement")

T = {
    "notice": Notice._meta.db_table, "case": Case._meta.db_table, "loan": Loan._meta.db_table,
    "promise": PromiseToPay._meta.db_table, "plan": PaymentPlan._meta.db_table,
    "instalment": Instalment._meta.db_table, "hold": Hold._meta.db_table,
}


@dataclass(frozen=True)
class Candidates:
    """The FROM … WHERE part of a schedule's SELECT: which cases, and the cycle expression."""

    sql: str
    cycle: str
    params: tuple


def _candidates(schedule: NoticeSchedule, day: date) -> Candidates:
    Trigger = NoticeSchedule.Trigger
    stages = ", ".join(f"'{s}'" for s in REMINDER_STAGES)
    open_case = f"c.stage IN ({stages})"
    tag = f".{schedule.channel}"
    if schedule.trigger == Trigger.DAYS_PAST_DUE:
        cutoff = date.fromordinal(day.toordinal() - schedule.offset_days)
        return Candidates(
            f"FROM {T['case']} c JOIN {T['loan']} l ON l.id = c.loan_id WHERE {open_case} AND l.due_date <= %s",
            f"'dpd{schedule.offset_days}{tag}'", (cutoff,),
        )
    if schedule.trigger == Trigger.CASE_OPENED:
        return Candidates(f"FROM {T['case']} c WHERE {open_case}", f"'initial{tag}'", ())
    if schedule.trigger == Trigger.STAGE_ENTERED:
        return Candidates(f"FROM {T['case']} c WHERE c.stage = %s", f"'stage-{schedule.stage}{tag}'", (schedule.stage,))
    if schedule.trigger == Trigger.PROMISE_DUE:
        # offset_days <= 0: remind that many days before the promised date, up to the date.
        return Candidates(
            f"FROM {T['case']} c JOIN {T['promise']} p ON p.case_id = c.id"
            f" WHERE {open_case} AND p.status = 'open' AND p.due_date >= %s AND p.due_date <= %s",
            f"'promise' || p.id || '{tag}'", (day, date.fromordinal(day.toordinal() - schedule.offset_days)),
        )
    if schedule.trigger == Trigger.PROMISE_BROKEN:
        return Candidates(
            f"FROM {T['case']} c JOIN {T['promise']} p ON p.case_id = c.id WHERE {open_case} AND p.status = 'broken'",
            f"'broken' || p.id || '{tag}'", (),
        )
    if schedule.trigger == Trigger.INSTALMENT_DUE:
        return Candidates(
            f"FROM {T['case']} c JOIN {T['plan']} pl ON pl.case_id = c.id JOIN {T['instalment']} i ON i.plan_id = pl.id"
            f" WHERE {open_case} AND pl.status = 'active' AND i.paid_amount < i.amount"
            " AND i.due_date >= %s AND i.due_date <= %s",
            f"'instalment' || i.id || '{tag}'", (day, date.fromordinal(day.toordinal() - schedule.offset_days)),
        )
    if schedule.trigger == Trigger.CEASE_RECEIVED:
        # 1006.6(c)(1): after a cease request only the permitted notices, among them this one.
        return Candidates(
            f"FROM {T['case']} c JOIN {T['hold']} h ON h.debtor_id = c.debtor_id AND (h.case_id IS NULL OR h.case_id = c.id)"
            " WHERE h.kind = 'cease' AND h.closed_at IS NULL",
            f"'cease' || h.id || '{tag}'", (),
        )
    raise ValueError(f"unknown trigger {schedule.trigger!r}")


def _select(schedule: NoticeSchedule, day: date, due_at: datetime) -> tuple[str, list]:
    """The SELECT of the notices a schedule plans on `day` (insert-ready columns)."""
    found = _candidates(schedule, day)
    params: list = [schedule.pk, schedule.kind, schedule.channel, schedule.kind, due_at, due_at, *found.params]
    where_jurisdiction = ""
    if not get_kind(schedule.kind).first_communication:
        # 1006.18(e), 1006.34(a): in the US the first communication is the one that carries
        # the full disclosure (the validation notice); other notices wait until it went.
        where_jurisdiction += " AND (c.jurisdiction NOT LIKE 'US%%' OR c.initial_communication_at IS NOT NULL)"
    if schedule.jurisdiction:
        where_jurisdiction += " AND (c.jurisdiction = %s OR c.jurisdiction LIKE %s)"
        params += [schedule.jurisdiction, f"{schedule.jurisdiction}-%"]
    sql = (
        f"SELECT c.id AS case_id, %s AS schedule_id, %s AS kind, %s AS channel, {found.cycle} AS cycle,"
        f"  c.id || ':' || %s || ':' || {found.cycle} AS idempotency_key, 'planned' AS status, %s AS due_at,"
        "  0 AS attempts, %s AS planned_at, '' AS delivery_id, '' AS document, '[]' AS suppressed_by,"
        "  '' AS last_error, '' AS subject, '' AS body"
        f" {found.sql}{where_jurisdiction}"
    )
    return sql, params


INSERT_COLUMNS = (
    "case_id, schedule_id, kind, channel, cycle, idempotency_key, status, due_at, attempts, planned_at,"
    " delivery_id, document, suppressed_by, last_error, subject, body"
)


def _plan_schedule(schedule: NoticeSchedule, day: date, due_at: datetime) -> list[tuple[int, int, str, str]]:
    select, params = _select(schedule, day, due_at)
    sql = (
        f"INSERT INTO {T['notice']} ({INSERT_COLUMNS}) {select}"
        # SQLite needs the ON CONFLICT of an INSERT … SELECT to follow a WHERE (its parser).
        " ON CONFLICT DO NOTHING"
        " RETURNING id, case_id, idempotency_key, cycle"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def would_plan(*, day: date) -> list[tuple[int, NoticeSchedule, str]]:
    """(case id, schedule, idempotency key) of the notices `plan_notices(day)` would add."""
    due_at = datetime.combine(day, time.min, tzinfo=dt_timezone.utc)
    found = []
    with connection.cursor() as cursor:
        for schedule in NoticeSchedule.objects.filter(active=True).order_by("pk"):
            select, params = _select(schedule, day, due_at)
            cursor.execute(
                f"SELECT s.* FROM ({select}) s WHERE NOT EXISTS"
                f" (SELECT 1 FROM {T['notice']} n WHERE n.idempotency_key = s.idempotency_key)", params,
            )
            found += [(row[0], schedule, row[5]) for row in cursor.fetchall()]
    return found


@dataclass
class PlanReport:
    day: date
    planned: int = 0


def plan_notices(*, day: date, actor: str = "job:plan_notices") -> PlanReport:
    """Plan every notice due on `day`; audited in bulk. Idempotent per day and across days."""
    due_at = datetime.combine(day, time.min, tzinfo=dt_timezone.utc)
    report = PlanReport(day=day)
    with transaction.atomic():
        for schedule in NoticeSchedule.objects.filter(active=True).order_by("pk"):
            rows = _plan_schedule(schedule, day, due_at)
            if not rows:
                continue
            report.planned += len(rows)
            ledger.append_many(
                ledger.Draft(kind="notice.planned", actor=actor, case_id=case_id, data={
                    "notice": notice_id, "key": key, "kind": schedule.kind, "channel": schedule.channel,
                    "cycle": cycle, "day": day,
                })
                for notice_id, case_id, key, cycle in rows
            )
    return report
