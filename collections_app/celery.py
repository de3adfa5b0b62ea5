"""The Celery application. Tasks are declared with @shared_task in each app's tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")

app = Celery("dunwell")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
