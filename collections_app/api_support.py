"""What every API endpoint shares: error bodies that say what went wrong, a size limit on
JSON bodies, Idempotency-Key replay, and masking of personal data in lists."""

from __future__ import annotations

import functools
import hashlib
import json
import re

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .models import IdempotencyRecord


# --- Errors ---------------------------------------------------------------------------------------

class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "the request body is too large"
    default_code = "too_large"


def _summary(data, prefix: str = "") -> list[str]:
    """'field: reason' lines from a DRF error body, nested fields joined with dots."""
    if isinstance(data, dict):
        return [line for key, value in data.items() for line in _summary(value, f"{prefix}{key}.")]
    if isinstance(data, list):
        return [line for item in data for line in _summary(item, prefix)]
    return [f"{prefix.rstrip('.')}: {data}" if prefix else str(data)]


def exception_handler(exc, context):
    """DRF's handler, plus: Django's own errors become JSON with a message, and every 4xx
    body is an object with `detail` (validation errors keep their fields beside it)."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(f"the request body is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or "malformed request")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"detail": "; ".join(_summary(response.data))}
    elif isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": "; ".join(_summary(response.data)) or "invalid request", **response.data}
    return response


class LimitedJSONParser(JSONParser):
    """DRF reads JSON from the stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE check;
    refuse an oversized body before reading it."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and limit is not None:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > limit:
                raise PayloadTooLarge(f"the request body is {length} bytes; the limit is {limit}")
        return super().parse(stream, media_type, parser_context)


def json_404(request, exception=None):
    """Django's 404 for /api/ paths: JSON, like every other API answer."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "not found"}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def json_500(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "server error; it has been logged"}, status=500)
    from django.views.defaults import server_error

    return server_error(request)


def query_params(request, *names: str, max_length: int = 200) -> dict[str, str]:
    """The named query parameters that were given, checked like a serializer's CharField
    would: no NUL byte (PostgreSQL refuses it) and a sane length."""
    values, errors = {}, {}
    for name in names:
        value = request.query_params.get(name)
        if not value:
            continue
        if "\x00" in value:
            errors[name] = "null characters are not allowed"
        elif len(value) > max_length:
            errors[name] = f"at most {max_length} characters"
        else:
            values[name] = value
    if errors:
        raise exceptions.ValidationError(errors)
    return values


# --- Idempotency ----------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces


def idempotency_parameter(required: bool) -> OpenApiParameter:
    return OpenApiParameter(
        IDEMPOTENCY_HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=required,
        description="A key of your choosing (e.g. a UUID). A repeat with the same key returns the first "
                    "response and creates nothing; the same key with a different body is a 422.",
    )


def _fingerprint(request) -> str:
    """What the request asks for: its parsed body (uploaded files by their SHA-256)."""
    data = {}
    for name, value in request.data.items():
        if hasattr(value, "chunks"):
            digest = hashlib.sha256()
            for chunk in value.chunks():
                digest.update(chunk)
            value.seek(0)
            value = {"file_sha256": digest.hexdigest()}
        data[name] = value
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def idempotent(*, required: bool):
    """Decorate an APIView's post(): with an Idempotency-Key header, the first answer
    (status and body) is stored with the write in one transaction and replayed for a
    repeat. A concurrent repeat waits on the key's row and then replays."""

    def decorate(post):
        @functools.wraps(post)
        def wrapper(self, request, *args, **kwargs):
            key = request.headers.get(IDEMPOTENCY_HEADER, "")
            if not key:
                if required:
                    raise exceptions.ValidationError(
                        {IDEMPOTENCY_HEADER: "this header is required: a retry with the same key is safe"})
                return post(self, request, *args, **kwargs)
            if not KEY_PATTERN.match(key):
                raise exceptions.ValidationError({IDEMPOTENCY_HEADER: "1 to 255 printable ASCII characters"})
            fingerprint = _fingerprint(request)
            lookup = {"user": request.user, "endpoint": request.path, "key": key}
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyRecord.objects.create(**lookup, fingerprint=fingerprint)
                except IntegrityError:
                    record = None
                if record is None:
                    first = IdempotencyRecord.objects.get(**lookup)
                    if first.fingerprint != fingerprint:
                        return Response({
                            "detail": "this Idempotency-Key was used for a different request; use a new key",
                            IDEMPOTENCY_HEADER: ["reused with a different body"],
                        }, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
                    return Response(first.body, status=first.status_code, headers={"Idempotent-Replayed": "true"})
                response = post(self, request, *args, **kwargs)
                record.status_code = response.status_code
                record.body = json.loads(json.dumps(response.data, cls=DjangoJSONEncoder))
                record.save(update_fields=["status_code", "body"])
                return response

        return wrapper

    return decorate


# --- Personal data --------------------------------------------------------------------------------

def mask_name(name: str) -> str:
    """'Jane Doe' -> 'J*** D**': enough to tell two debtors apart on a list, not to identify one."""
    return " ".join(part[:1] + "*" * (len(part) - 1) for part in name.split())


def mask_contact(kind: str, value: str) -> str:
    if kind == "email" and "@" in value:
        local, domain = value.split("@", 1)
        return f"{local[:1]}***@{domain}"
    if kind == "phone":
        return "*" * max(len(value) - 4, 0) + value[-4:]
    return value[:3] + "***" if value else ""
