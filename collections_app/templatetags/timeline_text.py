"""The case timeline in words a collector reads: the ledger's acts (stage changes,
assignments, placements…) as sentences in the page's language instead of their stored
JSON, and actors as names instead of ledger labels."""

import json

from django import template
from django.utils.translation import gettext as _

from collections_app.models import Stage

register = template.Library()


def _stage(code) -> str:
    try:
        return str(Stage(code).label)
    except ValueError:
        return str(code)


def _sentence(kind: str, data: dict) -> tuple[str, str]:
    """(what happened, the reason or details given) for one ledger event."""
    if kind == "case.stage_changed":
        return (_("Stage changed from %(source)s to %(target)s")
                % {"source": _stage(data.get("from")), "target": _stage(data.get("to"))}, data.get("reason", ""))
    if kind == "case.assigned":
        if data.get("collector") is None:
            return _("Case unassigned"), ""
        return _("Case assigned to collector no. %(collector)s") % {"collector": data["collector"]}, ""
    if kind == "placement.created":
        return _("Placed with %(agency)s (%(count)s contacts handed over)") % {
            "agency": data.get("agency", ""), "count": data.get("contacts_handed_over", 0)}, data.get("reason", "")
    if kind == "placement.recalled":
        return _("Recalled from the agency"), data.get("reason", "")
    if kind == "payment_plan.created":
        return _("Payment plan of %(count)s instalments agreed") % {"count": len(data.get("instalments", ()))}, ""
    if kind == "personal_data.revealed":
        return _("Personal data revealed"), data.get("reason", "")
    if kind == "notice.composed":
        return _("Message written in the composer (notice no. %(notice)s)") % {"notice": data.get("notice")}, ""
    return kind, ""


@register.simple_tag
def ledger_event(kind: str, payload) -> dict:
    """{"title", "detail"} for a ledger event shown on the timeline."""
    data = json.loads(payload) if isinstance(payload, str) else (payload or {})
    title, detail = _sentence(kind, data if isinstance(data, dict) else {})
    return {"title": title, "detail": detail}


@register.filter
def actor_name(label: str) -> str:
    """`user:7:maria` → maria; `job:advance_stages` → scheduled job advance_stages."""
    if not label:
        return ""
    source, _sep, rest = label.partition(":")
    if source == "user":
        return rest.partition(":")[2] or rest
    if source == "job":
        return _("scheduled job %(job)s") % {"job": rest}
    if source == "system":
        return _("system")
    return label
