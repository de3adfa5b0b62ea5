"""Celery tasks of the audit view. Each loads what it needs and calls one service.

Verification progress is written to a small JSON file per run under
``VAR_DIR/verify/<run id>.json`` (the web process polls it through htmx). A file, not the
Django cache: the settings configure no shared cache, and the worker and the web server
are different processes.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from . import ledger
from .models import AuditEvent

_RUN_ID = re.compile(r"^[0-9a-f]{32}$")


def runs_dir() -> Path:
    return Path(settings.VAR_DIR) / "verify"


def run_path(run_id: str) -> Path:
    if not _RUN_ID.match(run_id or ""):
        raise ValueError("not a verification run id")
    return runs_dir() / f"{run_id}.json"


def write_state(run_id: str, **state) -> dict:
    folder = runs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = run_path(run_id)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)  # atomic: a poll never reads half a file
    return state


def read_state(run_id: str) -> dict | None:
    try:
        return json.loads(run_path(run_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def last_run() -> dict | None:
    """The most recent finished verification (by file time)."""
    folder = runs_dir()
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
        state = read_state(path.stem)
        if state and state.get("status") in ("ok", "broken", "failed"):
            return state
    return None


def new_run(*, actor: str) -> str:
    run_id = uuid.uuid4().hex
    total = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
    write_state(run_id, run=run_id, status="queued", done=0, total=total, actor=actor,
                queued_at=ledger.format_moment(timezone.now()))
    return run_id


@shared_task(name="compliance.verify_ledger")
def verify_ledger(run_id: str, actor: str = "system") -> dict:
    """Verify the whole chain, writing progress as it goes, and audit the result."""
    state = read_state(run_id) or {"run": run_id, "actor": actor}
    total = AuditEvent.objects.aggregate(m=Max("seq"))["m"] or 0
    started = timezone.now()
    state.update(status="running", done=0, total=total, started_at=ledger.format_moment(started))
    write_state(run_id, **state)

    def progress(count: int) -> None:
        write_state(run_id, **{**state, "done": count})

    try:
        result = ledger.verify(progress=progress, chunk_size=max(min(total // 50, 50_000), 1000))
    except Exception as exc:  # noqa: BLE001 - the page must show that the run died
        return write_state(run_id, **{**state, "status": "failed", "reason": f"{type(exc).__name__}: {exc}"})
    finished = timezone.now()
    event = ledger.append(kind="audit.verified", actor=actor, data={
        "ok": result.ok, "events": result.events, "first_bad_seq": result.first_bad_seq,
        "head_seq": result.head_seq, "head_hash": result.head_hash if result.ok else None,
    })
    return write_state(run_id, **{
        **state, "status": "ok" if result.ok else "broken", "done": result.events, "total": max(total, result.events),
        "ok": result.ok, "events": result.events, "first_bad_seq": result.first_bad_seq, "reason": result.reason,
        "head_seq": result.head_seq, "head_hash": result.head_hash, "finished_at": ledger.format_moment(finished),
        "seconds": round((finished - started).total_seconds(), 2), "audit_seq": event.seq,
    })


@shared_task(name="compliance.audit_digest")
def audit_digest() -> dict:
    """The daily signed digest of the ledger's head, kept outside the database."""
    digest, path = ledger.write_digest()
    return {"seq": digest["seq"], "hash": digest["hash"], "path": str(path)}
