"""OpenAPI descriptions of API views this module does not own (the audit API): drf-spectacular
cannot guess what a plain APIView answers, and would leave them out of /api/schema/.
Imported by collections_app.urls, which registers the extensions."""

from drf_spectacular.extensions import OpenApiViewExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema

OFFICERS_ONLY = {403: OpenApiResponse(description="Compliance officers only")}


class _Described:
    """A mixin, not an extension: drf-spectacular registers every OpenApiViewExtension
    subclass, and a base without a target_class would break schema generation."""

    schema: dict = {}

    def view_replacement(self):
        schema = self.schema

        class Described(self.target_class):
            @extend_schema(**schema)
            def get(self, request, *args, **kwargs):
                return super().get(request, *args, **kwargs)

        return Described


class VerifyApiSchema(_Described, OpenApiViewExtension):
    target_class = "compliance.views.VerifyApi"
    schema = {"responses": {200: OpenApiResponse(OpenApiTypes.OBJECT, "The chain's verification"), **OFFICERS_ONLY}}


class ReplayApiSchema(_Described, OpenApiViewExtension):
    target_class = "compliance.views.ReplayApi"
    schema = {"responses": {200: OpenApiResponse(OpenApiTypes.OBJECT, "The decision replayed"),
                            409: OpenApiResponse(description="No snapshot to replay"), **OFFICERS_ONLY}}


class PeriodExportApiSchema(_Described, OpenApiViewExtension):
    target_class = "compliance.views.PeriodExportApi"
    schema = {
        "parameters": [OpenApiParameter("format", OpenApiTypes.STR, enum=["csv", "jsonl"]),
                       OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)],
        "responses": {(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, "The events, streamed"),
                      **OFFICERS_ONLY},
    }


class CaseFileApiSchema(_Described, OpenApiViewExtension):
    target_class = "compliance.views.CaseFileApi"
    schema = {"responses": {(200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, "The debtor's case file"),
                            **OFFICERS_ONLY}}
