from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("dry-run/", views.dry_run, name="dry-run"),
]
