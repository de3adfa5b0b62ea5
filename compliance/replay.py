"""Replaying a recorded contact decision.

The gate stores, with every attempt, the decision and a plain-data snapshot of the
engine's ``ContactRequest`` (``gate.request_snapshot``: dataclasses as dicts, tuples as
lists, moments as ISO 8601). This module turns that snapshot back into the engine's
dataclasses, then decides it twice:

* **replayed**: under the pack versions the stored decision names (``engine.replay``), which
  must give the recorded outcome again: proof of what the rules said on the day;
* **today**: under the pack versions in force now (``engine.evaluate`` with current
  versions), which tells the officer whether today's rules would still agree.

Plain Python over the engine; the only ORM use is reading the attempt in ``replay_attempt``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Mapping

from compliance import engine

REDACTED_KEY = "redaction"  # set on ContactAttempt.decision by compliance.retention


class SnapshotError(ValueError):
    """The stored request cannot be rebuilt (redacted, or from an incompatible engine)."""


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        # The engine uses `from __future__ import annotations`: resolve the strings once.
        found = _HINTS[cls] = typing.get_type_hints(cls, vars(engine))
    return found


def _convert(value: Any, hint: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        last_error: Exception | None = None
        for option in options:
            try:
                return _convert(value, option)
            except (TypeError, ValueError) as exc:
                last_error = exc
        raise SnapshotError(f"cannot read {value!r} as {hint}: {last_error}")
    if origin is tuple:
        args = typing.get_args(hint)
        item = args[0] if args else Any
        return tuple(_convert(v, item) for v in value)
    if origin in (dict, Mapping, typing.Mapping) or hint in (dict, Mapping):
        return dict(value)
    if hint is datetime:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        if not isinstance(moment, datetime):
            raise ValueError(f"not a moment: {value!r}")
        return moment
    if hint is date:
        return date.fromisoformat(value) if isinstance(value, str) else value
    if hint is time:
        return time.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, Mapping):
            raise ValueError(f"{hint.__name__} needs a mapping, got {type(value).__name__}")
        return build(hint, value)
    if hint in (str, int, bool, float) and not isinstance(value, hint):
        raise ValueError(f"{value!r} is not a {hint.__name__}")
    return value


def build(cls: type, data: Mapping[str, Any]):
    """A dataclass of ``cls`` from its plain-data form; unknown keys (from a newer engine)
    are an error, missing keys take the dataclass default."""
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise SnapshotError(f"{cls.__name__} has no field(s) {sorted(unknown)}")
    return cls(**{name: _convert(value, hints[name]) for name, value in data.items()})


def request_from_snapshot(snapshot: Mapping[str, Any]) -> engine.ContactRequest:
    """The engine request the gate decided, rebuilt from ``decision["request"]``."""
    if not snapshot:
        raise SnapshotError("the attempt holds no request snapshot (imported history is not replayable)")
    if snapshot.get(REDACTED_KEY):
        raise SnapshotError("the request's personal data was redacted under retention; it cannot be replayed")
    try:
        return build(engine.ContactRequest, snapshot)
    except (TypeError, ValueError, KeyError) as exc:
        if isinstance(exc, SnapshotError):
            raise
        raise SnapshotError(f"the stored request cannot be rebuilt: {exc}") from exc


def current_versions(jurisdiction: str, *, moment: datetime | None = None,
                     registry: engine.PackRegistry | None = None) -> dict[str, str]:
    """The pack versions in force at ``moment`` (default: now) for a jurisdiction."""
    from django.utils.timezone import now

    registry = registry or engine.DEFAULT
    at = moment or now()
    return {layer.code: layer.version for layer in registry.layers(jurisdiction, at)}


@dataclass(frozen=True)
class ReplayResult:
    recorded: dict                 # the stored decision (without the request snapshot)
    replayed: engine.Decision      # under the stored pack versions
    today: engine.Decision         # under the pack versions in force now
    today_versions: dict

    @property
    def reproduces_record(self) -> bool:
        """The replay under the recorded versions gives the recorded outcome and rules."""
        return (self.replayed.allowed == self.recorded.get("allowed")
                and list(self.replayed.rule_ids) == [r["rule_id"] for r in self.recorded.get("reasons", [])])

    @property
    def today_agrees(self) -> bool:
        """Today's engine reaches the same outcome with the same blocking rules."""
        return self.today.allowed == self.replayed.allowed and set(self.today.rule_ids) == set(self.replayed.rule_ids)

    def to_dict(self) -> dict:
        return {
            "reproduces_record": self.reproduces_record,
            "today_agrees": self.today_agrees,
            "recorded": {k: self.recorded.get(k) for k in ("allowed", "pack_version", "pack_versions")}
                        | {"rules": [r["rule_id"] for r in self.recorded.get("reasons", [])]},
            "replayed": _summary(self.replayed),
            "today": _summary(self.today),
            "today_versions": self.today_versions,
        }


def _summary(decision: engine.Decision) -> dict:
    return {"allowed": decision.allowed, "rules": list(decision.rule_ids), "pack_version": decision.pack_version,
            "pack_versions": dict(decision.pack_versions)}


def replay_decision(stored: Mapping[str, Any], *, now_moment: datetime | None = None) -> ReplayResult:
    """Replay a stored decision dict (``ContactAttempt.decision``: the decision plus "request")."""
    if stored.get(REDACTED_KEY):
        raise SnapshotError("the request's personal data was redacted under retention; it cannot be replayed")
    request = request_from_snapshot(stored.get("request") or {})
    recorded = {k: v for k, v in stored.items() if k != "request"}
    replayed = engine.replay(request, recorded)
    versions = current_versions(request.facts.jurisdiction, moment=now_moment)
    today = engine.evaluate(request, versions=versions)
    return ReplayResult(recorded=recorded, replayed=replayed, today=today, today_versions=versions)


def replay_attempt(attempt, *, now_moment: datetime | None = None) -> ReplayResult:
    """Replay one ContactAttempt row (reads nothing else from the database)."""
    return replay_decision(attempt.decision or {}, now_moment=now_moment)
