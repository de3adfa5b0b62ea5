"""Time zones: candidate zones, DST, and the ambiguity rule as properties (comment 6(b)(1)(i)-2)."""

from datetime import datetime, time, timedelta, timezone

from hypothesis import given, settings, strategies as st

from compliance import zones as tz
from compliance.engine import ContactRequest, PostalAddress, evaluate
from tests.compliance.factories import us_facts

WINDOW = tz.DailyWindow(time(8), time(21))
US_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
            "America/Anchorage", "Pacific/Honolulu", "Europe/London", "Asia/Shanghai", "Australia/Lord_Howe"]
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(timezone.utc))
zone_sets = st.lists(st.sampled_from(US_ZONES), min_size=1, max_size=4, unique=True)


def test_multi_zone_state_yields_every_zone():
    assert set(tz.address_zones("US", "TN")) == {"America/New_York", "America/Chicago"}


def test_unknown_region_yields_every_zone_of_the_country():
    assert "Pacific/Honolulu" in tz.address_zones("US", None)


def test_invalid_phone_number_is_conservative():
    assert set(tz.phone_zones("+1206555010", "US")) == set(tz.country_zones("US"))


def test_phone_number_area_code_zone():
    assert tz.phone_zones("+12125550123") == ("America/New_York",)


def test_window_start_inside_a_dst_gap_maps_to_the_end_of_the_gap():
    # 2026-03-08 02:30 does not exist in New York; the clock shows 03:00 at 07:00 UTC.
    assert tz.wall_to_utc(datetime(2026, 3, 8).date(), time(2, 30), "America/New_York") == datetime(2026, 3, 8, 7, tzinfo=timezone.utc)


@settings(max_examples=150, deadline=None)
@given(moments, zone_sets)
def test_allowed_in_all_zones_means_allowed_in_each_zone_alone(moment, zones):
    assert tz.is_allowed(moment, zones, WINDOW) == all(tz.is_allowed(moment, [z], WINDOW) for z in zones)


@settings(max_examples=150, deadline=None)
@given(moments, zone_sets)
def test_next_allowed_is_allowed_and_nothing_earlier_is(moment, zones):
    found = tz.next_allowed(moment, zones, WINDOW)
    if found is None:  # zones too far apart: no common convenient time at all
        assert not any(tz.is_allowed(moment + timedelta(minutes=10 * i), zones, WINDOW) for i in range(6 * 48))
        return
    assert found >= moment and tz.is_allowed(found, zones, WINDOW)
    probe = moment
    while probe < found - timedelta(minutes=10):
        assert not tz.is_allowed(probe, zones, WINDOW)
        probe += timedelta(minutes=10)


@settings(max_examples=60, deadline=None)
@given(moments, st.sampled_from(["CA", "TN", "FL", "AK", "NY", "TX", None]))
def test_engine_decision_allowed_for_a_debtor_is_allowed_in_each_candidate_zone(moment, state):
    facts = us_facts(addresses=(PostalAddress("US", state),))
    decision = evaluate(ContactRequest("call", moment, facts, destination=facts.phones[0].number))
    zones = tz.candidate_zones(addresses=[("US", state, None)], phones=[facts.phones[0].number], country="US")
    if decision.allowed:
        assert all(tz.is_allowed(moment, [z], WINDOW) for z in zones)
    elif decision.next_allowed_at is not None:
        later = evaluate(ContactRequest("call", decision.next_allowed_at, facts, destination=facts.phones[0].number))
        assert later.allowed
        assert all(tz.is_allowed(decision.next_allowed_at, [z], WINDOW) for z in zones)


times = st.times().map(lambda t: t.replace(microsecond=0))


@settings(max_examples=300, deadline=None)
@given(times, times, times)
def test_daily_window_contains_exactly_the_wall_times_from_start_to_end(start, end, wall):
    # [start, end) on one day; wrapping midnight when end is earlier; end at midnight means to the day's end.
    if end == time(0):
        expected = wall >= start
    elif start <= end:
        expected = start <= wall < end
    else:
        expected = wall >= start or wall < end
    assert tz.DailyWindow(start, end).contains(wall) == expected


def test_equal_daily_windows_are_interchangeable_as_keys():
    assert {tz.DailyWindow(time(8), time(21)): "a"}[tz.DailyWindow(time(8), time(21))] == "a"


# The integer wall clock (offset tables read from zoneinfo) agrees with astimezone.
TABLE_ZONES = US_ZONES + ["America/Havana", "Asia/Beirut", "Pacific/Apia", "America/Santiago", "Africa/Casablanca",
                          "Asia/Urumqi", "America/St_Johns", "Asia/Kathmandu", "America/Indiana/Indianapolis"]
any_moments = st.datetimes(min_value=datetime(1960, 1, 1), max_value=datetime(2120, 12, 31), timezones=st.just(timezone.utc))


@settings(max_examples=400, deadline=None)
@given(any_moments, st.sampled_from(TABLE_ZONES))
def test_integer_local_time_agrees_with_astimezone(moment, zone_name):
    wall = moment.astimezone(tz.zone(zone_name))
    epoch = tz.epoch_seconds(moment)
    assert tz.utc_offset(epoch, zone_name) == wall.utcoffset().total_seconds()
    assert tz.local_date(moment, zone_name) == wall.date()
    assert tz.is_allowed(moment, [zone_name], WINDOW) == WINDOW.contains(wall.time())


def test_offset_tables_agree_with_astimezone_around_every_transition():
    first = int(datetime(1995, 1, 1, tzinfo=timezone.utc).timestamp())
    last = int(datetime(2040, 1, 1, tzinfo=timezone.utc).timestamp())
    for zone_name in TABLE_ZONES:
        for epoch in range(first, last, 86400 * 20):
            tz.utc_offset(epoch, zone_name)
        spans = tz._OFFSETS[zone_name]
        assert any(len(starts) > 1 for starts, _ in spans.values()) or zone_name in (
            "America/Phoenix", "Asia/Kathmandu", "Asia/Urumqi", "Pacific/Honolulu", "Asia/Shanghai",
            "America/Indiana/Indianapolis")
        for start in sorted(s for starts, _ in spans.values() for s in starts[1:]):
            for epoch in (start - 3601, start - 1, start, start + 1, start + 3600):
                expected = datetime.fromtimestamp(epoch, timezone.utc).astimezone(tz.zone(zone_name)).utcoffset()
                assert tz.utc_offset(epoch, zone_name) == expected.total_seconds(), (zone_name, epoch)


def test_offset_tables_agree_with_astimezone_hour_by_hour_in_recent_years():
    start = int(datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp())
    for zone_name in ("America/New_York", "Europe/London", "Australia/Lord_Howe", "Pacific/Apia", "America/Santiago"):
        for epoch in range(start, start + 4 * 366 * 86400, 1800):
            expected = datetime.fromtimestamp(epoch, timezone.utc).astimezone(tz.zone(zone_name)).utcoffset()
            assert tz.utc_offset(epoch, zone_name) == expected.total_seconds(), (zone_name, epoch)


@settings(max_examples=300, deadline=None)
@given(times, times, st.times())
def test_daily_window_on_microseconds_agrees_with_contains(start, end, wall):
    window = tz.DailyWindow(start, end)
    micros = ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1_000_000 + wall.microsecond
    assert window.contains_micros(micros) == window.contains(wall)


@settings(max_examples=200, deadline=None)
@given(st.lists(any_moments, min_size=0, max_size=12), st.sampled_from(TABLE_ZONES))
def test_local_days_of_many_moments_are_each_ones_local_day(moments, zone_name):
    epochs = sorted(tz.epoch_seconds(m) for m in moments)
    assert tz.local_days(epochs, zone_name) == [tz.local_day(e, zone_name) for e in epochs]
    assert tz.local_days(epochs, zone_name) == [
        tz.date_day(datetime.fromtimestamp(e, timezone.utc).astimezone(tz.zone(zone_name)).date()) for e in epochs]


def test_local_days_across_a_clock_change_within_a_few_days():
    start = int(datetime(2026, 3, 6, tzinfo=timezone.utc).timestamp())
    for zone_name in ("America/New_York", "Asia/Beirut", "Australia/Lord_Howe"):
        epochs = list(range(start, start + 40 * 86400, 3 * 3600 + 7))
        for i in range(0, len(epochs), 5):
            window = epochs[i:i + 30]
            assert tz.local_days(window, zone_name) == [tz.local_day(e, zone_name) for e in window]
