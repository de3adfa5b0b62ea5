"""The gate's API: contact-check, contacts (record an attempt) and wording-check."""

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from collections_app.api import visible_cases
from collections_app.models import Channel, ContactOutcome, Language

from . import engine, gate

SUPPORTED_JURISDICTIONS = ("US", "US-MA", "US-CA", "US-WA", "CN", "GB")


class StrictSerializer(serializers.Serializer):
    """Unknown fields are an error, not silently ignored: a misspelt field is a wrong request."""

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: "unknown field" for name in unknown})
        return attrs


class AwareDateTimeField(serializers.DateTimeField):
    def to_internal_value(self, value):
        if isinstance(value, str) and not _has_offset(value):
            self.fail("naive")
        return super().to_internal_value(value)

    default_error_messages = {"naive": "needs a UTC offset, e.g. 2026-03-01T20:30:00-06:00"}


def _has_offset(value: str) -> bool:
    tail = value[10:]
    return tail.endswith("Z") or "+" in tail or "-" in tail


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
    class Input(StrictSerializer):
        channel = serializers.ChoiceField(choices=Channel.values)
        destination = serializers.CharField(max_length=320, required=False, allow_blank=True)
        at = AwareDateTimeField(required=False)
        message = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def post(self, request, pk):
        case = get_object_or_404(visible_cases(request).select_related("debtor"), pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        decision = gate.check(case=case, **data.validated_data)
        return Response(decision_output(decision))


class ContactRecordApi(APIView):
    class Input(StrictSerializer):
        channel = serializers.ChoiceField(choices=Channel.values)
        destination = serializers.CharField(max_length=320, required=False, allow_blank=True)
        outcome = serializers.ChoiceField(choices=[o for o in ContactOutcome.values if o != "not_attempted"])
        message = serializers.CharField(max_length=5000, required=False, allow_blank=True)
        note = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def post(self, request, pk):
        case = get_object_or_404(visible_cases(request).select_related("debtor"), pk=pk)
        if request.user.has_perm("compliance.view_auditevent") and not request.user.is_superuser:
            raise PermissionDenied("compliance officers read cases; they do not contact debtors")
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = gate.record(case=case, by=request.user, **data.validated_data)
        body = {**decision_output(recorded.decision), "attempt": recorded.attempt.pk}
        return Response(body, status=status.HTTP_201_CREATED if recorded.decision.allowed else status.HTTP_409_CONFLICT)


class WordingCheckApi(APIView):
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
