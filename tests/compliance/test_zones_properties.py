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
