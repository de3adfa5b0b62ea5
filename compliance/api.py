"""The gate's API: contact-check, contacts (record an attempt) and wording-check."""

from collections.abc import Mapping
from datetime import datetime, timezone as dt_timezone

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_serializer, OpenApiResponse, extend_schema

from collections_app.api_support import idempotency_parameter, idempotent

from collections_app.api import visible_cases
from collections_app.models import Channel, ContactOutcome, Language, plausible_year

from . import engine, gate

SUPPORTED_JURISDICTIONS = ("US", "US-MA", "US-CA", "US-WA", "CN", "GB")


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently ignored: a misspelt field is a wrong request.
    Checked on the data itself, so a nested serializer (which has no initial_data) checks too."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: "unknown field" for name in unknown})
        return super().to_internal_value(data)


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 moment with its UTC offset (a wall-clock time alone names no moment),
    within the years a decision can be made for."""

    default_error_messages = {
        "naive": "needs a UTC offset, e.g. 2026-03-01T20:30:00-06:00",
        "not_iso": "is not an ISO 8601 moment, e.g. 2026-03-01T20:30:00-06:00",
        "range": "must fall between 1970 and 2099",
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                self.fail("not_iso")
            if parsed.tzinfo is None:
                self.fail("naive")
        moment = super().to_internal_value(value)
        if not plausible_year(moment.astimezone(dt_timezone.utc).year):
            self.fail("range")
        return moment


class ThirdPartyInput(StrictSerializer):
    relationship = serializers.ChoiceField(choices=engine.THIRD_PARTY_RELATIONSHIPS)
    purpose = serializers.ChoiceField(choices=engine.THIRD_PARTY_PURPOSES, default="location")
    asked_to_recontact = serializers.BooleanField(default=False, help_text="they asked us to call back (1006.10(c))")
    earlier_answer_incomplete = serializers.BooleanField(
        default=False, help_text="their earlier answer was wrong or incomplete (1006.10(c))")


class VisitInput(StrictSerializer):
    collectors = serializers.IntegerField(min_value=1, max_value=10, default=1, help_text="collectors on the visit")
    workplace = serializers.BooleanField(default=False, help_text="at the debtor's workplace")
    requested_by_consumer = serializers.BooleanField(default=False, help_text="the debtor asked for it")
    purpose_stated = serializers.BooleanField(default=False, help_text="its purpose was stated in advance")


class ContactInput(StrictSerializer):
    """What contact-check and contacts share: a channel; for a third-party contact who the
    third party is and why they are contacted; for a visit, how it is made."""

    channel = serializers.ChoiceField(choices=Channel.choices)
    destination = serializers.CharField(max_length=320, required=False, allow_blank=True)
    message = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    third_party = ThirdPartyInput(required=False)
    visit = VisitInput(required=False)
    reply = serializers.BooleanField(
        default=False, help_text="a reply to the debtor's own contact on the medium they used (allowed once)")

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "visit" in attrs and attrs["channel"] != "visit":
            raise serializers.ValidationError({"visit": "only for channel visit"})
        if attrs["channel"] == "third_party":
            if "third_party" not in attrs:
                raise serializers.ValidationError(
                    {"third_party": "required for channel third_party: who they are to the debtor (relationship)"})
            if not attrs.get("destination", "").strip():
                raise serializers.ValidationError(
                    {"destination": "required for channel third_party: the third party's number or address"})
        elif "third_party" in attrs:
            raise serializers.ValidationError({"third_party": "only for channel third_party"})
        return attrs

    def gate_arguments(self) -> dict:
        """The validated data as compliance.gate's keywords."""
        data = dict(self.validated_data)
        party = data.pop("third_party", None)
        if party is not None:
            data["purpose"] = party.pop("purpose")
            data["third_party"] = engine.ThirdParty(**party)
        if "visit" in data:
            data["visit"] = engine.Visit(**data["visit"])
        if data.pop("reply"):
            data["purpose"] = "reply"
        return data


def decision_output(decision: engine.Decision) -> dict:
    chinese = (get_language() or "en").lower().startswith("zh")

    def reason(r):
        return {"rule": r.rule_id, "citation": r.citation, "message": r.message_zh if chinese else r.message_en,
                "status": r.status, "policy": r.policy}

    return {
        "allowed": decision.allowed,
        "reasons": [reason(r) for r in decision.reasons],
        "warnings": [reason(w) for w in decision.warnings],
        "pack": decision.pack,
        "pack_version": decision.pack_version,
        "next_allowed_at": decision.next_allowed_at.isoformat() if decision.next_allowed_at else None,
        "findings": [f.to_dict() for f in decision.findings],
    }


class ContactCheckApi(APIView):
    @extend_schema_serializer(component_name="ContactCheckInput")
    class Input(ContactInput):
        at = AwareDateTimeField(required=False)

    @extend_schema(request=Input, responses={200: OpenApiResponse(OpenApiTypes.OBJECT, "The gate's decision")})
    def post(self, request, pk):
        case = get_object_or_404(visible_cases(request).select_related("debtor"), pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            decision = gate.check(case=case, **data.gate_arguments())
        except LookupError as exc:
            # A moment no rule pack covers (e.g. the year 1177): the request is wrong, not the server.
            raise ValidationError({"at": str(exc)}) from exc
        return Response(decision_output(decision))


class ContactRecordApi(APIView):
    @extend_schema_serializer(component_name="ContactRecordInput")
    class Input(ContactInput):
        outcome = serializers.ChoiceField(choices=[o for o in ContactOutcome.values if o != "not_attempted"])
        note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
        initiated_by_consumer = serializers.BooleanField(
            default=False, help_text="the debtor contacted us: recorded, not decided (201 with the attempt)")

        def validate(self, attrs):
            attrs = super().validate(attrs)
            if attrs["outcome"] == "refused" and attrs["channel"] != "third_party":
                raise serializers.ValidationError({"outcome": "refused is the outcome of a third-party contact"})
            if attrs["initiated_by_consumer"]:
                extra = sorted({"message", "third_party", "visit"} & set(attrs)) + (["reply"] if attrs["reply"] else [])
                if extra:
                    raise serializers.ValidationError({name: "not for the debtor's own contact" for name in extra})
            return attrs

    # The key is optional here, so integrations written before it keep working; with one,
    # a retried call records the attempt once.
    @extend_schema(request=Input, parameters=[idempotency_parameter(required=False)], responses={
        201: OpenApiResponse(OpenApiTypes.OBJECT, "Allowed and recorded"),
        409: OpenApiResponse(OpenApiTypes.OBJECT, "Blocked: the decision; the blocked attempt is recorded"),
    })
    @idempotent(required=False)
    def post(self, request, pk):
        case = get_object_or_404(visible_cases(request).select_related("debtor"), pk=pk)
        if request.user.has_perm("compliance.view_auditevent") and not request.user.is_superuser:
            raise PermissionDenied("compliance officers read cases; they do not contact debtors")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        arguments = data.gate_arguments()
        if arguments.pop("initiated_by_consumer"):
            attempt = gate.record_inbound(case=case, by=request.user, channel=arguments["channel"],
                                          outcome=arguments["outcome"], destination=arguments.get("destination"),
                                          note=arguments.get("note", ""))
            return Response({"attempt": attempt.pk, "initiated_by_consumer": True,
                             "detail": "the debtor's own contact: recorded, not decided"},
                            status=status.HTTP_201_CREATED)
        recorded = gate.record(case=case, by=request.user, **arguments)
        body = {**decision_output(recorded.decision), "attempt": recorded.attempt.pk}
        if not recorded.decision.allowed:
            # Every 4xx carries a message: the rules that blocked it, in one line.
            body = {"detail": "blocked: " + "; ".join(f"{r['rule']} ({r['citation']})" for r in body["reasons"]),
                    **body}
        return Response(body, status=status.HTTP_201_CREATED if recorded.decision.allowed else status.HTTP_409_CONFLICT)


class WordingCheckApi(APIView):
    @extend_schema_serializer(component_name="WordingCheckInput")
    class Input(StrictSerializer):
        text = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)
        language = serializers.ChoiceField(choices=[code for code in Language.values])
        jurisdiction = serializers.ChoiceField(choices=SUPPORTED_JURISDICTIONS)
        facts = serializers.DictField(child=serializers.BooleanField(), required=False)

        def validate_facts(self, facts):
            allowed = {"suit_authorized", "judgment_exists", "time_barred", "is_attorney"}
            unknown = sorted(set(facts) - allowed)
            if unknown:
                raise serializers.ValidationError(f"unknown fact(s) {', '.join(unknown)}; known: {', '.join(sorted(allowed))}")
            return facts

    @extend_schema(request=Input, responses={200: OpenApiResponse(OpenApiTypes.OBJECT, "The findings")})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        findings = engine.check_wording(
            data.validated_data["text"], language=data.validated_data["language"],
            jurisdiction=data.validated_data["jurisdiction"], facts=data.validated_data.get("facts") or {},
        )
        return Response({
            "allowed": not findings,
            "findings": [
                {"category": f.category, "rule": f.rule_id, "citation": f.citation, "start": f.start, "end": f.end,
                 "text": f.text}
                for f in findings
            ],
        })
