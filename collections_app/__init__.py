"""Dunwell's case domain and the Django project's composition root."""

from .celery import app as celery_app

__all__ = ("celery_app",)
