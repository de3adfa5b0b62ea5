"""The explorer's filters, each on its own: time, case, debtor, collector, team, channel,
decision, rule, pack (through the selector, the page and the API)."""

import pytest

from collections_app.services import case_transition, hold_close, hold_open, personal_data_reveal
from compliance import ledger, selectors
from compliance.models import AuditEvent
from tests.audit.conftest import cn_case, new_york, record, shanghai, us_case
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    alice, bob = UserFactory(role="collector", username="alice"), UserFactory(role="collector", username="bob")
    east, west = TeamFactory(name="East"), TeamFactory(name="West")
    us = us_case(collector=alice, team=east)
    cn = cn_case(collector=bob, team=west)
    seqs = {}

    def event_of(recorded):
        return selectors.attempt_event(recorded.attempt).seq

    seqs["us_call_ok"] = event_of(record(us, at=new_york(2026, 11, 10, 14), by=alice))
    seqs["us_call_late"] = event_of(record(us, at=new_york(2026, 11, 10, 22), by=alice))        # US.TIME
    seqs["us_letter"] = event_of(record(us, at=new_york(2026, 11, 12, 10), by=alice, channel="letter", outcome="sent"))
    seqs["cn_call_night"] = event_of(record(cn, at=shanghai(2026, 11, 20, 23), by=bob))         # CN.TIME
    seqs["cn_call_ok"] = event_of(record(cn, at=shanghai(2026, 11, 21, 12), by=bob))
    seqs["note"] = ledger.append(kind="case.noted", actor=ledger.actor_label(alice), case=us, data={"n": 1},
                                 at=new_york(2026, 11, 15, 9)).seq
    return {"alice": alice, "bob": bob, "east": east, "west": west, "us": us, "cn": cn, "seqs": seqs}


def found(params) -> list[int]:
    return sorted(e.seq for e in selectors.audit_events(selectors.AuditFilters.from_params(params)))


def expect(world, *names):
    return sorted(world["seqs"][n] for n in names)


def test_the_world_decides_as_the_filters_expect(world):
    from collections_app.models import ContactAttempt

    blocked = {tuple(a.rule_ids) for a in ContactAttempt.objects.filter(allowed=False)}
    assert blocked == {("US.TIME",), ("CN.TIME",)}
    assert ContactAttempt.objects.filter(allowed=True).count() == 3


def test_filter_by_time(world):
    assert found({"from": "2026-11-12", "to": "2026-11-15"}) == expect(world, "us_letter", "note")


def test_filter_by_case(world):
    assert found({"case": world["cn"].pk}) == expect(world, "cn_call_night", "cn_call_ok")


def test_filter_by_debtor(world):
    assert found({"debtor": world["us"].debtor_id}) == expect(world, "us_call_ok", "us_call_late", "us_letter", "note")


def test_filter_by_collector(world):
    assert found({"collector": world["bob"].pk}) == expect(world, "cn_call_night", "cn_call_ok")


def test_filter_by_team(world):
    assert found({"team": world["west"].pk}) == expect(world, "cn_call_night", "cn_call_ok")


def test_filter_by_channel(world):
    assert found({"channel": "letter"}) == expect(world, "us_letter")


def test_filter_by_decision(world):
    assert found({"decision": "blocked"}) == expect(world, "us_call_late", "cn_call_night")
    assert found({"decision": "allowed"}) == expect(world, "us_call_ok", "us_letter", "cn_call_ok")


def test_filter_by_rule(world):
    assert found({"rule": "CN.TIME"}) == expect(world, "cn_call_night")
    assert found({"rule": "US.TIME"}) == expect(world, "us_call_late")


def test_filter_by_pack_and_version(world):
    assert found({"pack": "CN"}) == expect(world, "cn_call_night", "cn_call_ok")
    assert found({"pack": "CN 2026-01-30"}) == expect(world, "cn_call_night", "cn_call_ok")
    assert found({"pack": "CN 2025-02-28"}) == []
    assert found({"pack": "US"}) == expect(world, "us_call_ok", "us_call_late", "us_letter")


def test_filters_combine(world):
    assert found({"collector": world["alice"].pk, "decision": "blocked", "channel": "call"}) == expect(world, "us_call_late")


def test_bad_filter_values_are_reported_not_ignored():
    filters = selectors.AuditFilters.from_params({"from": "yesterday", "channel": "pigeon", "rule": "x;drop"})
    assert len(filters.errors) == 3


def test_explorer_page_lists_the_filtered_events_newest_first(officer_client, world):
    response = officer_client.get("/audit/", {"decision": "blocked"})
    assert response.status_code == 200
    rows = [r["event"].seq for r in response.context["rows"]]
    assert rows == sorted(expect(world, "us_call_late", "cn_call_night"), reverse=True)


def test_explorer_pages_by_keyset(officer_client, world):
    first = officer_client.get("/audit/", {"case": world["us"].pk})
    rows = first.context["rows"]
    assert len(rows) == 4 and first.context["next_url"] is None
    from compliance.views import selectors as s

    page, cursor = s.page_of_events(s.AuditFilters(case=world["us"].pk), size=2)
    assert [e.seq for e in page] == sorted(expect(world, "note", "us_letter"), reverse=True)
    rest, end = s.page_of_events(s.AuditFilters(case=world["us"].pk), before=cursor, size=2)
    assert [e.seq for e in rest] == sorted(expect(world, "us_call_ok", "us_call_late"), reverse=True) and end is None


def test_event_detail_shows_the_full_decision_and_pack_version(officer_client, world):
    response = officer_client.get(f"/audit/events/{world['seqs']['cn_call_night']}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "CN.TIME" in text and "CN 2026-01-30" in text and "GB/T 45251-2025" in text
    assert response.context["decision_matches_ledger"] is True


def test_api_lists_events_with_filters_and_a_cursor(officer_client, world):
    data = officer_client.get("/api/v1/audit/events", {"debtor": world["us"].debtor_id, "page_size": 2}).json()
    assert [e["seq"] for e in data["results"]] == expect(world, "us_call_ok", "us_call_late")
    assert data["next"]
    more = officer_client.get(data["next"]).json()
    assert [e["seq"] for e in more["results"]] == expect(world, "us_letter", "note")
    assert more["results"][0]["data"]["channel"] == "letter"


def test_api_refuses_bad_filters(officer_client, world):
    assert officer_client.get("/api/v1/audit/events", {"decision": "maybe"}).status_code == 400


def test_filters_outside_what_the_ledger_can_hold_are_named_errors():
    filters = selectors.AuditFilters.from_params({
        "to": "9999-12-31", "from": "0001-01-01", "kind": "contact\x00", "case": "9" * 25})
    assert sorted(e.split(":")[0] for e in filters.errors) == ["case", "from", "kind", "to"]
    assert filters.until is None and filters.kind is None and filters.case is None


@pytest.mark.parametrize("path", ["/audit/", "/audit/analytics/", "/audit/analytics/blocked_by_rule.csv",
                                  "/audit/exports/period/", "/api/v1/audit/events"])
def test_odd_filter_values_never_cause_a_server_error(officer_client, world, path):
    for params in ({"to": "9999-12-31"}, {"from": "9999-12-31T23:59:59+14:00"}, {"kind": "\x00"},
                   {"case": "9" * 25}, {"debtor": "-1", "to": "0001-01-01"}):
        assert officer_client.get(path, params).status_code < 500, (path, params)


def test_period_export_api_names_a_bad_filter_in_json(officer_client, world):
    response = officer_client.get("/api/v1/audit/exports/period", {"from": "1936-03-17", "format": "xml"})
    assert response.status_code == 400
    assert response.json()["filters"] == ["from: a date (YYYY-MM-DD) between 1970 and 2099", "format: one of csv, jsonl"]


def test_a_stage_move_shows_its_reason_from_the_stage_log_checked_against_the_ledger(officer_client, world):
    case = world["us"]
    case_transition(case=case, transition="start_reminders", job="test", reason="first reminder due")
    event = AuditEvent.objects.filter(case=case, kind="case.stage_changed").latest("seq")
    page = officer_client.get(f"/audit/events/{event.seq}/").content.decode()
    assert "first reminder due" in page and "yes (SHA-256)" in page


def test_a_reveal_and_a_hold_closing_show_their_reasons_checked_against_the_ledger(officer_client, world):
    case, supervisor = world["us"], UserFactory(role="supervisor")
    personal_data_reveal(case=case, by=supervisor, reason="debtor called back")
    hold = hold_open(case=case, kind="dispute", by=supervisor, evidence="letter of 3 May")
    hold_close(hold=hold, by=supervisor, reason="verification sent")
    for kind, reason in (("personal_data.revealed", "debtor called back"), ("hold.closed", "verification sent")):
        event = AuditEvent.objects.filter(case=case, kind=kind).latest("seq")
        page = officer_client.get(f"/audit/events/{event.seq}/").content.decode()
        assert reason in page and "yes (SHA-256)" in page, kind
