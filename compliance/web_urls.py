"""Pages for compliance officers: the audit view."""

from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = []
