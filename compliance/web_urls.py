"""Pages for compliance officers: the audit view. They write times in UTC, the ledger's own
time, whatever zone the officer chose for the other pages."""

from django.urls import path

from collections_app.display_zone import in_utc

from . import views


def page(route, view, name):
    return path(route, in_utc(view), name=name)


app_name = "compliance"
urlpatterns = [
    page("", views.explorer, "audit"),
    page("events/<int:seq>/", views.event_detail, "event"),
    page("attempts/<int:pk>/", views.attempt_event, "attempt"),
    page("attempts/<int:pk>/replay/", views.attempt_replay, "replay"),
    page("cases/<int:case_id>/holds/", views.open_hold, "open-hold"),
    page("analytics/", views.analytics_page, "analytics"),
    page("analytics/<slug:chart>.csv", views.analytics_csv, "analytics-csv"),
    page("integrity/", views.integrity, "integrity"),
    page("integrity/verify/", views.verify_start, "verify-start"),
    page("integrity/verify/<str:run_id>/", views.verify_progress, "verify-progress"),
    page("packs/", views.packs, "packs"),
    page("retention/", views.retention_page, "retention"),
    page("debtors/<int:debtor_id>/case-file/", views.case_file, "case-file"),
    page("exports/period/", views.period_export, "period-export"),
]
