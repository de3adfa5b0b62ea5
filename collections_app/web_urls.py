"""Pages for collectors and supervisors: the work queue and the case page."""

from django.urls import path

from . import views

app_name = "collections"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("settings/time-zone", views.time_zone_choose, name="time-zone"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/transition", views.case_transition, name="transition"),
    path("cases/<int:pk>/reveal", views.case_reveal, name="reveal"),
    path("cases/<int:pk>/contacts", views.contact_log, name="contact-log"),
    path("cases/<int:pk>/third-party-contacts", views.third_party_contact, name="third-party-contact"),
    path("cases/<int:pk>/inbound-contacts", views.inbound_log, name="inbound-log"),
    path("cases/<int:pk>/compose", views.compose, name="compose"),
    path("cases/<int:pk>/letters", views.letter_request, name="letter-request"),
    path("cases/<int:pk>/promises", views.promise_create, name="promise-create"),
    path("cases/<int:pk>/plans", views.plan_create, name="plan-create"),
    path("cases/<int:pk>/preferences", views.preference_record, name="preference-record"),
    path("cases/<int:pk>/circumstances", views.circumstances_update, name="circumstances"),
    path("cases/<int:pk>/forbearance-review", views.forbearance_review, name="forbearance-review"),
    path("cases/<int:pk>/outsourcing-notice", views.outsourcing_notice, name="outsourcing-notice"),
    path("cases/<int:pk>/holds", views.hold_open, name="hold-open"),
    path("cases/<int:pk>/holds/<int:hold_pk>/close", views.hold_close, name="hold-close"),
    path("cases/<int:pk>/assign", views.case_assign, name="assign"),
    path("cases/<int:pk>/place", views.agency_place, name="place"),
    path("cases/<int:pk>/recall", views.agency_recall, name="recall"),
]
