"""Celery tasks of the case domain: they load, call one service and report."""

from celery import shared_task
from django.utils.timezone import now

from . import services


@shared_task(name="collections_app.advance_stages")
def advance_stages() -> dict:
    report = services.advance_stages(today=now().date())
    return {"moved": report.moved, "held": report.held}
