"""Pages for collectors and supervisors: the work queue and the case page."""

from django.urls import path

from . import views

app_name = "collections"
urlpatterns = []
