"""The audit API (/api/v1/audit/…): compliance officers (and superusers) only."""

from django.urls import path

from . import views

urlpatterns = [
    path("events", views.EventListApi.as_view(), name="events"),
    path("verify", views.VerifyApi.as_view(), name="verify"),
    path("attempts/<int:pk>/replay", views.ReplayApi.as_view(), name="replay"),
    path("exports/period", views.PeriodExportApi.as_view(), name="export-period"),
    path("exports/case-file/<int:debtor_id>", views.CaseFileApi.as_view(), name="export-case-file"),
]
