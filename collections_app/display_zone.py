"""The time zone the web pages write times in, chosen by each member of staff.

Times are stored in UTC. A collector in Chicago reads "next lawful moment 08:00 CST", not a
UTC time to convert in their head. The choice is kept in StaffPreference (so it survives
signing out) and copied into the session at sign-in, so that a page costs no query for it.
Installations set the default with DUNWELL_DISPLAY_TIME_ZONE. The audit pages keep writing
UTC, the ledger's own time, whatever the choice.
"""

from __future__ import annotations

from functools import lru_cache, wraps
from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import StaffPreference

SESSION_KEY = "dunwell_time_zone"
API_PREFIX = "/api/"
# Offered first in the header; any IANA zone can be chosen.
COMMON_ZONES = (
    "UTC", "America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
    "America/Anchorage", "Pacific/Honolulu", "Europe/London", "Asia/Shanghai",
)


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def default_zone() -> str:
    return settings.DUNWELL_DISPLAY_TIME_ZONE


def choose(*, user, session, zone: str) -> str:
    """Remember `zone` for this user (and this session)."""
    zone = (zone or "").strip()
    if zone not in known_zones():
        raise ValidationError({"time_zone": f"unknown time zone {zone!r}: give an IANA name such as America/Chicago"})
    StaffPreference.objects.update_or_create(user=user, defaults={"time_zone": zone})
    session[SESSION_KEY] = zone
    return zone


def on_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: bring the saved choice into the new session."""
    zone = StaffPreference.objects.filter(user=user).values_list("time_zone", flat=True).first()
    if zone in known_zones():
        request.session[SESSION_KEY] = zone


class DisplayTimeZoneMiddleware:
    """Activates the session's time zone (else the installation's default) for the pages.
    The API is left in UTC: what an integration reads must not depend on how a person
    chose to see the pages, and its datetimes carry their offset anyway."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        session = getattr(request, "session", None)
        zone = session.get(SESSION_KEY) if session is not None else None
        if zone not in known_zones():  # none chosen, or a zone the tz database no longer has
            zone = default_zone()
        timezone.activate(ZoneInfo(zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def context(request) -> dict:
    """Template context processor: the zone the person chose (the audit pages write UTC
    whatever it is) and the zones the header offers."""
    session = getattr(request, "session", None)
    chosen = session.get(SESSION_KEY) if session is not None else None
    return {"CHOSEN_ZONE": chosen if chosen in known_zones() else default_zone(), "COMMON_ZONES": COMMON_ZONES}


def in_utc(view):
    """For the audit pages: the ledger's times are UTC, and an officer comparing a page with
    an export or a digest must read the same numbers, whatever zone they chose."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with timezone.override(ZoneInfo("UTC")):
            return view(request, *args, **kwargs)

    return wrapped
