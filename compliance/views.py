"""The compliance officer's audit view. Each view parses, calls one selector or service, renders.

Officers (``compliance.view_auditevent``) and superusers read everything here; everyone
else gets 403. Nothing here changes a case: the one write an officer may make is opening
a hold (``collections_app.services.hold_open``); exports and verifications append to the
ledger, as every export must be audited.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from rest_framework import generics, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from collections_app import services
from collections_app.models import Case, Channel, ContactAttempt, Debtor, HoldKind
from collections_app.selectors import reason_key, reasons_beside_the_ledger

from . import analytics, engine, exports, ledger, replay, retention, selectors, tasks
from .models import AuditEvent

PERMISSION = "compliance.view_auditevent"


def officer_required(view):
    """Signed in, and allowed to read the ledger; otherwise 403 (not a login loop)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied(_("The audit view is for compliance officers."))
        return view(request, *args, **kwargs)

    return wrapped


def _actor(request) -> str:
    return ledger.actor_label(request.user)


# --- explorer -----------------------------------------------------------------------------------------

@officer_required
@require_GET
def explorer(request):
    filters = selectors.AuditFilters.from_params(request.GET)
    before = selectors._int(request.GET.get("before"))
    events, next_before = selectors.page_of_events(filters, before=before)
    attempts = selectors.attempts_for_events(events)
    cases = selectors.cases_for_events(events)
    rows = []
    for event in events:
        payload = selectors.payload_of(event)
        attempt = attempts.get(payload.get("attempt")) if event.kind in selectors.CONTACT_KINDS else None
        rows.append({"event": event, "payload": payload, "attempt": attempt, "case": cases.get(event.case_id),
                     "actor": selectors.user_label(event.actor)})
    params = filters.as_params()
    context = {
        "filters": filters, "params": params, "rows": rows,
        "next_url": f"?{urlencode({**params, 'before': next_before})}" if next_before else None,
        "first_url": f"?{urlencode(params)}" if before else None,
        "export_query": urlencode(params),
        "channels": Channel.choices, "collectors": selectors.collectors(), "teams": selectors.teams(),
        "packs": sorted(engine.DEFAULT.packs), "rules": _rule_ids(),
        "selected_collector": _user(filters.collector),
    }
    template = "compliance/_explorer_rows.html" if request.htmx and request.htmx.target == "explorer-rows" else "compliance/explorer.html"
    return render(request, template, context)


def _user(pk):
    return get_user_model().objects.filter(pk=pk).first() if pk else None


def _rule_ids() -> list[str]:
    return sorted({r.id for p in engine.DEFAULT.packs.values() for v in p.versions for r in v.rules if r.check})


@officer_required
@require_GET
def event_detail(request, seq: int):
    try:
        event = selectors.event_detail(seq)
    except AuditEvent.DoesNotExist:
        raise Http404(_("No such event"))
    payload = selectors.payload_of(event)
    attempt = None
    if event.kind in selectors.CONTACT_KINDS and isinstance(payload.get("attempt"), int):
        attempt = ContactAttempt.objects.select_related("case", "case__debtor", "actor").filter(pk=payload["attempt"]).first()
    # Free text typed with the act is kept beside the ledger, which holds its fingerprint.
    typed_reason = None
    text = reasons_beside_the_ledger([payload]).get(reason_key(payload))
    if text is not None:
        typed_reason = {"text": text, "matches": services.fingerprint(text) == payload["reason_sha256"],
                        "redacted": text in ("", retention.REDACTED)}
    decision = dict(attempt.decision) if attempt else {}
    request_snapshot = decision.pop("request", None)
    stored_sha = None
    if attempt:
        import hashlib

        stored_sha = hashlib.sha256(ledger.canonical_json(attempt.decision).encode()).hexdigest()
    return render(request, "compliance/event.html", {
        "event": event, "payload": payload, "payload_pretty": json.dumps(payload, indent=2, ensure_ascii=False),
        "attempt": attempt, "decision": decision, "request_snapshot": request_snapshot,
        "request_pretty": json.dumps(request_snapshot, indent=2, ensure_ascii=False) if request_snapshot else "",
        "decision_matches_ledger": stored_sha == payload.get("decision_sha256") if attempt else None,
        "case": event.case, "hold_kinds": HoldKind.choices, "typed_reason": typed_reason,
        "prev_seq": seq - 1 if seq > 1 else None,
    })


@officer_required
@require_GET
def attempt_replay(request, pk: int):
    attempt = get_object_or_404(ContactAttempt, pk=pk)
    try:
        result = replay.replay_attempt(attempt)
        error = None
    except replay.SnapshotError as exc:
        result, error = None, str(exc)
    template = "compliance/_replay.html" if request.htmx else "compliance/replay.html"
    return render(request, template, {"attempt": attempt, "result": result, "error": error})


@officer_required
@require_GET
def attempt_event(request, pk: int):
    """From an attempt (e.g. an analytics drill-down) to the ledger event that recorded it."""
    attempt = get_object_or_404(ContactAttempt, pk=pk)
    event = selectors.attempt_event(attempt)
    if event is None:
        raise Http404(_("This attempt has no ledger event (imported history)."))
    return redirect("compliance:event", seq=event.seq)


@officer_required
@require_POST
def open_hold(request, case_id: int):
    """The one write an officer makes on a case: opening a hold (audited by the service)."""
    case = get_object_or_404(Case, pk=case_id)
    try:
        services.hold_open(case=case, kind=request.POST.get("kind", ""), by=request.user,
                           evidence=request.POST.get("evidence", ""), debtor_wide=request.POST.get("debtor_wide") == "on")
    except ValidationError as exc:
        messages.error(request, "; ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Hold opened."))
    return redirect(request.POST.get("next") or reverse("compliance:audit"))


# --- analytics ------------------------------------------------------------------------------------------

def _period(request):
    today = timezone.localdate()
    since = selectors.parse_moment(request.GET.get("from")) or selectors.parse_moment((today - timedelta(days=27)).isoformat())
    until = selectors.parse_moment(request.GET.get("to"), end=True) or selectors.parse_moment(today.isoformat(), end=True)
    if until <= since:
        until = since + timedelta(days=1)
    return since, until


def _period_params(since, until) -> dict:
    return {"from": timezone.localtime(since).date().isoformat(),
            "to": (timezone.localtime(until) - timedelta(microseconds=1)).date().isoformat()}


CHARTS = {
    "blocked-by-rule": ("Blocked attempts by rule", "rule"),
    "blocked-by-collector": ("Blocked attempts by collector", "collector"),
    "blocked-by-team": ("Blocked attempts by team", "team"),
    "blocked-by-channel": ("Blocked attempts by channel", "channel"),
}


@officer_required
@require_GET
def analytics_page(request):
    since, until = _period(request)
    period = _period_params(since, until)
    charts = []
    for slug, (title, dimension) in CHARTS.items():
        bars = analytics.blocked_by(dimension, since=since, until=until)

        def href(bar, dimension=dimension):
            if not bar.key or (dimension == "collector" and not bar.key.isdigit()):
                return None
            return reverse("compliance:audit") + "?" + urlencode({**period, "decision": "blocked", dimension: bar.key})

        charts.append({"slug": slug, "title": _(title), "bars": bars, "hrefs": [href(b) for b in bars],
                       "svg": mark_safe(analytics.bar_chart(bars, title=_(title), href=href))})
    days = analytics.contacts_per_day(since=since, until=until)
    funnel = analytics.stage_funnel()
    notices = analytics.notice_outcomes(since=since, until=until)
    promises = analytics.promise_outcomes(since=since, until=until)
    return render(request, "compliance/analytics.html", {
        "period": period, "query": urlencode(period), "charts": charts,
        "days": days, "days_svg": mark_safe(analytics.day_chart(days, title=_("Contacts per day"))),
        "funnel": funnel, "funnel_svg": mark_safe(analytics.funnel_chart(funnel, title=_("Stage funnel"))),
        "notices": notices, "notices_svg": mark_safe(analytics.bar_chart(notices, title=_("Notices"))),
        "promises": promises, "promises_svg": mark_safe(analytics.bar_chart(promises, title=_("Promises to pay"))),
        "rows_by_chart": [(c["title"], list(zip(c["bars"], c["hrefs"]))) for c in charts],
    })


@officer_required
@require_GET
def analytics_csv(request, chart: str):
    since, until = _period(request)
    header: list[str]
    if chart in CHARTS:
        dimension = CHARTS[chart][1]
        header = ["day", dimension, "label", "blocked_attempts"]
        rows = [(d.isoformat(), k, label, n) for d, k, label, n in analytics.blocked_over_time(dimension, since=since, until=until)]
    elif chart == "contacts-per-day":
        header = ["day", "allowed", "blocked"]
        rows = [(d.isoformat(), a, b) for d, a, b in analytics.contacts_per_day(since=since, until=until)]
    elif chart == "stage-funnel":
        header = ["stage", "label", "cases_entered", "cases_now"]
        rows = analytics.stage_funnel()
    elif chart == "notices":
        header = ["status", "label", "notices"]
        rows = [(b.key, b.label, b.value) for b in analytics.notice_outcomes(since=since, until=until)]
    elif chart == "promises":
        header = ["status", "label", "promises"]
        rows = [(b.key, b.label, b.value) for b in analytics.promise_outcomes(since=since, until=until)]
    else:
        raise Http404(_("No such chart"))
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    period = _period_params(since, until)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart}-{period["from"]}-{period["to"]}.csv"'
    return response


# --- integrity ---------------------------------------------------------------------------------------------

def latest_digest() -> dict | None:
    from pathlib import Path

    folder = Path(settings.AUDIT_DIGEST_DIR)
    files = sorted(folder.glob("audit-digest-*.json")) if folder.is_dir() else []
    if not files:
        return None
    path = files[-1]
    try:
        digest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"file": path.name, "error": _("unreadable")}
    try:
        ledger.check_digest(digest)
        holds, problem = True, ""
    except ledger.DigestError as exc:
        holds, problem = False, str(exc)
    return {**digest, "file": path.name, "holds": holds, "problem": problem}


def _last_verification() -> dict | None:
    event = AuditEvent.objects.filter(kind="audit.verified").order_by("-seq").first()
    if event is None:
        return None
    return {"seq": event.seq, "at": event.at, "actor": selectors.user_label(event.actor), **selectors.payload_of(event)}


@officer_required
@require_GET
def integrity(request):
    head = AuditEvent.objects.order_by("-seq").values("seq", "hash", "at").first()
    return render(request, "compliance/integrity.html", {
        "head": head, "last": _last_verification(), "digest": latest_digest(), "run": None,
        "digest_dir": settings.AUDIT_DIGEST_DIR,
    })


@officer_required
@require_POST
def verify_start(request):
    run_id = tasks.new_run(actor=_actor(request))
    tasks.verify_ledger.delay(run_id, _actor(request))
    return render(request, "compliance/_verify_progress.html", {"run": tasks.read_state(run_id)})


@officer_required
@require_GET
def verify_progress(request, run_id: str):
    try:
        state = tasks.read_state(run_id)
    except ValueError:
        return HttpResponseBadRequest("bad run id")
    if state is None:
        raise Http404(_("No such verification run"))
    return render(request, "compliance/_verify_progress.html", {"run": state})


# --- rule packs ----------------------------------------------------------------------------------------------

@officer_required
@require_GET
def packs(request):
    registry = engine.DEFAULT
    now = timezone.now()
    rows = []
    for code in sorted(registry.packs):
        pack = registry.packs[code]
        try:
            in_force = pack.in_force(now).version
        except LookupError:
            in_force = None
        versions = []
        for version in sorted(pack.versions, key=lambda v: v.effective_from):
            versions.append({"version": version, "in_force": version.version == in_force, "rules": [
                {"rule": r, "enabled": registry.is_enabled(r),
                 "label": _("policy") if r.policy else _("law")} for r in version.rules]})
        rows.append({"pack": pack, "versions": versions, "in_force": in_force})
    from .packs import POLICY

    policy = POLICY.in_force(now)
    policy_rules = [{"rule": r, "enabled": registry.is_enabled(r), "label": _("policy")} for r in policy.rules]
    return render(request, "compliance/packs.html", {"packs": rows, "policy": policy, "policy_rules": policy_rules,
                                                     "registry_policy": registry.policy})


# --- retention ------------------------------------------------------------------------------------------------

@officer_required
@require_GET
def retention_page(request):
    report = retention.retention_report()
    return render(request, "compliance/retention.html", {
        "due": [r for r in report if r.due], "kept": [r for r in report if not r.due],
        "upcoming": retention.upcoming(),
    })


# --- exports --------------------------------------------------------------------------------------------------

@officer_required
@require_POST
def case_file(request, debtor_id: int):
    debtor = get_object_or_404(Debtor, pk=debtor_id)
    built = exports.build_case_file(debtor=debtor, actor=_actor(request))
    response = HttpResponse(built.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
    return response


def stream_period(filters, fmt, actor):
    try:
        export = exports.export_period(filters=filters, fmt=fmt, actor=actor)
    except exports.ExportError as exc:
        return HttpResponseBadRequest(str(exc))
    response = StreamingHttpResponse(export.rows, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Audit-Event"] = str(export.audit_event.seq)
    return response


@officer_required
@require_GET
def period_export(request):
    filters = selectors.AuditFilters.from_params(request.GET)
    return stream_period(filters, request.GET.get("format", "csv"), _actor(request))


# --- the audit API (/api/v1/audit/…) -----------------------------------------------------------------------------

class IsComplianceOfficer(BasePermission):
    message = "The audit API is for compliance officers."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(PERMISSION))


class EventCursor(CursorPagination):
    ordering = "seq"  # oldest first: a consumer syncs forward from its last cursor
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


class EventOutput(serializers.ModelSerializer):
    data = serializers.SerializerMethodField()
    case = serializers.IntegerField(source="case_id", allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["seq", "at", "actor", "case", "kind", "data", "prev_hash", "hash"]

    def get_data(self, event) -> dict:
        return selectors.payload_of(event)


class EventListApi(generics.ListAPIView):
    permission_classes = [IsComplianceOfficer]
    serializer_class = EventOutput
    pagination_class = EventCursor

    def get_queryset(self):
        filters = selectors.AuditFilters.from_params(self.request.query_params)
        if filters.errors:
            raise serializers.ValidationError({"filters": list(filters.errors)})
        return selectors.audit_events(filters)


class VerifyApi(APIView):
    permission_classes = [IsComplianceOfficer]

    def get(self, request):
        result = ledger.verify()
        return Response({"ok": result.ok, "events": result.events, "first_bad_seq": result.first_bad_seq,
                         "reason": result.reason, "head_seq": result.head_seq,
                         "head_hash": result.head_hash if result.ok else None})


class FormatIsTheExportFormat(DefaultContentNegotiation):
    """`?format=` names the export's file format here, not a DRF renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PeriodExportApi(APIView):
    permission_classes = [IsComplianceOfficer]
    content_negotiation_class = FormatIsTheExportFormat

    def get(self, request):
        filters = selectors.AuditFilters.from_params(request.query_params)
        fmt = request.query_params.get("format", "jsonl")
        if filters.errors or fmt not in exports.FORMATS:
            # As every 4xx of the API: JSON, naming each field at fault.
            problems = [*filters.errors, *([] if fmt in exports.FORMATS else
                                           [f"format: one of {', '.join(exports.FORMATS)}"])]
            return Response({"detail": "; ".join(problems), "filters": problems}, status=400)
        return stream_period(filters, fmt, _actor(request))


class CaseFileApi(APIView):
    permission_classes = [IsComplianceOfficer]

    def get(self, request, debtor_id: int):
        debtor = get_object_or_404(Debtor, pk=debtor_id)
        built = exports.build_case_file(debtor=debtor, actor=_actor(request))
        response = HttpResponse(built.content, content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="{built.filename}"'
        return response


class ReplayApi(APIView):
    permission_classes = [IsComplianceOfficer]

    def get(self, request, pk: int):
        attempt = get_object_or_404(ContactAttempt, pk=pk)
        try:
            return Response(replay.replay_attempt(attempt).to_dict())
        except replay.SnapshotError as exc:
            return Response({"detail": str(exc)}, status=409)
