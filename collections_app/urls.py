from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from collections_app import api as case_api
from collections_app import api_records as records_api
from collections_app import api_schema  # noqa: F401  (registers the audit API's OpenAPI descriptions)
from collections_app import views as case_views
from compliance import api as gate_api

api_v1 = [
    path("cases/", case_api.CaseListApi.as_view(), name="case-list"),
    path("cases/<int:pk>/", case_api.CaseDetailApi.as_view(), name="case-detail"),
    path("cases/<int:pk>/transitions", case_api.CaseTransitionApi.as_view(), name="case-transition"),
    path("cases/<int:pk>/contact-check", gate_api.ContactCheckApi.as_view(), name="contact-check"),
    path("cases/<int:pk>/contacts", gate_api.ContactRecordApi.as_view(), name="contacts"),
    path("wording-check", gate_api.WordingCheckApi.as_view(), name="wording-check"),
    path("cases/<int:pk>/holds", records_api.HoldListApi.as_view(), name="holds"),
    path("cases/<int:pk>/holds/<int:hold_pk>/close", records_api.HoldCloseApi.as_view(), name="hold-close"),
    path("cases/<int:pk>/promises", records_api.PromiseListApi.as_view(), name="promises"),
    path("cases/<int:pk>/plans", records_api.PlanListApi.as_view(), name="plans"),
    path("cases/<int:pk>/notices", records_api.NoticeListApi.as_view(), name="notices"),
    path("cases/<int:pk>/forbearance-review", records_api.ForbearanceReviewApi.as_view(), name="forbearance-review"),
    path("cases/<int:pk>/outsourcing-notice", records_api.OutsourcingNoticeApi.as_view(), name="outsourcing-notice"),
    path("debtors/", records_api.DebtorListApi.as_view(), name="debtor-list"),
    path("debtors/<int:pk>/", records_api.DebtorDetailApi.as_view(), name="debtor-detail"),
    path("debtors/<int:pk>/contact-points", records_api.ContactPointListApi.as_view(), name="contact-points"),
    path("debtors/<int:pk>/preferences", records_api.PreferenceListApi.as_view(), name="preferences"),
    path("debtors/<int:pk>/circumstances", records_api.CircumstancesApi.as_view(), name="circumstances"),
    path("payments", records_api.PaymentListApi.as_view(), name="payments"),
    path("imports", records_api.ImportJobCreateApi.as_view(), name="imports"),
    path("imports/<int:pk>", records_api.ImportJobDetailApi.as_view(), name="import-job"),
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
    # OpenAPI 3 of everything under /api/v1/, and Swagger UI served from our own static
    # files (drf-spectacular-sidecar) with its script in a file, so the CSP holds.
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Django's own 404 and 500 answer /api/ paths in JSON (DRF covers errors inside its views).
handler404 = "collections_app.api_support.json_404"
handler500 = "collections_app.api_support.json_500"
