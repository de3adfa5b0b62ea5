"""Celery tasks of the case domain: they load, call one service and report."""

from celery import shared_task
from django.utils.timezone import now

from . import services


@shared_task(name="collections_app.advance_stages")
def advance_stages() -> dict:
    report = services.advance_stages(today=now().date())
    return {"moved": report.moved, "held": report.held}


@shared_task(name="collections_app.check_promises")
def check_promises() -> dict:
    from .promises import check_promises as check

    report = check(today=now().date())
    return {"kept": report.kept, "broken": report.broken, "plans_broken": report.plans_broken}


@shared_task(name="collections_app.import_portfolio_job")
def import_portfolio_job(job_id: int) -> dict:
    from .services_api import import_job_run

    job = import_job_run(job_id=job_id)
    return {"job": job.pk, "status": job.status}
