"""The case API (/api/v1/cases/…). Each view parses, calls one selector or service, and
answers; business rules live in services and selectors."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.timezone import now
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_serializer, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .models import Case
from .selectors import cases_visible_to


class CaseOutput(serializers.ModelSerializer):
    loan_ref = serializers.CharField(source="loan.loan_ref")
    debtor_ref = serializers.CharField(source="debtor.debtor_ref")
    balance = serializers.DecimalField(source="loan.balance", max_digits=14, decimal_places=2)
    currency = serializers.CharField(source="loan.currency")
    due_date = serializers.DateField(source="loan.due_date")
    days_past_due = serializers.SerializerMethodField()
    collector = serializers.CharField(source="collector.username", default=None)

    class Meta:
        model = Case
        fields = [
            "id", "loan_ref", "debtor", "debtor_ref", "stage", "jurisdiction", "collector_type", "collector", "balance",
            "currency", "due_date", "days_past_due", "opened_at", "stage_changed_at",
        ]

    def get_days_past_due(self, case) -> int:
        return case.loan.days_past_due(now().date())


def visible_cases(request):
    return cases_visible_to(request.user).select_related("loan", "debtor", "collector").order_by("pk")


class CaseListApi(generics.ListAPIView):
    serializer_class = CaseOutput

    @extend_schema(parameters=[
        OpenApiParameter("loan_ref", OpenApiTypes.STR), OpenApiParameter("stage", OpenApiTypes.STR),
        OpenApiParameter("jurisdiction", OpenApiTypes.STR),
    ])
    def get(self, request, *args, **kwargs):
        from .api_records import refuse_personal_search

        refuse_personal_search(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        from .api_support import query_params

        cases = visible_cases(self.request)
        params = query_params(self.request, "loan_ref", "stage", "jurisdiction")
        if params.get("loan_ref"):
            cases = cases.filter(loan__loan_ref=params["loan_ref"])
        if params.get("stage"):
            cases = cases.filter(stage=params["stage"])
        if params.get("jurisdiction"):
            cases = cases.filter(jurisdiction=params["jurisdiction"])
        return cases


class CaseDetailApi(generics.RetrieveAPIView):
    serializer_class = CaseOutput

    def get_queryset(self):
        return visible_cases(self.request)


class CaseTransitionApi(APIView):
    @extend_schema_serializer(component_name="CaseTransitionInput")
    class Input(serializers.Serializer):
        transition = serializers.ChoiceField(choices=services.TRANSITIONS)
        reason = serializers.CharField(max_length=2000)

    @extend_schema(request=Input, responses={200: CaseOutput, 409: OpenApiResponse(description="Refused: the reason")})
    def post(self, request, pk):
        case = get_object_or_404(visible_cases(request), pk=pk)
        if request.user.has_perm("compliance.view_auditevent") and not request.user.is_superuser:
            raise PermissionDenied("compliance officers read cases; they do not change them")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = services.case_transition(case=case, by=request.user, **data.validated_data)
        except services.TransitionRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        except DjangoPermissionDenied as denied:
            raise PermissionDenied(str(denied)) from denied
        except DjangoValidationError as invalid:
            raise ValidationError(invalid.message_dict) from invalid
        return Response(CaseOutput(case).data)
