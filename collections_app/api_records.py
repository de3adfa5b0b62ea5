"""The rest of /api/v1/: debtors and how to reach them (contact points, consents, opt-outs),
holds, promises, payment plans, payments, notices and portfolio imports.

Every endpoint starts from `cases_visible_to`: a record is found through a case the user
may see, or it does not exist for them (404). Compliance officers read everything and open
holds; they change no case (403). Lists mask personal data; a debtor's details show it only
with `?reveal=1`, and every reveal is audited.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_serializer, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api import AwareDateTimeField, StrictSerializer
from notices.models import Notice

from . import selectors, services, services_api
from .api import visible_cases
from .api_support import idempotency_parameter, idempotent, mask_contact, mask_name, query_params
from .models import (
    Case, Channel, ContactPoint, ContactPreference, Debtor, Hold, HoldKind, ImportJob, Loan, Payment, PaymentPlan,
    PromiseToPay,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
MAX_IMPORT_BYTES = 512 * 1024 * 1024
# Personal data never travels in a URL: lists are searched by the lender's references only.
PERSONAL_QUERY_PARAMS = ("name", "full_name", "phone", "email", "address", "q", "search")
ERRORS = {400: OpenApiResponse(description="Bad input: `detail` and the fields at fault"),
          403: OpenApiResponse(description="Not allowed for this role"),
          404: OpenApiResponse(description="No such record, or not visible to you")}


def is_read_only(user) -> bool:
    """Compliance officers read every case and change none (superusers may do both)."""
    return user.has_perm("compliance.view_auditevent") and not user.is_superuser


def case_for_reading(request, pk: int) -> Case:
    return get_object_or_404(visible_cases(request), pk=pk)


def case_for_writing(request, pk: int) -> Case:
    case = case_for_reading(request, pk)
    if is_read_only(request.user):
        raise PermissionDenied("compliance officers read cases; they do not change them")
    return case


def refuse_personal_search(request) -> None:
    found = sorted(set(request.query_params) & set(PERSONAL_QUERY_PARAMS))
    if found:
        raise ValidationError({name: "search by references only (debtor_ref, loan_ref)" for name in found})


def visible_debtors(request) -> QuerySet[Debtor]:
    return Debtor.objects.filter(pk__in=visible_cases(request).values("debtor_id")).order_by("pk")


def debtor_and_case(request, pk: int) -> tuple[Debtor, Case]:
    """The debtor and the first of their cases this user sees (the audit events name it)."""
    case = visible_cases(request).filter(debtor_id=pk).first()
    if case is None:
        raise_not_found("debtor")
    return case.debtor, case


def raise_not_found(what: str):
    from django.http import Http404

    raise Http404(f"no such {what}, or not visible to you")


# --- Debtors and contact points -------------------------------------------------------------------

class ContactPointOutput(serializers.ModelSerializer):
    value = serializers.SerializerMethodField()

    class Meta:
        model = ContactPoint
        fields = ["id", "kind", "value", "country", "is_workplace", "is_primary", "line", "reassigned"]

    def get_value(self, point) -> str:
        return point.value if self.context.get("reveal") else mask_contact(point.kind, point.value)


class PreferenceOutput(serializers.ModelSerializer):
    class Meta:
        model = ContactPreference
        fields = ["id", "kind", "channel", "scope", "contact_point", "recorded_at", "expires_at", "revoked_at"]


class DebtorOutput(serializers.ModelSerializer):
    full_name = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()

    class Meta:
        model = Debtor
        fields = ["id", "debtor_ref", "full_name", "language", "timezone", "vulnerable", "unreachable", "cases"]

    def get_full_name(self, debtor) -> str:
        return debtor.full_name if self.context.get("reveal") else mask_name(debtor.full_name)

    def get_cases(self, debtor) -> list[int]:
        return sorted(c.pk for c in debtor.visible_cases)


class DebtorDetailOutput(DebtorOutput):
    contact_points = serializers.SerializerMethodField()
    preferences = PreferenceOutput(many=True)

    class Meta(DebtorOutput.Meta):
        fields = DebtorOutput.Meta.fields + ["contact_points", "preferences"]

    @extend_schema_field(ContactPointOutput(many=True))
    def get_contact_points(self, debtor):
        return ContactPointOutput(debtor.contact_points.order_by("kind", "pk"), many=True, context=self.context).data


class DebtorListApi(generics.ListAPIView):
    serializer_class = DebtorOutput

    @extend_schema(parameters=[OpenApiParameter("debtor_ref", OpenApiTypes.STR)])
    def get(self, request, *args, **kwargs):
        refuse_personal_search(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        debtors = visible_debtors(self.request).prefetch_related(_visible_cases_prefetch(self.request))
        if ref := query_params(self.request, "debtor_ref").get("debtor_ref"):
            debtors = debtors.filter(debtor_ref=ref)
        return debtors


def _visible_cases_prefetch(request):
    from django.db.models import Prefetch

    return Prefetch("cases", queryset=selectors.cases_visible_to(request.user).only("pk", "debtor_id"),
                    to_attr="visible_cases")


class DebtorDetailApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("reveal", OpenApiTypes.BOOL, description="Show the name and contact points; audited"),
            OpenApiParameter("reason", OpenApiTypes.STR, description="Why you need them (kept in the audit)"),
        ],
        responses={200: DebtorDetailOutput, 404: ERRORS[404]},
    )
    def get(self, request, pk: int):
        reveal = request.query_params.get("reveal") in ("1", "true")
        reason = query_params(request, "reason", max_length=500).get("reason")
        debtor, case = debtor_and_case(request, pk)
        debtor = (Debtor.objects.prefetch_related("preferences", _visible_cases_prefetch(request)).get(pk=debtor.pk))
        if reveal:
            services.personal_data_reveal(
                case=case, by=request.user, reason=reason or "revealed through the API",
            )
        return Response(DebtorDetailOutput(debtor, context={"reveal": reveal}).data)


class CircumstancesOutput(serializers.ModelSerializer):
    class Meta:
        model = Debtor
        fields = ["inconvenient_times", "not_at_work_since", "employer_prohibits_contact", "unreachable",
                  "incapacitated", "vulnerable"]


class CircumstancesApi(APIView):
    """When and where the debtor may be reached, as they told us: read by the gate before
    every contact, on every debt of the debtor. PATCH changes only the fields sent."""

    @extend_schema_serializer(component_name="CircumstancesInput")
    class Input(StrictSerializer):
        inconvenient_times = serializers.ListField(
            child=serializers.ListField(child=serializers.CharField(max_length=5), min_length=2, max_length=2),
            max_length=services.MOST_PERIODS, required=False,
            help_text='daily periods in the debtor\'s own time, e.g. [["21:00", "09:00"]]')
        not_at_work = serializers.BooleanField(required=False, help_text="asked not to be contacted at work")
        employer_prohibits_contact = serializers.BooleanField(required=False)
        unreachable = serializers.BooleanField(required=False)
        incapacitated = serializers.BooleanField(required=False)
        vulnerable = serializers.BooleanField(required=False)

    @extend_schema(responses={200: CircumstancesOutput, 404: ERRORS[404]})
    def get(self, request, pk: int):
        debtor, _ = debtor_and_case(request, pk)
        return Response(CircumstancesOutput(debtor).data)

    @extend_schema(request=Input, responses={200: CircumstancesOutput, **ERRORS})
    def patch(self, request, pk: int):
        debtor, case = debtor_and_case(request, pk)
        case_for_writing(request, case.pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        debtor = services.debtor_circumstances_update(debtor=debtor, case=case, by=request.user,
                                                      **data.validated_data)
        return Response(CircumstancesOutput(debtor).data)


class ContactPointListApi(APIView):
    @extend_schema_serializer(component_name="ContactPointListInput")
    class Input(StrictSerializer):
        kind = serializers.ChoiceField(choices=ContactPoint.Kind.choices)
        value = serializers.CharField(max_length=320)
        country = serializers.RegexField(r"^[A-Z]{2}$", required=False, allow_blank=True,
                                         error_messages={"invalid": "an ISO 3166 alpha-2 code, e.g. US"})
        is_workplace = serializers.BooleanField(required=False, default=False)

    @extend_schema(responses={200: ContactPointOutput(many=True), 404: ERRORS[404]})
    def get(self, request, pk: int):
        debtor, _ = debtor_and_case(request, pk)
        return Response(ContactPointOutput(debtor.contact_points.order_by("kind", "pk"), many=True).data)

    @extend_schema(request=Input, parameters=[idempotency_parameter(required=False)],
                   responses={201: ContactPointOutput, **ERRORS})
    @idempotent(required=False)
    def post(self, request, pk: int):
        debtor, case = debtor_and_case(request, pk)
        case_for_writing(request, case.pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        point = services_api.contact_point_add(debtor=debtor, case=case, by=request.user, **data.validated_data)
        return Response(ContactPointOutput(point).data, status=status.HTTP_201_CREATED)


class PreferenceListApi(APIView):
    """Consents and opt-outs (ContactPreference): what the gate reads before any contact."""

    @extend_schema_serializer(component_name="PreferenceListInput")
    class Input(StrictSerializer):
        kind = serializers.ChoiceField(choices=ContactPreference.Kind.choices)
        # Omitted: every channel (opt-out) / no scope (opt-out).
        channel = serializers.ChoiceField(choices=Channel.choices, required=False, default="")
        scope = serializers.ChoiceField(choices=ContactPreference.Scope.choices, required=False, default="")
        contact_point = serializers.IntegerField(required=False, allow_null=True, min_value=1)
        expires_at = AwareDateTimeField(required=False, allow_null=True)
        evidence = serializers.CharField(max_length=5000)

    @extend_schema(responses={200: PreferenceOutput(many=True), 404: ERRORS[404]})
    def get(self, request, pk: int):
        debtor, _ = debtor_and_case(request, pk)
        return Response(PreferenceOutput(debtor.preferences.order_by("-recorded_at"), many=True).data)

    @extend_schema(request=Input, parameters=[idempotency_parameter(required=False)],
                   responses={201: PreferenceOutput, **ERRORS})
    @idempotent(required=False)
    def post(self, request, pk: int):
        debtor, case = debtor_and_case(request, pk)
        case_for_writing(request, case.pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        point_id = values.pop("contact_point", None)
        point = None
        if point_id is not None:
            point = debtor.contact_points.filter(pk=point_id).first()
            if point is None:
                raise ValidationError({"contact_point": "not a contact point of this debtor"})
        preference = services_api.contact_preference_record(
            debtor=debtor, case=case, contact_point=point, by=request.user, **values)
        return Response(PreferenceOutput(preference).data, status=status.HTTP_201_CREATED)


# --- Holds ----------------------------------------------------------------------------------------

class HoldOutput(serializers.ModelSerializer):
    debtor_wide = serializers.SerializerMethodField()

    class Meta:
        model = Hold
        fields = ["id", "kind", "case", "debtor_wide", "opened_at", "evidence", "closed_at", "close_reason"]

    def get_debtor_wide(self, hold) -> bool:
        return hold.case_id is None


class HoldListApi(APIView):
    @extend_schema_serializer(component_name="HoldListInput")
    class Input(StrictSerializer):
        kind = serializers.ChoiceField(choices=HoldKind.choices)
        evidence = serializers.CharField(max_length=5000)
        debtor_wide = serializers.BooleanField(required=False, default=False)

    @extend_schema(responses={200: HoldOutput(many=True), 404: ERRORS[404]})
    def get(self, request, pk: int):
        case = case_for_reading(request, pk)
        return Response(HoldOutput(selectors.case_holds(case=case), many=True).data)

    # Compliance officers open holds (a dispute or a complaint reaches them too).
    @extend_schema(request=Input, responses={201: HoldOutput, **ERRORS})
    def post(self, request, pk: int):
        case = case_for_reading(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        hold = services.hold_open(case=case, by=request.user, **data.validated_data)
        return Response(HoldOutput(hold).data, status=status.HTTP_201_CREATED)


class HoldCloseApi(APIView):
    @extend_schema_serializer(component_name="HoldCloseInput")
    class Input(StrictSerializer):
        reason = serializers.CharField(max_length=2000)

    @extend_schema(request=Input, responses={200: HoldOutput, **ERRORS})
    def post(self, request, pk: int, hold_pk: int):
        case = case_for_reading(request, pk)
        hold = get_object_or_404(selectors.case_holds(case=case), pk=hold_pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        hold = services.hold_close(hold=hold, by=request.user, reason=data.validated_data["reason"])
        return Response(HoldOutput(hold).data)


# --- Steps the rules wait for -----------------------------------------------------------------------

class StepsOutput(serializers.ModelSerializer):
    class Meta:
        model = Case
        fields = ["id", "forbearance_reviewed_at", "outsourcing_notified_at"]


class ForbearanceReviewApi(APIView):
    """GB.FORBEARANCE (CONC 7.3.4R): a forbearance review before escalating."""

    @extend_schema_serializer(component_name="ForbearanceReviewInput")
    class Input(StrictSerializer):
        note = serializers.CharField(max_length=2000, help_text="what was considered")

    @extend_schema(request=Input, responses={200: StepsOutput, **ERRORS})
    def post(self, request, pk: int):
        case = case_for_writing(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.forbearance_review_record(case=case, by=request.user, note=data.validated_data["note"])
        return Response(StepsOutput(case).data)


class OutsourcingNoticeApi(APIView):
    """CN.OUTSOURCE (consumer-protection measures Art. 41): the debtor told of an agency's placement."""

    @extend_schema_serializer(component_name="OutsourcingNoticeInput")
    class Input(StrictSerializer):
        evidence = serializers.CharField(max_length=2000, help_text="how the debtor was told")

    @extend_schema(request=Input, responses={200: StepsOutput, **ERRORS})
    def post(self, request, pk: int):
        case = case_for_writing(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.outsourcing_notice_record(case=case, by=request.user, evidence=data.validated_data["evidence"])
        return Response(StepsOutput(case).data)


# --- Promises and plans ---------------------------------------------------------------------------

class PromiseOutput(serializers.ModelSerializer):
    class Meta:
        model = PromiseToPay
        fields = ["id", "case", "amount", "currency", "due_date", "status", "created_at"]


class PromiseListApi(APIView):
    @extend_schema_serializer(component_name="PromiseListInput")
    class Input(StrictSerializer):
        amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
        due_date = serializers.DateField()

    @extend_schema(responses={200: PromiseOutput(many=True), 404: ERRORS[404]})
    def get(self, request, pk: int):
        case = case_for_reading(request, pk)
        return Response(PromiseOutput(selectors.case_promises(case=case), many=True).data)

    @extend_schema(request=Input, parameters=[idempotency_parameter(required=True)],
                   responses={201: PromiseOutput, **ERRORS})
    @idempotent(required=True)
    def post(self, request, pk: int):
        case = case_for_writing(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        promise = services.promise_create(case=case, by=request.user, **data.validated_data)
        return Response(PromiseOutput(promise).data, status=status.HTTP_201_CREATED)


class InstalmentField(serializers.Serializer):
    due_date = serializers.DateField()
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
    paid_amount = serializers.DecimalField(**MONEY, read_only=True)


class PlanOutput(serializers.ModelSerializer):
    instalments = InstalmentField(many=True)

    class Meta:
        model = PaymentPlan
        fields = ["id", "case", "currency", "status", "created_at", "instalments"]


class PlanListApi(APIView):
    @extend_schema_serializer(component_name="PlanListInput")
    class Input(StrictSerializer):
        instalments = InstalmentField(many=True, allow_empty=False, max_length=120)
        reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    @extend_schema(responses={200: PlanOutput(many=True), 404: ERRORS[404]})
    def get(self, request, pk: int):
        case = case_for_reading(request, pk)
        return Response(PlanOutput(selectors.case_plans(case=case), many=True).data)

    @extend_schema(request=Input, parameters=[idempotency_parameter(required=True)],
                   responses={201: PlanOutput, 409: OpenApiResponse(description="The stage allows no plan"), **ERRORS})
    @idempotent(required=True)
    def post(self, request, pk: int):
        case = case_for_writing(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        instalments = [(i["due_date"], i["amount"]) for i in data.validated_data["instalments"]]
        try:
            plan = services.payment_plan_create(case=case, instalments=instalments, by=request.user,
                                                reason=data.validated_data["reason"])
        except services.TransitionRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(PlanOutput(plan).data, status=status.HTTP_201_CREATED)


# --- Payments -------------------------------------------------------------------------------------

class PaymentOutput(serializers.ModelSerializer):
    loan_ref = serializers.CharField(source="loan.loan_ref")
    balance = serializers.DecimalField(source="loan.balance", **MONEY)

    class Meta:
        model = Payment
        fields = ["id", "loan_ref", "external_ref", "amount", "currency", "received_on", "posted_at", "balance"]


class PaymentListApi(APIView):
    """Payments the lender received, posted by its platform (idempotent twice over: by the
    Idempotency-Key and by the lender's `external_ref`)."""

    @extend_schema_serializer(component_name="PaymentListInput")
    class Input(StrictSerializer):
        loan_ref = serializers.CharField(max_length=64)
        external_ref = serializers.CharField(max_length=64)
        amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"))
        currency = serializers.RegexField(r"^[A-Z]{3}$", error_messages={"invalid": "an ISO 4217 code, e.g. USD"})
        received_on = serializers.DateField()

    @extend_schema(parameters=[OpenApiParameter("loan_ref", OpenApiTypes.STR, required=True)],
                   responses={200: PaymentOutput(many=True), 400: ERRORS[400]})
    def get(self, request):
        loan_ref = query_params(request, "loan_ref").get("loan_ref")
        if not loan_ref:
            raise ValidationError({"loan_ref": "required: payments are listed per loan"})
        payments = Payment.objects.filter(loan__case__in=visible_cases(request), loan__loan_ref=loan_ref)
        return Response(PaymentOutput(payments.select_related("loan").order_by("received_on", "pk"), many=True).data)

    @extend_schema(request=Input, parameters=[idempotency_parameter(required=True)],
                   responses={201: PaymentOutput, 200: OpenApiResponse(PaymentOutput, "Already posted"), **ERRORS})
    @idempotent(required=True)
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        loan = Loan.objects.filter(case__in=visible_cases(request), loan_ref=values.pop("loan_ref")).first()
        if loan is None:
            raise ValidationError({"loan_ref": "no such loan, or not visible to you"})
        if is_read_only(request.user):
            raise PermissionDenied("compliance officers do not post payments")
        posted = services_api.payment_post(loan=loan, by=request.user, **values)
        return Response(PaymentOutput(posted.payment).data,
                        status=status.HTTP_201_CREATED if posted.created else status.HTTP_200_OK)


# --- Notices (read) -------------------------------------------------------------------------------

class NoticeOutput(serializers.ModelSerializer):
    class Meta:
        model = Notice
        # Not the body or the rendered document: those carry personal data.
        fields = ["id", "kind", "channel", "status", "due_at", "next_allowed_at", "sent_at", "suppressed_by"]


class NoticeListApi(generics.ListAPIView):
    serializer_class = NoticeOutput

    def get_queryset(self):
        case = case_for_reading(self.request, self.kwargs["pk"])
        return Notice.objects.filter(case=case).order_by("-due_at", "-pk")


# --- Portfolio import -----------------------------------------------------------------------------

class ImportJobOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = ["id", "url", "status", "file_name", "file_sha256", "dry_run", "rows_read", "rows_total", "report",
                  "created_at", "started_at", "finished_at"]

    def get_url(self, job) -> str:
        return reverse("api:import-job", args=[job.pk])


def may_import(user) -> bool:
    # A portfolio creates cases for the whole installation: administrators (or whoever is
    # given the add_case permission, e.g. the lender's integration user).
    return user.is_superuser or user.has_perm("collections_app.add_case")


class ImportJobCreateApi(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="ImportJobCreateInput")
    class Input(StrictSerializer):
        file = serializers.FileField(max_length=200, allow_empty_file=False)
        dry_run = serializers.BooleanField(required=False, default=False)

        def validate_file(self, upload):
            if upload.size > MAX_IMPORT_BYTES:
                raise serializers.ValidationError(f"larger than {MAX_IMPORT_BYTES} bytes")
            return upload

    @extend_schema(
        request={"multipart/form-data": Input}, parameters=[idempotency_parameter(required=True)],
        responses={202: ImportJobOutput, **ERRORS},
        description="Upload a portfolio (CSV or JSON Lines). The import runs in the background: "
                    "follow the job's `url` for progress and, when rejected, every row at fault.",
    )
    @idempotent(required=True)
    def post(self, request):
        if not may_import(request.user):
            raise PermissionDenied("importing a portfolio needs the permission collections_app.add_case")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        job = services_api.import_job_create(upload=data.validated_data["file"], dry_run=data.validated_data["dry_run"],
                                             by=request.user)
        body = ImportJobOutput(job).data
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]})


class ImportJobDetailApi(generics.RetrieveAPIView):
    serializer_class = ImportJobOutput

    def get_queryset(self):
        jobs = ImportJob.objects.all()
        return jobs if self.request.user.is_superuser else jobs.filter(created_by=self.request.user)
