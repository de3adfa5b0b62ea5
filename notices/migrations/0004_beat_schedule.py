"""The reminder jobs' schedule, in django-celery-beat's tables (editable in the admin).

Times are UTC. The daily jobs run in order: stages first (a case entering final notice
gets its letter planned), then promises, then planning; dispatch runs every minute and
holds each notice until the moment is lawful where the debtor is.
"""

from django.db import migrations

DAILY = [
    # name, task, minute, hour
    ("Advance stages by days past due", "collections_app.advance_stages", "5", "0"),
    ("Settle promises and plans", "collections_app.check_promises", "15", "0"),
    ("Plan notices", "notices.plan_notices", "30", "0"),
    ("Sign the audit ledger's digest", "compliance.audit_digest", "55", "23"),
]
EVERY = [
    # name, task, seconds
    ("Dispatch due notices", "notices.dispatch_notices", 60),
    ("Assemble the print batch", "notices.assemble_print_batch", 300),
]


def create(apps, schema_editor):
    Crontab = apps.get_model("django_celery_beat", "CrontabSchedule")
    Interval = apps.get_model("django_celery_beat", "IntervalSchedule")
    Task = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in DAILY:
        crontab, _ = Crontab.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="UTC",
        )
        Task.objects.update_or_create(name=name, defaults={"task": task, "crontab": crontab, "enabled": True})
    for name, task, seconds in EVERY:
        interval, _ = Interval.objects.get_or_create(every=seconds, period="seconds")
        Task.objects.update_or_create(name=name, defaults={"task": task, "interval": interval, "enabled": True})


def remove(apps, schema_editor):
    names = [row[0] for row in DAILY + EVERY]
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0003_delivery"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(create, remove)]
