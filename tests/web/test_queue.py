"""The work queue: who sees what, in which order, with which filters, at a fixed query cost."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.timezone import now

from collections_app.models import ContactAttempt, Payment, PromiseToPay

from ..factories import HoldFactory
from .conftest import make_case

# Contact is decided "now": pinned to a New York afternoon, whatever the hour of the run.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("new_york_afternoon")]


def queue_rows(response):
    return [row.case for row in response.context["rows"]]


def test_a_collector_sees_only_their_own_cases(collector_client, collector, other_collector, team):
    mine = make_case(collector=collector, team=team)
    make_case(collector=other_collector, team=team)
    response = collector_client.get(reverse("collections:queue"))
    assert response.status_code == 200
    assert queue_rows(response) == [mine]


def test_a_supervisor_sees_the_team_cases(supervisor_client, collector, other_collector, team):
    in_team = make_case(collector=collector, team=team)
    outside = make_case(collector=other_collector)
    rows = queue_rows(supervisor_client.get(reverse("collections:queue")))
    assert in_team in rows and outside not in rows


def test_a_promise_due_today_comes_before_a_larger_balance(collector_client, collector, team):
    large = make_case(collector=collector, team=team, balance="90000.00")
    small = make_case(collector=collector, team=team, balance="100.00")
    PromiseToPay.objects.create(case=small, amount=Decimal("50"), currency="USD", due_date=date.today())
    rows = queue_rows(collector_client.get(reverse("collections:queue")))
    assert rows == [small, large]
    assert rows[0].score.due_now and rows[0].score.promise_due == date.today()


def test_a_callback_due_today_comes_before_a_larger_balance(collector_client, collector, team):
    large = make_case(collector=collector, team=team, balance="90000.00")
    small = make_case(collector=collector, team=team, balance="100.00")
    small.callback_at = now()
    small.save(update_fields=["callback_at"])
    rows = queue_rows(collector_client.get(reverse("collections:queue")))
    assert rows == [small, large]
    assert rows[0].score.due_now and rows[0].score.callback_at is not None


def test_a_callback_on_a_later_day_does_not_lead_yet(collector_client, collector, team):
    large = make_case(collector=collector, team=team, balance="90000.00")
    small = make_case(collector=collector, team=team, balance="100.00")
    small.callback_at = now() + timedelta(days=2)
    small.save(update_fields=["callback_at"])
    assert queue_rows(collector_client.get(reverse("collections:queue"))) == [large, small]


def test_expected_recovery_is_balance_times_propensity_and_payment_history_raises_it(collector_client, collector, team):
    paying = make_case(collector=collector, team=team, balance="1000.00")
    silent = make_case(collector=collector, team=team, balance="1500.00")
    Payment.objects.create(loan=paying.loan, external_ref="P1", amount=Decimal("10"), currency="USD",
                           received_on=date.today() - timedelta(days=3))
    response = collector_client.get(reverse("collections:queue"))
    rows = queue_rows(response)
    assert rows == [paying, silent]
    assert rows[0].score.propensity == pytest.approx(0.55) and rows[0].score.expected_recovery == pytest.approx(550.0)
    assert rows[1].score.propensity == pytest.approx(0.20) and rows[1].score.expected_recovery == pytest.approx(300.0)
    assert "= 1,000.00 × 0.55" in response.content.decode()


def test_filters_by_stage_jurisdiction_and_days_past_due(collector_client, collector, team):
    us = make_case(collector=collector, team=team)
    gb = make_case(collector=collector, team=team, jurisdiction="GB")
    url = reverse("collections:queue")
    assert queue_rows(collector_client.get(url, {"jurisdiction": "GB"})) == [gb]
    assert queue_rows(collector_client.get(url, {"stage": "active", "jurisdiction": "US"})) == [us]
    assert queue_rows(collector_client.get(url, {"dpd": "31-60"})) == [us, gb] or queue_rows(
        collector_client.get(url, {"dpd": "31-60"})) == [gb, us]
    assert queue_rows(collector_client.get(url, {"dpd": "91+"})) == []


def test_can_contact_now_leaves_out_a_case_under_a_cease_hold(collector_client, collector, team):
    open_case = make_case(collector=collector, team=team)
    ceased = make_case(collector=collector, team=team)
    HoldFactory(case=ceased, debtor=ceased.debtor, kind="cease")
    rows = queue_rows(collector_client.get(reverse("collections:queue"), {"contactable": "on"}))
    assert rows == [open_case]


def test_each_row_shows_per_channel_decision_and_next_lawful_moment(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    # Eighth call in seven days is blocked (1006.14(b)(2)(i)); the badge names the next moment.
    for days in range(7):
        ContactAttempt.objects.create(
            case=case, debtor=case.debtor, channel="call", destination="+12125550123", at=now() - timedelta(days=days, hours=1),
            actor_label="import", outcome="no_answer", allowed=True, source="imported",
        )
    response = collector_client.get(reverse("collections:queue"))
    call, sms, email = response.context["rows"][0].channels
    assert not call.allowed and call.next_allowed_at is not None
    assert "US.CALL.7IN7" in str(call.decision.rule_ids) or call.decision.rule_ids
    assert sms.allowed
    assert "✗" in response.content.decode()


@pytest.mark.parametrize("size", [5, 40])
def test_the_queue_costs_a_fixed_number_of_queries_whatever_its_length(
        size, collector_client, collector, team, django_assert_max_num_queries):
    for n in range(size):
        case = make_case(collector=collector, team=team, phone=f"+1212555{n:04d}")
        PromiseToPay.objects.create(case=case, amount=Decimal("5"), currency="USD", due_date=date.today())
        ContactAttempt.objects.create(case=case, debtor=case.debtor, channel="call", destination=f"+1212555{n:04d}",
                                      at=now() - timedelta(hours=3), actor_label="import", outcome="conversation",
                                      allowed=True, source="imported")
    HoldFactory(case=case, debtor=case.debtor, kind="dispute")
    # Session, user, permissions, the ranking's planner setting, the page's ids in rank
    # order with the queue's length, its rows, and four batched fact queries.
    with django_assert_max_num_queries(12) as captured:
        response = collector_client.get(reverse("collections:queue"))
    assert response.status_code == 200 and len(response.context["rows"]) == size
    QUERIES[size] = len(captured)
    if len(QUERIES) == 2:
        assert QUERIES[5] == QUERIES[40]


QUERIES: dict[int, int] = {}


def test_the_queue_is_paged_by_place_and_a_page_past_the_end_shows_the_last(collector_client, collector, team):
    for n in range(53):
        make_case(collector=collector, team=team, phone=f"+1212555{n:04d}")
    url = reverse("collections:queue")
    first = collector_client.get(url)
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.num_pages == 2
    second = collector_client.get(url, {"page": "2"})
    assert [row.position for row in second.context["rows"]] == [51, 52, 53]
    for stale in ("9", "-1"):
        page = collector_client.get(url, {"page": stale})
        assert page.status_code == 200
    assert [row.position for row in collector_client.get(url, {"page": "9"}).context["rows"]] == [51, 52, 53]
    assert len(collector_client.get(url, {"page": "abc"}).context["rows"]) == 50
    # Beyond what the database can offset by: still the last page, not an error.
    huge = collector_client.get(url, {"page": "99999999999999999999"})
    assert huge.status_code == 200 and [row.position for row in huge.context["rows"]] == [51, 52, 53]


def test_queue_rows_show_debtor_names_as_text_never_as_markup(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    case.debtor.full_name = "<script>alert(1)</script> Bob"
    case.debtor.save(update_fields=["full_name"])
    page = collector_client.get(reverse("collections:queue")).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Bob" in page and "<script>alert(1)" not in page


def test_the_score_lists_the_factors_that_apply_and_nothing_when_none_do(collector_client, collector, team):
    plain = make_case(collector=collector, team=team, balance="100.00")
    promised = make_case(collector=collector, team=team, balance="90000.00", phone="+12125550999")
    PromiseToPay.objects.create(case=promised, amount=Decimal("5"), currency="USD",
                                due_date=date.today() + timedelta(days=3))
    page = collector_client.get(reverse("collections:queue")).content.decode()
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
    assert "× 0.35 (open promise)</small>" in rows[0]
    assert "× 0.20</small>" in rows[1] and "()" not in rows[1]
    assert f"/cases/{plain.pk}/" in rows[1]
