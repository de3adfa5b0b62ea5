"""Exports for a regulator or a court: a debtor's case file (ZIP) and period exports of the
ledger (CSV, JSON Lines). Every export is itself audited (``audit.exported``).

A period export is bounded by the ledger's head at the moment it starts, so it is
reproducible and never contains its own audit event. A case file carries a signed digest
of the ledger's head taken while it is built (``ledger.make_digest``): every event in the
file has a sequence number at or below the digest's, and ``verify_audit --digest`` proves
the chain still holds that head.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from collections_app.models import (
    Case, ContactAttempt, ContactPoint, Debtor, Hold, Payment, PaymentPlan, PersonalDataReveal, PromiseToPay,
)
from collections_app.selectors import stage_log_of
from notices.models import Notice

from . import ledger
from .models import AuditEvent
from .selectors import AuditFilters, audit_events

FORMATS = ("csv", "jsonl")
EVENT_COLUMNS = ("seq", "at", "actor", "case_id", "kind", "payload", "prev_hash", "hash")


class ExportError(ValueError):
    pass


# --- period exports --------------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodExport:
    filename: str
    content_type: str
    head_seq: int
    audit_event: AuditEvent
    rows: Iterator[str]          # text, streamed (whole lines, not necessarily one per chunk)


def _event_rows(filters: AuditFilters, head_seq: int, chunk_size: int = 5000) -> Iterator[tuple]:
    # Oldest first, so a reader can re-chain the file. A server-side cursor keeps memory
    # flat however long the period.
    events = audit_events(filters).filter(seq__lte=head_seq).order_by("seq")
    return events.values_list(*EVENT_COLUMNS).iterator(chunk_size=chunk_size)


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterator[tuple]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\n")
    yield writer.writerow(EVENT_COLUMNS)
    for seq, at, actor, case_id, kind, payload, prev_hash, digest in rows:
        yield writer.writerow((seq, ledger.format_moment(at), actor, "" if case_id is None else case_id, kind,
                               payload, prev_hash, digest))


def jsonl_lines(rows: Iterator[tuple]) -> Iterator[str]:
    for seq, at, actor, case_id, kind, payload, prev_hash, digest in rows:
        # The payload is canonical JSON already: spliced in, so it is byte-identical to the ledger.
        yield (f'{{"seq":{seq},"at":"{ledger.format_moment(at)}","actor":{json.dumps(actor, ensure_ascii=False)},'
               f'"case":{"null" if case_id is None else case_id},"kind":{json.dumps(kind)},"data":{payload},'
               f'"prev_hash":"{prev_hash}","hash":"{digest}"}}\n')


_UTC_TEXT = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00'"
# The same text csv_lines and jsonl_lines write, made by PostgreSQL itself.
_SQL_COLUMNS = {
    "csv": ["seq", _UTC_TEXT, "actor", "case_id", "kind", "payload", "prev_hash", "hash"],
    "jsonl": ["""'{"seq":' || seq || ',"at":"' || """ + _UTC_TEXT + """ || '","actor":' || to_json(actor)::text ||"""
              """ ',"case":' || coalesce(case_id::text, 'null') || ',"kind":' || to_json(kind)::text ||"""
              """ ',"data":' || payload || ',"prev_hash":"' || prev_hash || '","hash":"' || hash || '"}'"""],
}
# jsonl: one raw value per line. CSV format with delimiter and quote characters that
# canonical JSON never contains unescaped makes COPY write the text as it is.
_COPY_OPTIONS = {"csv": "FORMAT csv", "jsonl": "FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01'"}


def _copy_chunks(filters: AuditFilters, head_seq: int, fmt: str) -> Iterator[str]:
    """PostgreSQL formats the rows and streams them with COPY: an order of magnitude
    faster than formatting each row in Python."""
    import codecs

    from django.db import connection
    from django.db.models.expressions import RawSQL

    # Each output column is an annotation (unqualified: the explorer's filters join no table),
    # selected in order; COPY takes the whole SELECT, WHERE and ORDER BY of the explorer.
    columns = {f"c{i}": RawSQL(expr, []) for i, expr in enumerate(_SQL_COLUMNS[fmt])}
    events = (audit_events(filters).filter(seq__lte=head_seq).order_by("seq")
              .annotate(**columns).values_list(*columns))
    sql, params = events.query.sql_with_params()
    statement = f"COPY ({sql}) TO STDOUT WITH ({_COPY_OPTIONS[fmt]})"
    if fmt == "csv":
        yield ",".join(EVENT_COLUMNS) + "\n"
    decoder = codecs.getincrementaldecoder("utf-8")()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(statement, params) as copy:
            for block in copy:
                text = decoder.decode(bytes(block))
                if text:
                    yield text
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


def export_period(*, filters: AuditFilters, fmt: str, actor: str) -> PeriodExport:
    """Audit the export, then return its text to stream (events up to the head at this moment)."""
    if fmt not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)}")
    if filters.errors:
        raise ExportError("; ".join(filters.errors))
    with transaction.atomic():
        head = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        event = ledger.append(kind="audit.exported", actor=actor, data={
            "export": "period", "format": fmt, "filters": filters.as_params(), "through_seq": head,
        })
    from django.db import connection

    if connection.vendor == "postgresql":
        lines = _copy_chunks(filters, head, fmt)
    else:
        rows = _event_rows(filters, head)
        lines = csv_lines(rows) if fmt == "csv" else jsonl_lines(rows)
    stamp = "-".join(filter(None, [filters.as_params().get("from"), filters.as_params().get("to")])) or "all"
    return PeriodExport(
        filename=f"audit-{stamp}-through-{head}.{fmt}",
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8",
        head_seq=head, audit_event=event, rows=lines,
    )


# --- the case file -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseFile:
    filename: str
    content: bytes
    manifest: dict
    audit_event: AuditEvent


def _csv(rows: list[dict], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (ledger.canonical_json(v) if isinstance(v, (dict, list)) else
                             ledger.format_moment(v) if isinstance(v, datetime) else v) for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def _jsonl(rows: list[dict]) -> bytes:
    return "".join(ledger.canonical_json(row) + "\n" for row in rows).encode("utf-8")


def _letter_pdf(notice: Notice) -> tuple[bytes | None, str]:
    """The letter as PDF: the rendered document when the print batch left one on disk,
    otherwise the notice re-rendered from today's data (marked as such)."""
    if notice.document:
        path = Path(notice.document)
        if not path.is_absolute():
            path = Path(settings.NOTICES_PRINT_DIR) / path
        if path.is_file() and path.suffix.lower() == ".pdf":
            return path.read_bytes(), "document on file"
    try:
        from notices.context import notice_context
        from notices.rendering import render_notice, render_pdf

        sent_on = timezone.localtime(notice.sent_at or notice.due_at).date()
        promise = None
        context = notice_context(notice.case, notice.kind, sent_on=sent_on, promise=promise)
        rendered = render_notice(notice.kind, context, language=notice.case.debtor.language, channel="letter")
        return render_pdf(rendered.html), "re-rendered at export from current data"
    except Exception as exc:  # noqa: BLE001 - a letter that cannot be rendered is listed, not fatal
        return None, f"not rendered: {type(exc).__name__}: {exc}"[:300]


def _rows(queryset, fields: list[str]) -> list[dict]:
    return [dict(r) for r in queryset.values(*fields)]


def build_case_file(*, debtor: Debtor, actor: str, render_letters: bool = True) -> CaseFile:
    """Every ledger event, contact attempt (with its full decision) and notice of the
    debtor's cases, the letters as PDFs, a manifest (file names and SHA-256) and the signed
    digest of the ledger the events verify against. Audited."""
    cases = list(Case.objects.filter(debtor=debtor).select_related("loan", "debtor").order_by("pk"))
    case_ids = [c.pk for c in cases]
    files: dict[str, bytes] = {}
    with transaction.atomic():
        # One snapshot: the digest names a head no event in the file is newer than.
        digest = ledger.make_digest()
        events = [
            {"seq": seq, "at": ledger.format_moment(at), "actor": actor_, "case": case_id, "kind": kind,
             "data": json.loads(payload), "prev_hash": prev, "hash": digest_}
            for seq, at, actor_, case_id, kind, payload, prev, digest_ in
            AuditEvent.objects.filter(case_id__in=case_ids, seq__lte=digest["seq"]).order_by("seq")
            .values_list(*EVENT_COLUMNS)
        ]
        attempt_fields = ["id", "case_id", "channel", "destination", "at", "actor_label", "outcome", "allowed",
                          "rule_ids", "citations", "pack", "pack_version", "message", "note", "source", "purpose",
                          "decision"]
        attempts = _rows(ContactAttempt.objects.filter(debtor=debtor).order_by("at", "pk"), attempt_fields)
        notice_qs = Notice.objects.filter(case_id__in=case_ids).select_related("case", "case__debtor").order_by("due_at", "pk")
        notice_fields = ["id", "case_id", "kind", "channel", "cycle", "idempotency_key", "status", "due_at",
                         "next_allowed_at", "sent_at", "delivery_id", "attempt_id", "document", "suppressed_by",
                         "last_error"]
        notices = _rows(notice_qs, notice_fields)
        profile = {
            "debtor": _rows(Debtor.objects.filter(pk=debtor.pk), ["id", "debtor_ref", "full_name", "language", "timezone"])[0],
            "contact_points": _rows(ContactPoint.objects.filter(debtor=debtor).order_by("pk"),
                                    ["id", "kind", "value", "country", "region", "postal_code", "is_workplace", "is_primary"]),
            "cases": [{"id": c.pk, "loan_ref": c.loan.loan_ref, "stage": c.stage, "jurisdiction": c.jurisdiction,
                       "collector_type": c.collector_type, "opened_at": c.opened_at, "balance": c.loan.balance,
                       "currency": c.loan.currency, "due_date": c.loan.due_date} for c in cases],
            "holds": _rows(Hold.objects.filter(debtor=debtor).order_by("pk"),
                           ["id", "case_id", "kind", "opened_at", "evidence", "closed_at", "close_reason"]),
            # The reasons given for stage moves; each case.stage_changed event names its entry
            # (state_log) and holds the reason's SHA-256.
            "stage_log": _rows(stage_log_of(case_ids).order_by("pk"),
                               ["id", "object_id", "timestamp", "transition", "source_state", "state", "by_id",
                                "description"]),
            # Who was shown the personal data and why (personal_data.revealed names each row).
            "reveals": _rows(PersonalDataReveal.objects.filter(case_id__in=case_ids).order_by("pk"),
                             ["id", "case_id", "revealed_by_id", "revealed_at", "reason"]),
            "promises": _rows(PromiseToPay.objects.filter(case_id__in=case_ids).order_by("pk"),
                              ["id", "case_id", "amount", "currency", "due_date", "status", "created_at"]),
            "payment_plans": _rows(PaymentPlan.objects.filter(case_id__in=case_ids).order_by("pk"),
                                   ["id", "case_id", "currency", "status", "created_at"]),
            "payments": _rows(Payment.objects.filter(loan__case__in=case_ids).order_by("pk"),
                              ["id", "loan_id", "external_ref", "amount", "currency", "received_on", "posted_at"]),
        }
    files["events.jsonl"] = _jsonl(events)
    files["attempts.jsonl"] = _jsonl(attempts)
    files["attempts.csv"] = _csv(attempts, attempt_fields)
    files["notices.csv"] = _csv(notices, notice_fields)
    files["debtor.json"] = (ledger.canonical_json(profile) + "\n").encode("utf-8")
    letters = []
    if render_letters:
        for notice in notice_qs.filter(channel="letter", status__in=[Notice.Status.SENT, Notice.Status.SENDING]):
            pdf, how = _letter_pdf(notice)
            name = f"letters/{notice.idempotency_key.replace(':', '_')}.pdf"
            if pdf is not None:
                files[name] = pdf
            letters.append({"notice": notice.pk, "file": name if pdf is not None else None, "source": how})
    files["digest.json"] = (ledger.canonical_json(digest) + "\n").encode("utf-8")
    manifest = {
        "kind": "dunwell.case_file",
        "debtor": {"id": debtor.pk, "debtor_ref": debtor.debtor_ref},
        "cases": case_ids,
        "generated_at": ledger.format_moment(timezone.now()),
        "generated_by": actor,
        "digest": digest,
        "counts": {"events": len(events), "attempts": len(attempts), "notices": len(notices), "letters": len(letters)},
        "letters": letters,
        "files": [{"name": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                  for name, data in sorted(files.items())],
        "how_to_verify": ("Each file's SHA-256 is listed here. digest.json is the HMAC-signed head of the audit "
                          "ledger when this file was made; every event in events.jsonl has seq <= digest.seq. "
                          "`manage.py verify_audit --digest digest.json` proves the ledger still holds it."),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True,
                                                     default=ledger._default) + "\n")
    content = buffer.getvalue()
    event = ledger.append(kind="audit.exported", actor=actor, data={
        "export": "case_file", "debtor": debtor.pk, "cases": case_ids, "through_seq": digest["seq"],
        "files": len(files) + 1, "sha256": hashlib.sha256(content).hexdigest(),
    })
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return CaseFile(filename=f"case-file-{debtor.debtor_ref}-{stamp}.zip", content=content, manifest=manifest,
                    audit_event=event)
