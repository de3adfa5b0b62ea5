"""Celery tasks of the outbox. Each loads by id and calls one function; the database is
the schedule, the queue only triggers it (a lost message is found again by the next
dispatch, a duplicate finds the notice already sent)."""

from celery import shared_task
from django.db import transaction
from django.utils.timezone import now

from . import channels, outbox, planner


@shared_task(name="notices.plan_notices")
def plan_notices() -> int:
    return planner.plan_notices(day=now().date()).planned


@shared_task(name="notices.dispatch_notices")
def dispatch_notices() -> dict:
    report = outbox.dispatch_notices()
    # Enqueue only what committed; if the broker is down the leases expire and the next
    # dispatch claims them again.
    for notice_id in report.claimed:
        transaction.on_commit(lambda notice_id=notice_id: deliver_notice.delay(notice_id))
    return {"claimed": len(report.claimed), "deferred": report.deferred, "suppressed": report.suppressed}


@shared_task(
    name="notices.deliver_notice", acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=8,
)
def deliver_notice(notice_id: int) -> str:
    return outbox.deliver(notice_id)


@shared_task(name="notices.assemble_print_batch")
def assemble_print_batch() -> int:
    return channels.assemble_print_batch(now().date()).added
