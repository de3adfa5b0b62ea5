"""'Can contact now' over the whole ranked queue: decided batch by batch, bounded per
request, continued by the next link; and the database's ranking matches the visible score."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.timezone import now

from collections_app import selectors, views
from collections_app.models import ContactAttempt, Payment, PromiseToPay

from ..factories import HoldFactory
from .conftest import make_case

# Contact is decided "now": pinned to a New York afternoon, whatever the hour of the run.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("new_york_afternoon")]
URL = reverse("collections:queue")


def rows(response):
    return [row.case for row in response.context["rows"]]


def ceased(collector, team, balance, n):
    case = make_case(collector=collector, team=team, balance=balance, phone=f"+1212555{n:04d}")
    HoldFactory(case=case, debtor=case.debtor, kind="cease")
    return case


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(selectors, "CONTACTABLE_BATCH", 2)


def test_a_contactable_case_below_the_first_batches_is_found(small_batches, collector_client, collector, team):
    for n in range(5):
        ceased(collector, team, "90000.00", n)
    reachable = make_case(collector=collector, team=team, balance="10.00", phone="+12125559999")
    response = collector_client.get(URL, {"contactable": "on"})
    assert rows(response) == [reachable]
    assert response.context["rows"][0].position == 6


def test_the_next_link_goes_on_after_the_last_case_shown(small_batches, monkeypatch, collector_client, collector,
                                                        team):
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    cases = [make_case(collector=collector, team=team, balance=f"{1000 - n}.00", phone=f"+1212555{n:04d}")
             for n in range(3)]
    first = collector_client.get(URL, {"contactable": "on"})
    assert rows(first) == cases[:2] and first.context["contactable"].next_start == 2
    assert "start=2" in first.content.decode()
    second = collector_client.get(URL, {"contactable": "on", "start": 2})
    assert rows(second) == cases[2:] and second.context["contactable"].next_start is None


def test_a_page_stopped_by_the_bound_says_so_and_the_next_page_goes_on(small_batches, monkeypatch, collector_client,
                                                                      collector, team):
    monkeypatch.setattr(selectors, "CONTACTABLE_BOUND", 4)
    for n in range(4):
        ceased(collector, team, "90000.00", n)
    reachable = make_case(collector=collector, team=team, balance="10.00", phone="+12125559999")
    first = collector_client.get(URL, {"contactable": "on"})
    assert rows(first) == [] and first.context["contactable"].bounded
    assert "Stopped after examining 4 cases" in first.content.decode()
    second = collector_client.get(URL, {"contactable": "on", "start": first.context["contactable"].next_start})
    assert rows(second) == [reachable]


def test_the_contactable_filter_costs_a_fixed_number_of_queries_per_batch(
        small_batches, collector_client, collector, team, django_assert_max_num_queries):
    for n in range(6):
        ceased(collector, team, "90000.00", n)
    # Session, user, permissions, the ranking's planner setting, then six queries for each
    # of the three batches of two (the batch's ids in rank order, its rows, four fact queries).
    with django_assert_max_num_queries(4 + 1 + 6 * 3 + 1):
        response = collector_client.get(URL, {"contactable": "on"})
    assert rows(response) == []


def test_the_ranked_score_is_the_visible_propensity_formula(collector_client, collector, team):
    paid = make_case(collector=collector, team=team, balance="1000.00", phone="+12125550001")
    Payment.objects.create(loan=paid.loan, external_ref="P", amount=Decimal("1"), currency="USD",
                           received_on=date.today() - timedelta(days=89))
    spoke_and_broke = make_case(collector=collector, team=team, balance="1000.00", phone="+12125550002")
    ContactAttempt.objects.create(case=spoke_and_broke, debtor=spoke_and_broke.debtor, channel="call",
                                  destination="+12125550002", at=now() - timedelta(days=29), actor_label="import",
                                  outcome="conversation", allowed=True, source="imported")
    PromiseToPay.objects.create(case=spoke_and_broke, amount=Decimal("1"), currency="USD",
                                due_date=date.today() - timedelta(days=20), status="broken")
    unanswered = make_case(collector=collector, team=team, balance="1000.00", phone="+12125550003")
    ContactAttempt.objects.create(case=unanswered, debtor=unanswered.debtor, channel="call",
                                  destination="+12125550003", at=now() - timedelta(days=2), actor_label="import",
                                  outcome="no_answer", allowed=True, source="imported")
    stale = make_case(collector=collector, team=team, balance="1000.00", phone="+12125550004")
    ContactAttempt.objects.create(case=stale, debtor=stale.debtor, channel="call", destination="+12125550004",
                                  at=now() - timedelta(days=31), actor_label="import", outcome="conversation",
                                  allowed=True, source="imported")
    scores = [c.score for c in rows(collector_client.get(URL))]
    for s in scores:
        assert s.propensity == selectors.propensity(
            paid_recently=s.paid_recently, spoke_recently=s.spoke_recently, open_promise=s.has_open_promise,
            broken_promise=s.broken_promise, unanswered_recently=s.unanswered_recently)
        assert s.expected_recovery == pytest.approx(1000 * s.propensity)
    by_case = {s.case_id: s for s in scores}
    assert by_case[paid.pk].propensity == pytest.approx(0.55)
    assert by_case[spoke_and_broke.pk].propensity == pytest.approx(0.25)
    assert by_case[unanswered.pk].propensity == pytest.approx(0.10)
    assert by_case[stale.pk].propensity == pytest.approx(0.20)
    assert [s.case_id for s in scores] == [paid.pk, spoke_and_broke.pk, stale.pk, unanswered.pk]
