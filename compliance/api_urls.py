"""The audit API (/api/v1/audit/…)."""

from django.urls import path

urlpatterns = []
