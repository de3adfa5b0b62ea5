"""Where is the consumer, and what time is it there?

12 CFR 1006.6(b)(1)(i) and comment 6(b)(1)(i)-2: when a collector has conflicting or
incomplete information about the consumer's location, a moment is convenient only if
it is convenient in *every* location the collector knows of.  This module therefore
works with a set of *candidate* time zones (explicit zone, postal address, each phone
number's area code) and with daily windows expressed in local wall-clock time.

Plain Python (zoneinfo + phonenumbers); no Django, no database.
"""

from __future__ import annotations

import math
import os
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Iterable, Sequence
from zoneinfo import ZoneInfo

import phonenumbers
from phonenumbers import timezone as phone_timezones

UTC = timezone.utc
UNKNOWN_ZONE = "Etc/Unknown"


MIDNIGHT = time(0)


@dataclass(frozen=True)
class DailyWindow:
    """Local wall-clock window [start, end) repeated every day (end may be midnight: time(0))."""

    start: time
    end: time

    def __post_init__(self):
        # Worked out once: windows are checked on every decision.
        object.__setattr__(self, "_to_midnight", self.end == MIDNIGHT)
        object.__setattr__(self, "_wraps", not (self.start <= self.end or self.end == MIDNIGHT))
        object.__setattr__(self, "_hash", hash((self.start, self.end)))
        object.__setattr__(self, "_start_us", _micros_of_day(self.start))
        object.__setattr__(self, "_end_us", _micros_of_day(self.end))
        # Equal windows have equal bounds: a key that hashes and compares without Python code.
        object.__setattr__(self, "bounds", (self._start_us, self._end_us))

    def __hash__(self) -> int:
        return self._hash

    def contains(self, wall: time) -> bool:
        if self._wraps:
            return wall >= self.start or wall < self.end  # window wrapping midnight
        # 21:00 itself is outside: "after 9 p.m." is read conservatively as [08:00, 21:00).
        return self.start <= wall and (self._to_midnight or wall < self.end)

    def contains_micros(self, wall: int) -> bool:
        """``contains`` for a wall-clock time given in microseconds since local midnight."""
        if self._wraps:
            return wall >= self._start_us or wall < self._end_us
        return self._start_us <= wall and (self._to_midnight or wall < self._end_us)


def _micros_of_day(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


# --- candidate zones ---------------------------------------------------------------

# US states spanning more than one zone (IANA zones currently used in each part).
# Source: tz database zone.tab comments; a state-level address therefore yields all of them.
US_STATE_ZONES: dict[str, tuple[str, ...]] = {
    "AL": ("America/Chicago",), "AK": ("America/Anchorage", "America/Juneau", "America/Sitka",
           "America/Metlakatla", "America/Yakutat", "America/Nome", "America/Adak"),
    "AZ": ("America/Phoenix", "America/Denver"),  # Navajo Nation observes DST
    "AR": ("America/Chicago",), "CA": ("America/Los_Angeles",), "CO": ("America/Denver",),
    "CT": ("America/New_York",), "DE": ("America/New_York",), "DC": ("America/New_York",),
    "FL": ("America/New_York", "America/Chicago"),  # panhandle west of the Apalachicola
    "GA": ("America/New_York",), "HI": ("Pacific/Honolulu",),
    "ID": ("America/Boise", "America/Los_Angeles"),
    "IL": ("America/Chicago",),
    "IN": ("America/Indiana/Indianapolis", "America/Chicago"),
    "IA": ("America/Chicago",),
    "KS": ("America/Chicago", "America/Denver"),
    "KY": ("America/New_York", "America/Chicago"),
    "LA": ("America/Chicago",), "ME": ("America/New_York",), "MD": ("America/New_York",),
    "MA": ("America/New_York",),
    "MI": ("America/Detroit", "America/Menominee"),
    "MN": ("America/Chicago",), "MS": ("America/Chicago",), "MO": ("America/Chicago",),
    "MT": ("America/Denver",),
    "NE": ("America/Chicago", "America/Denver"),
    "NV": ("America/Los_Angeles", "America/Denver"),  # West Wendover
    "NH": ("America/New_York",), "NJ": ("America/New_York",), "NM": ("America/Denver",),
    "NY": ("America/New_York",), "NC": ("America/New_York",),
    "ND": ("America/Chicago", "America/Denver"),
    "OH": ("America/New_York",), "OK": ("America/Chicago",),
    "OR": ("America/Los_Angeles", "America/Boise"),
    "PA": ("America/New_York",), "RI": ("America/New_York",), "SC": ("America/New_York",),
    "SD": ("America/Chicago", "America/Denver"),
    "TN": ("America/New_York", "America/Chicago"),
    "TX": ("America/Chicago", "America/Denver"),  # El Paso
    "UT": ("America/Denver",), "VT": ("America/New_York",), "VA": ("America/New_York",),
    "WA": ("America/Los_Angeles",), "WV": ("America/New_York",), "WI": ("America/Chicago",),
    "WY": ("America/Denver",),
    "PR": ("America/Puerto_Rico",), "GU": ("Pacific/Guam",), "VI": ("America/St_Thomas",),
}


@lru_cache(maxsize=1)
def _country_zone_table() -> dict[str, tuple[str, ...]]:
    import tzdata

    path = os.path.join(os.path.dirname(tzdata.__file__), "zoneinfo", "zone.tab")
    table: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            table.setdefault(parts[0], []).append(parts[2])
    return {country: tuple(zones) for country, zones in table.items()}


def country_zones(country: str) -> tuple[str, ...]:
    """Every zone in use in a country (tz database zone.tab); the conservative fallback."""
    return _country_zone_table().get(country.upper(), ())


def address_zones(country: str, region: str | None = None, postal_code: str | None = None) -> tuple[str, ...]:
    """Zones a postal address may lie in.

    A US state spanning several zones yields all of them; an unknown or missing region
    yields, conservatively, every zone of the country.  The postal code is accepted for
    the record but not used to narrow a state down: a wrong narrowing would be a violation,
    an over-broad set is only cautious.
    """
    country = (country or "").upper()
    region = (region or "").upper().split("-")[-1]
    if country == "US" and region in US_STATE_ZONES:
        return US_STATE_ZONES[region]
    if country == "CN":
        return ("Asia/Shanghai",) if region not in ("XJ", "65") else ("Asia/Shanghai", "Asia/Urumqi")
    if country == "GB":
        return ("Europe/London",)
    return country_zones(country)


@lru_cache(maxsize=4096)
def phone_zones(number: str, default_country: str | None = None) -> tuple[str, ...]:
    """Zones of a phone number's area code (phonenumbers); unknown → all of its country.

    Non-geographic numbers (toll-free, shared cost) return dozens of zones across the
    numbering plan; they are narrowed to the number's own country, never widened beyond it.
    """
    region = default_country if default_country and len(default_country) == 2 else None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return country_zones(default_country or "") if default_country else ()
    country = phonenumbers.region_code_for_number(parsed) or (default_country or "")
    zones = ()
    if phonenumbers.is_valid_number(parsed):
        zones = tuple(z for z in phone_timezones.time_zones_for_number(parsed) if z != UNKNOWN_ZONE)
    own = country_zones(country)
    if not zones:
        return own
    if own and len(zones) > 1:
        narrowed = tuple(z for z in zones if z in own)
        return narrowed or own
    return zones


def candidate_zones(
    *,
    explicit: str | None = None,
    addresses: Iterable[tuple[str, str | None, str | None]] = (),
    phones: Iterable[str] = (),
    country: str | None = None,
) -> tuple[str, ...]:
    """All zones the consumer may be in (comment 6(b)(1)(i)-2): the union of every source.

    If nothing at all is known, every zone of the case's country.
    """
    seen: dict[str, None] = {}
    if explicit:
        seen[explicit] = None
    for addr_country, region, postal in addresses:
        for zone in address_zones(addr_country, region, postal):
            seen[zone] = None
    for number in phones:
        for zone in phone_zones(number, country):
            seen[zone] = None
    if not seen and country:
        for zone in address_zones(country):
            seen[zone] = None
    return tuple(seen)


# --- instants and local wall-clock time -----------------------------------------------

@lru_cache(maxsize=None)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_wall(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name))


# --- the same on integers ---------------------------------------------------------------
#
# The engine asks for many local times and dates per decision (time windows, calendar-day
# caps over the history); on integers they need no datetime objects.  Each zone's UTC
# offsets are kept as tables of transitions, read from zoneinfo itself (so they agree with
# astimezone) and built lazily for spans of about seven weeks; the local time of an epoch
# second is then a lookup and an addition.

DAY = 86400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_SPAN_BITS = 22                   # spans of 2**22 s (48.5 days)
_SAMPLE = 3 * 3600                # no zone changes its offset twice within three hours
_OFFSETS: dict[str, dict[int, tuple[list[int], list[int]]]] = {}      # zone → span → (starts, offsets)
_LAST_SEGMENT: dict[str, tuple[int, int, int]] = {}                   # zone → (from, until, offset)


def epoch_seconds(moment: datetime) -> int:
    """Whole seconds since 1970-01-01 UTC (floored) of an aware moment."""
    return math.floor(moment.timestamp())


def _zone_offset(zone_name: str, epoch: int) -> int:
    return int(datetime.fromtimestamp(epoch, zone(zone_name)).utcoffset().total_seconds())


def _offset_span(zone_name: str, span: int) -> tuple[list[int], list[int]]:
    """Transition instants within one span and the offset from each on: sampled every
    ``_SAMPLE`` seconds, each change located to the second."""
    start = span << _SPAN_BITS
    end = start + (1 << _SPAN_BITS)
    starts, offsets = [start], [_zone_offset(zone_name, start)]
    t = start
    while t < end:
        following_at = min(t + _SAMPLE, end)
        following = _zone_offset(zone_name, following_at)
        if following != offsets[-1]:
            lo, hi = t, following_at
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _zone_offset(zone_name, mid) == offsets[-1]:
                    lo = mid
                else:
                    hi = mid
            starts.append(hi)
            offsets.append(following)
        t = following_at
    return starts, offsets


def utc_offset(epoch: int, zone_name: str) -> int:
    """The UTC offset in seconds in ``zone_name`` at epoch second ``epoch``."""
    # Consecutive questions about a zone mostly fall between the same two transitions.
    last = _LAST_SEGMENT.get(zone_name)
    if last is not None and last[0] <= epoch < last[1]:
        return last[2]
    starts, offsets = _offset_table(epoch, zone_name)
    i = bisect_right(starts, epoch)
    until = starts[i] if i < len(starts) else ((epoch >> _SPAN_BITS) + 1) << _SPAN_BITS
    _LAST_SEGMENT[zone_name] = (starts[i - 1], until, offsets[i - 1])
    return offsets[i - 1]


def _offset_table(epoch: int, zone_name: str) -> tuple[list[int], list[int]]:
    """The transitions of the span holding ``epoch``."""
    spans = _OFFSETS.get(zone_name)
    if spans is None:
        spans = _OFFSETS[zone_name] = {}
    table = spans.get(epoch >> _SPAN_BITS)
    if table is None:
        table = spans[epoch >> _SPAN_BITS] = _offset_span(zone_name, epoch >> _SPAN_BITS)
    return table


def local_days(epochs: Sequence[int], zone_name: str) -> list[int]:
    """``local_day`` of each of ``epochs`` (ascending): usually all share one UTC offset."""
    if not epochs:
        return []
    first, last = epochs[0], epochs[-1]
    starts, offsets = _offset_table(first, zone_name)
    i = bisect_right(starts, first)  # the offset of offsets[i - 1] holds until starts[i] or the span's end
    until = starts[i] if i < len(starts) else ((first >> _SPAN_BITS) + 1) << _SPAN_BITS
    if last < until:
        offset = offsets[i - 1]
        return [(epoch + offset) // DAY for epoch in epochs]
    return [(epoch + utc_offset(epoch, zone_name)) // DAY for epoch in epochs]


def local_day(epoch: int, zone_name: str) -> int:
    """The local date in ``zone_name`` of epoch second ``epoch``, as days since 1970-01-01."""
    return (epoch + utc_offset(epoch, zone_name)) // DAY


def day_date(day: int) -> date:
    return date.fromordinal(_EPOCH_ORDINAL + day)


def date_day(day: date) -> int:
    return day.toordinal() - _EPOCH_ORDINAL


def allowed_at(epoch: int, micros: int, zones: Sequence[str], window: DailyWindow,
               blocked: Sequence[DailyWindow] = ()) -> bool:
    """``is_allowed`` for the moment ``epoch`` seconds + ``micros`` microseconds."""
    for z in zones:
        wall = (epoch + utc_offset(epoch, z)) % DAY * 1_000_000 + micros
        if not window.contains_micros(wall):
            return False
        for b in blocked:
            if b.contains_micros(wall):
                return False
    return True


def allowed_in_zone(moment: datetime, zone_name: str, window: DailyWindow) -> bool:
    """Is the local wall-clock time of ``moment`` in ``zone_name`` inside the window?"""
    return window.contains(local_wall(moment, zone_name).time())


def allowed_in_all(moment: datetime, zones: Sequence[str], window: DailyWindow) -> bool:
    """US.TIME.AMBIGUOUS: allowed only if allowed in every candidate zone."""
    return all(allowed_in_zone(moment, z, window) for z in zones)


def wall_to_utc(day: date, wall: time, zone_name: str) -> datetime:
    """First instant at which the local clock in ``zone_name`` shows ``wall`` or later on ``day``.

    Handles DST: a wall time inside a spring-forward gap maps to the end of the gap; a
    repeated wall time (fall-back) maps to its first occurrence.
    """
    tz = zone(zone_name)
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == naive:
        return first
    # Inside a gap: the wall time never shows; the clock jumps over it at the transition.
    lo = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = first
    if lo > hi:
        lo, hi = hi, lo
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if mid.astimezone(tz).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0) if hi.microsecond else hi


Interval = tuple[datetime, datetime]


@lru_cache(maxsize=65536)
def _day_intervals(zone_name: str, day: date, window: DailyWindow) -> tuple[Interval, ...]:
    end_day = day + timedelta(days=1) if window.end == time(0) else day
    if window.start <= window.end or window.end == time(0):
        return ((wall_to_utc(day, window.start, zone_name), wall_to_utc(end_day, window.end, zone_name)),)
    # Window wrapping midnight: [00:00, end) and [start, 24:00).
    return (
        (wall_to_utc(day, time(0), zone_name), wall_to_utc(day, window.end, zone_name)),
        (wall_to_utc(day, window.start, zone_name), wall_to_utc(day + timedelta(days=1), time(0), zone_name)),
    )


def zone_intervals(zone_name: str, start: datetime, days: int, window: DailyWindow) -> list[Interval]:
    first_day = local_wall(start, zone_name).date() - timedelta(days=1)
    out: list[Interval] = []
    for offset in range(days + 2):
        out.extend(iv for iv in _day_intervals(zone_name, first_day + timedelta(days=offset), window) if iv[0] < iv[1])
    return out


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """Parts of ``a`` not covered by ``b`` (both sorted)."""
    out: list[Interval] = []
    for lo, hi in a:
        cur = lo
        for blo, bhi in b:
            if bhi <= cur or blo >= hi:
                continue
            if blo > cur:
                out.append((cur, blo))
            cur = max(cur, bhi)
            if cur >= hi:
                break
        if cur < hi:
            out.append((cur, hi))
    return out


def next_allowed(
    moment: datetime,
    zones: Sequence[str],
    window: DailyWindow,
    blocked: Sequence[DailyWindow] = (),
    horizon_days: int = 14,
) -> datetime | None:
    """Earliest instant >= ``moment`` inside ``window`` in every zone and outside every
    ``blocked`` window (times the consumer named inconvenient) in every zone.

    Computed as an intersection of UTC intervals, so it is exact across DST changes.
    Returns None if no such instant exists within the horizon.
    """
    moment = moment.astimezone(UTC)
    if not zones:
        return moment
    zones = tuple(zones)
    blocked = tuple(blocked)
    # The interval set depends on the moment only through its local date in each zone
    # (``zone_intervals`` starts the day before it), so it is cached on those dates.
    epoch = epoch_seconds(moment)
    days = tuple(day_date(local_day(epoch, z)) for z in zones)
    allowed, ends = _allowed_intervals(zones, days, window, blocked, horizon_days)
    idx = bisect_right(ends, moment)
    for lo, hi in allowed[idx:]:
        candidate = max(lo, moment)
        # Belt and braces: a repeated (fall-back) hour can make the wall clock leave a
        # window that the interval arithmetic considers open; confirm on the wall clock.
        while candidate < hi and not is_allowed(candidate, zones, window, blocked):
            candidate += timedelta(minutes=1)
        if candidate < hi:
            return candidate
    return None


@lru_cache(maxsize=4096)
def _allowed_intervals(zones: tuple[str, ...], days: tuple[date, ...], window: DailyWindow,
                       blocked: tuple[DailyWindow, ...], horizon_days: int):
    allowed: list[Interval] | None = None
    for z, day in zip(zones, days):
        ivs = _zone_intervals_from(z, day, horizon_days, window)
        for inconvenient in blocked:
            ivs = subtract(ivs, _zone_intervals_from(z, day, horizon_days, inconvenient))
        allowed = ivs if allowed is None else intersect(allowed, ivs)
    allowed = tuple(allowed)
    return allowed, tuple(hi for _, hi in allowed)


def _zone_intervals_from(zone_name: str, local_day: date, days: int, window: DailyWindow) -> list[Interval]:
    """``zone_intervals`` for a start whose local date in ``zone_name`` is ``local_day``."""
    first_day = local_day - timedelta(days=1)
    out: list[Interval] = []
    for offset in range(days + 2):
        out.extend(iv for iv in _day_intervals(zone_name, first_day + timedelta(days=offset), window) if iv[0] < iv[1])
    return out


def is_allowed(moment: datetime, zones: Sequence[str], window: DailyWindow, blocked: Sequence[DailyWindow] = ()) -> bool:
    """Wall-clock test in every zone: inside the window and outside every blocked window."""
    return allowed_at(epoch_seconds(moment), moment.microsecond, zones, window, blocked)


def local_date(moment: datetime, zone_name: str) -> date:
    return day_date(local_day(epoch_seconds(moment), zone_name))


@lru_cache(maxsize=65536)
def start_of_local_day(day: date, zone_name: str) -> datetime:
    return wall_to_utc(day, time(0), zone_name)
