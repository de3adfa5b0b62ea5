"""The one door for every contact.

`check` decides without writing. `record` locks the debtor, decides again on fresh
history, and writes the ContactAttempt (allowed or blocked) and its audit event in one
transaction — so two collectors clicking at once cannot both pass a frequency cap, and a
blocked attempt is never lost.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import transaction
from django.utils.timezone import now

from collections_app.models import Case, ContactAttempt, ContactOutcome, ContactPoint, Debtor

from . import engine, ledger
from .facts import case_facts

# Which kind of contact point each channel reaches by default.
CHANNEL_POINT = {"call": "phone", "sms": "phone", "email": "email", "letter": "address", "visit": "address"}


def default_destination(case: Case, channel: str) -> str:
    kind = CHANNEL_POINT.get(channel)
    if kind is None:
        return ""
    point = (
        ContactPoint.objects.filter(debtor_id=case.debtor_id, kind=kind)
        .order_by("-is_primary", "pk").values_list("value", flat=True).first()
    )
    return point or ""


def _request(case: Case, *, channel: str, at: datetime, destination: str, message: str | None,
             language: str | None, purpose: str, **extra) -> engine.ContactRequest:
    return engine.ContactRequest(
        channel=channel, moment=at, facts=case_facts(case, at=at), destination=destination, message=message,
        language=language or case.debtor.language, purpose=purpose, **extra,
    )


def check(*, case: Case, channel: str, at: datetime | None = None, destination: str | None = None,
          message: str | None = None, language: str | None = None, purpose: str = "collection",
          **extra) -> engine.Decision:
    """May we make this contact at `at` (default: now)? Writes nothing."""
    at = at or now()
    if destination is None:
        destination = default_destination(case, channel)
    return engine.evaluate(_request(case, channel=channel, at=at, destination=destination, message=message,
                                    language=language, purpose=purpose, **extra))


@dataclass(frozen=True)
class Recorded:
    decision: engine.Decision
    attempt: ContactAttempt


def record(*, case: Case, channel: str, outcome: str, by=None, job: str | None = None,
           destination: str | None = None, message: str | None = None, note: str = "",
           language: str | None = None, purpose: str = "collection", with_consent: bool = False,
           at: datetime | None = None, **extra) -> Recorded:
    """Decide and record one contact attempt. A blocked attempt is recorded too, with the
    outcome `not_attempted` and the rules that stopped it."""
    if outcome not in ContactOutcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    if destination is None:
        destination = default_destination(case, channel)
    with transaction.atomic():
        # One debtor at a time: the caps count every attempt committed before this one.
        Debtor.objects.select_for_update().filter(pk=case.debtor_id).values_list("pk", flat=True).get()
        moment = at or now()
        request = _request(case, channel=channel, at=moment, destination=destination, message=message,
                           language=language, purpose=purpose, **extra)
        decision = engine.evaluate(request)
        stored = decision.to_dict()
        stored["request"] = request_snapshot(request)
        attempt = ContactAttempt.objects.create(
            case=case, debtor_id=case.debtor_id, channel=channel, destination=destination, at=moment,
            actor=by, actor_label=ledger.actor_label(by, job=job),
            outcome=outcome if decision.allowed else ContactOutcome.NOT_ATTEMPTED,
            allowed=decision.allowed, rule_ids=list(decision.rule_ids),
            citations=[r.citation for r in decision.reasons], pack=decision.pack,
            pack_version=decision.pack_version, message=message or "", note=note, purpose=purpose,
            with_consent=with_consent, decision=stored,
        )
        # The ledger names the attempt and the decision, not the destination or the words:
        # those are personal data kept (and one day purged) in the attempt's row.
        ledger.append(
            kind="contact.allowed" if decision.allowed else "contact.blocked",
            actor=attempt.actor_label, case=case,
            data={
                "attempt": attempt.pk, "channel": channel, "outcome": attempt.outcome, "allowed": decision.allowed,
                "rules": list(decision.rule_ids), "citations": attempt.citations,
                "warnings": [w.rule_id for w in decision.warnings], "pack_version": decision.pack_version,
                "decision_sha256": hashlib.sha256(ledger.canonical_json(stored).encode()).hexdigest(),
            },
            at=moment,
        )
    return Recorded(decision, attempt)


def request_snapshot(request: engine.ContactRequest) -> dict:
    """The request as plain JSON data (facts included), kept with the attempt for replay."""
    return json.loads(ledger.canonical_json(asdict(request)))
