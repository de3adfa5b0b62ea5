from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from collections_app import api as case_api
from collections_app import views as case_views
from compliance import api as gate_api

api_v1 = [
    path("cases/", case_api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:pk>/", case_api.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:pk>/transitions", case_api.CaseTransitionApi.as_view(), name="case-transition"),
    path("cases/<int:pk>/contact-check", gate_api.ContactCheckApi.as_view(), name="contact-check"),
    path("cases/<int:pk>/contacts", gate_api.ContactRecordApi.as_view(), name="contacts"),
    path("wording-check", gate_api.WordingCheckApi.as_view(), name="wording-check"),
]

urlpatterns = [
    path("", case_views.home, name="home"),
    path("", include("collections_app.web_urls")),
    path("audit/", include("compliance.web_urls")),
    path("notices/", include("notices.web_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/v1/audit/", include(("compliance.api_urls", "audit-api"), namespace="audit-api")),
]
