"""Celery tasks of the outbox. Each loads by id and calls one function; the database is
the schedule, the queue only triggers it (a lost message is found again by the next
dispatch, a duplicate finds the notice already sent)."""

import logging

from celery import shared_task
from django.utils.timezone import now

from . import channels, outbox, planner

logger = logging.getLogger(__name__)


@shared_task(name="notices.plan_notices")
def plan_notices() -> int:
    return planner.plan_notices(day=now().date()).planned


@shared_task(name="notices.dispatch_notices")
def dispatch_notices() -> dict:
    report = outbox.dispatch_notices()  # committed: the claims are in the database
    enqueued = 0
    for notice_id in report.claimed:
        try:
            deliver_notice.delay(notice_id)
        except Exception:  # the broker is down: the leases expire, the next dispatch retries
            logger.warning("broker unavailable: %d claimed notice(s) wait for their leases to expire",
                           len(report.claimed) - enqueued, exc_info=True)
            break
        enqueued += 1
    return {"claimed": len(report.claimed), "enqueued": enqueued, "deferred": report.deferred,
            "suppressed": report.suppressed}


@shared_task(
    name="notices.deliver_notice", acks_late=True, reject_on_worker_lost=True,
    autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=600, retry_jitter=True, max_retries=8,
)
def deliver_notice(notice_id: int) -> str:
    return outbox.deliver(notice_id)


@shared_task(name="notices.assemble_print_batch")
def assemble_print_batch() -> int:
    return channels.assemble_print_batch(now().date()).added
