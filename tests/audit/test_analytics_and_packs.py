"""Analytics (blocked attempts by rule, collector, team, channel; contacts per day; stage
funnel; notices; promises), each chart as SVG with a CSV export; the rule packs page."""

import csv
from datetime import date, timedelta
from io import StringIO

import pytest

from collections_app.models import PromiseToPay
from compliance import analytics
from notices.models import Notice
from tests.audit.conftest import new_york, record, us_case
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
PERIOD = {"from": "2026-11-09", "to": "2026-11-15"}


@pytest.fixture
def week():
    alice, bob = UserFactory(role="collector", username="alice"), UserFactory(role="collector", username="bob")
    team = TeamFactory(name="East")
    a_case, b_case = us_case(collector=alice, team=team), us_case(collector=bob)
    for day in (10, 11, 12):
        record(a_case, at=new_york(2026, 11, day, 22), by=alice)          # blocked: US.TIME
    record(b_case, at=new_york(2026, 11, 10, 22, 30), by=bob)             # blocked: US.TIME
    record(b_case, at=new_york(2026, 11, 10, 14), by=bob)                 # allowed
    Notice.objects.create(case=a_case, kind="reminder", channel="email", cycle="1", idempotency_key="k1",
                          status="sent", due_at=new_york(2026, 11, 10, 9))
    Notice.objects.create(case=a_case, kind="reminder", channel="sms", cycle="2", idempotency_key="k2",
                          status="planned", due_at=new_york(2026, 11, 10, 9), next_allowed_at=new_york(2026, 11, 11, 8))
    Notice.objects.create(case=b_case, kind="reminder", channel="email", cycle="1", idempotency_key="k3",
                          status="suppressed", due_at=new_york(2026, 11, 12, 9), suppressed_by=["US.CEASE"])
    for status in ("kept", "broken", "broken"):
        PromiseToPay.objects.create(case=a_case, amount=10, currency="USD", due_date=date(2026, 11, 12), status=status)
    return {"alice": alice, "bob": bob, "team": team}


def csv_rows(response):
    return list(csv.reader(StringIO(response.content.decode())))


def test_blocked_by_collector_puts_the_worst_first_and_links_to_the_explorer(officer_client, week):
    response = officer_client.get("/audit/analytics/", PERIOD)
    chart = next(c for c in response.context["charts"] if c["slug"] == "blocked-by-collector")
    assert [(b.label, b.value) for b in chart["bars"]] == [("alice", 3), ("bob", 1)]
    assert f"collector={week['alice'].pk}" in chart["hrefs"][0] and "decision=blocked" in chart["hrefs"][0]
    assert "<svg" in str(chart["svg"]) and "alice" in str(chart["svg"])


def test_blocked_by_rule_team_and_channel(week):
    from compliance.selectors import parse_moment

    since, until = parse_moment("2026-11-09"), parse_moment("2026-11-15", end=True)
    assert [(b.key, b.value) for b in analytics.blocked_by("rule", since=since, until=until)] == [("US.TIME", 4)]
    assert [(b.label, b.value) for b in analytics.blocked_by("team", since=since, until=until)] == [("East", 3), ("(no team)", 1)]
    assert [(b.key, b.value) for b in analytics.blocked_by("channel", since=since, until=until)] == [("call", 4)]


@pytest.mark.parametrize("chart", ["blocked-by-rule", "blocked-by-collector", "blocked-by-team", "blocked-by-channel"])
def test_each_blocked_chart_exports_its_series_over_time_as_csv(officer_client, week, chart):
    response = officer_client.get(f"/audit/analytics/{chart}.csv", PERIOD)
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][0] == "day" and rows[0][-1] == "blocked_attempts"
    assert sum(int(r[-1]) for r in rows[1:]) == 4
    # UTC days: 22:00 New York is the next day in UTC.
    assert {r[0] for r in rows[1:]} == {"2026-11-11", "2026-11-12", "2026-11-13"}


def test_contacts_per_day_csv_has_every_day_of_the_period(officer_client, week):
    rows = csv_rows(officer_client.get("/audit/analytics/contacts-per-day.csv", PERIOD))
    assert rows[0] == ["day", "allowed", "blocked"] and len(rows) == 8
    assert ["2026-11-10", "1", "0"] in rows and ["2026-11-11", "0", "2"] in rows


def test_contacts_per_day_counts_the_gates_decisions_not_the_debtors_own_contacts(officer_client, week):
    from compliance import gate

    case = us_case(collector=week["alice"])
    gate.record_inbound(case=case, channel="call", outcome="conversation", at=new_york(2026, 11, 10, 15))
    rows = csv_rows(officer_client.get("/audit/analytics/contacts-per-day.csv", PERIOD))
    assert ["2026-11-10", "1", "0"] in rows


def test_notices_sent_deferred_suppressed(officer_client, week):
    rows = {r[0]: int(r[2]) for r in csv_rows(officer_client.get("/audit/analytics/notices.csv", PERIOD))[1:]}
    assert rows["sent"] == 1 and rows["deferred"] == 1 and rows["suppressed"] == 1


def test_promises_kept_and_broken(officer_client, week):
    rows = {r[0]: int(r[2]) for r in csv_rows(officer_client.get("/audit/analytics/promises.csv", PERIOD))[1:]}
    assert rows["kept"] == 1 and rows["broken"] == 2


def test_stage_funnel_counts_cases_that_entered_each_stage(officer_client, week):
    from collections_app import services
    from collections_app.models import Case

    case = Case.objects.first()
    services.case_transition(case=case, transition="start_reminders", by=week["alice"], reason="due")
    services.case_transition(case=case, transition="activate", by=week["alice"], reason="30 days")
    rows = {r[0]: (int(r[2]), int(r[3])) for r in csv_rows(officer_client.get("/audit/analytics/stage-funnel.csv"))[1:]}
    assert rows["new"] == (2, 1) and rows["early"] == (1, 0) and rows["active"] == (1, 1)


def test_unknown_chart_is_404(officer_client):
    assert officer_client.get("/audit/analytics/nothing.csv").status_code == 404


def test_rule_packs_page_lists_versions_effective_dates_citations_status_and_policy(officer_client):
    response = officer_client.get("/audit/packs/")
    text = response.content.decode()
    assert response.status_code == 200
    cn = next(p for p in response.context["packs"] if p["pack"].code == "CN")
    assert [v["version"].version for v in cn["versions"]] == ["2025-02-28", "2026-01-30"]
    assert "CN.CALLS.ATTEMPTS" in text and "CBA collection guideline 2026" in text
    assert "2025-02-27 16:00" in text  # 00:00 Beijing time, shown in UTC
    five = next(r for v in cn["versions"] for r in v["rules"] if r["rule"].id == "CN.RECORDING.5Y")
    assert five["rule"].status == "U" and five["label"] == "policy" and not five["enabled"]
    assert "POLICY.HOLD.BANKRUPTCY" in text
