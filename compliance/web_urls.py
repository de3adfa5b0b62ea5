"""Pages for compliance officers: the audit view."""

from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("", views.explorer, name="audit"),
    path("events/<int:seq>/", views.event_detail, name="event"),
    path("attempts/<int:pk>/", views.attempt_event, name="attempt"),
    path("attempts/<int:pk>/replay/", views.attempt_replay, name="replay"),
    path("cases/<int:case_id>/holds/", views.open_hold, name="open-hold"),
    path("analytics/", views.analytics_page, name="analytics"),
    path("analytics/<slug:chart>.csv", views.analytics_csv, name="analytics-csv"),
    path("integrity/", views.integrity, name="integrity"),
    path("integrity/verify/", views.verify_start, name="verify-start"),
    path("integrity/verify/<str:run_id>/", views.verify_progress, name="verify-progress"),
    path("packs/", views.packs, name="packs"),
    path("retention/", views.retention_page, name="retention"),
    path("debtors/<int:debtor_id>/case-file/", views.case_file, name="case-file"),
    path("exports/period/", views.period_export, name="period-export"),
]
