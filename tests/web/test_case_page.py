"""The case page and its acts: every one through a service, every write in the ledger."""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils.timezone import now

from collections_app import services
from collections_app.models import (
    Agency, ContactAttempt, Hold, Instalment, PersonalDataReveal, Placement, PromiseToPay,
)
from compliance.models import AuditEvent
from notices.models import Notice

from ..factories import HoldFactory
from .conftest import make_case

pytestmark = pytest.mark.django_db


def url(name, case, *args):
    return reverse(f"collections:{name}", args=[case.pk, *args])


from .conftest import new_york  # noqa: E402

# Tomorrow at 21:30 and at 14:00 in New York, where the debtors of make_case live.
NIGHT = new_york(21, 30)
AFTERNOON = new_york(14, 0)
# Three days on, to the minute, as a datetime-local input sends it.
CALLBACK = (AFTERNOON + timedelta(days=3)).astimezone(ZoneInfo("UTC")).replace(second=0, microsecond=0)


def test_a_collector_cannot_open_another_collectors_case(collector_client, other_collector):
    case = make_case(collector=other_collector)
    assert collector_client.get(url("case", case)).status_code == 404


def test_personal_data_is_masked_until_revealed_and_the_reveal_is_audited(collector_client, collector, team):
    case = make_case(collector=collector, team=team, phone="+12125550187")
    page = collector_client.get(url("case", case)).content.decode()
    assert "+12125550187" not in page and "+12•" in page
    response = collector_client.post(url("reveal", case), {"reveal-reason": "Debtor called back, verifying number"})
    assert response.status_code == 302
    assert "+12125550187" in collector_client.get(url("case", case)).content.decode()
    event = AuditEvent.objects.get(kind="personal_data.revealed", case=case)
    assert f"user:{collector.pk}" in event.actor
    # The reason is kept beside the ledger, which names the row and keeps its fingerprint.
    reveal = PersonalDataReveal.objects.get(case=case)
    assert reveal.reason == "Debtor called back, verifying number" and reveal.revealed_by == collector
    assert "verifying number" not in event.payload and f'"reveal":{reveal.pk}' in event.payload


def test_reveal_without_a_reason_shows_the_error_linked_to_the_field(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    page = collector_client.post(url("reveal", case), {"reveal-reason": ""}).content.decode()
    assert 'aria-describedby="id_reveal-reason_error id_reveal-reason_help"' in page
    assert 'id="id_reveal-reason_error"' in page and 'aria-invalid="true"' in page
    assert not AuditEvent.objects.filter(kind="personal_data.revealed").exists()


def test_only_allowed_transitions_are_buttons_and_each_needs_a_reason(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    page = collector_client.get(url("case", case)).content.decode()
    assert 'value="issue_final_notice"' in page and 'value="start_reminders"' not in page
    assert 'value="place_with_agency"' not in page  # supervisors only
    assert collector_client.post(url("transition", case), {"transition": "issue_final_notice"}).status_code == 400
    response = collector_client.post(url("transition", case), {
        "transition": "issue_final_notice", "t-issue_final_notice-transition": "issue_final_notice",
        "t-issue_final_notice-reason": "60 days, no contact",
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "final_notice"
    assert AuditEvent.objects.filter(kind="case.stage_changed", case=case).exists()
    # The reason shows on the timeline, read from the stage log beside the ledger.
    assert "60 days, no contact" in collector_client.get(url("case", case)).content.decode()


def test_a_call_at_half_past_nine_local_is_refused_with_the_citation_and_recorded(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(NIGHT):
        collector_client.force_login(collector)  # sessions last 8 hours
        response = collector_client.post(url("contact-log", case), {
            "contact-channel": "call", "contact-destination": "", "contact-outcome": "no_answer", "contact-note": "",
        })
    assert response.status_code == 409
    page = response.content.decode()
    assert "US.TIME" in page and "1006.6(b)(1)(i)" in page
    attempt = ContactAttempt.objects.get(case=case)
    assert not attempt.allowed and attempt.outcome == "not_attempted"


def test_an_allowed_call_is_recorded_with_its_outcome(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)  # sessions last 8 hours
        response = collector_client.post(url("contact-log", case), {
            "contact-channel": "call", "contact-outcome": "right_party_contact", "contact-note": "Spoke to debtor",
        })
    assert response.status_code == 200
    attempt = ContactAttempt.objects.get(case=case)
    assert attempt.allowed and attempt.outcome == "right_party_contact"


def test_a_requested_callback_is_scheduled_and_audited(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)
        response = collector_client.post(url("contact-log", case), {
            "contact-channel": "call", "contact-outcome": "right_party_contact", "contact-note": "Call me Friday",
            "contact-callback_at": CALLBACK.strftime("%Y-%m-%dT%H:%M"),
        })
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.callback_at == CALLBACK
    assert AuditEvent.objects.filter(case_id=case.pk, kind="callback.requested").exists()


def test_a_callback_is_read_in_the_collectors_time_zone(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)
        collector_client.post(reverse("collections:time-zone"), {"time_zone": "America/Chicago", "next": "/queue/"})
        collector_client.post(url("contact-log", case), {
            "contact-channel": "call", "contact-outcome": "right_party_contact",
            "contact-callback_at": CALLBACK.strftime("%Y-%m-%dT%H:%M"),
        })
    case.refresh_from_db()
    assert case.callback_at == CALLBACK.replace(tzinfo=ZoneInfo("America/Chicago"))


@pytest.mark.parametrize("when", [timedelta(hours=-2), timedelta(days=400)])
def test_a_callback_in_the_past_or_beyond_a_year_is_refused(collector_client, collector, team, when):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)
        response = collector_client.post(url("contact-log", case), {
            "contact-channel": "call", "contact-outcome": "right_party_contact",
            "contact-callback_at": (AFTERNOON + when).astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M"),
        })
    assert response.status_code == 400 and "within the coming year" in response.content.decode()
    assert not ContactAttempt.objects.filter(case=case).exists()


def test_the_composer_highlights_a_threat_and_keeps_send_disabled(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)  # sessions last 8 hours
        response = collector_client.post(url("compose", case), {
            "compose-channel": "sms", "compose-message": "Pay today or we will sue you.", "action": "check",
        }, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert '<mark class="finding"' in page and "We will sue" not in page and "we will sue" in page
    assert "1006.18" in page
    assert 'id="composer-send"' in page and "disabled" in page


def test_the_composer_adds_the_disclosures_and_sends_through_the_gate_into_the_outbox(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)  # sessions last 8 hours
        check = collector_client.post(url("compose", case), {
            "compose-channel": "sms", "compose-message": "Please call us about your account.", "action": "check",
        }, HTTP_HX_REQUEST="true").content.decode()
        assert "This communication is from a debt collector." in check and "Reply STOP to opt out." in check
        assert "disabled" not in check.split('id="composer-send"')[1].split(">")[0]
        response = collector_client.post(url("compose", case), {
            "compose-channel": "sms", "compose-message": "Please call us about your account.", "action": "send",
        })
    assert response.status_code == 302
    attempt = ContactAttempt.objects.get(case=case)
    assert attempt.allowed and attempt.channel == "sms" and attempt.message.endswith("Reply STOP to opt out.")
    notice = Notice.objects.get(case=case)
    assert (notice.kind, notice.channel, notice.status) == ("composed", "sms", "planned")
    assert notice.idempotency_key == f"{case.pk}:composed:{attempt.pk}"


def test_sending_a_threat_is_refused_without_javascript(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    with time_machine.travel(AFTERNOON):
        collector_client.force_login(collector)  # sessions last 8 hours
        response = collector_client.post(url("compose", case), {
            "compose-channel": "sms", "compose-message": "We will sue you tomorrow.", "action": "send",
        })
    assert response.status_code == 409
    assert not Notice.objects.filter(case=case).exists()


def test_a_promise_to_pay_is_recorded_and_audited(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    due = date.today() + timedelta(days=7)
    response = collector_client.post(url("promise-create", case), {"promise-amount": "150.00", "promise-due_date": due.isoformat()})
    assert response.status_code == 302
    promise = PromiseToPay.objects.get(case=case)
    assert promise.amount == Decimal("150.00") and promise.currency == "USD"
    assert AuditEvent.objects.filter(kind="promise.created", case=case).exists()


def test_a_promise_in_the_past_is_an_error(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    response = collector_client.post(url("promise-create", case), {
        "promise-amount": "150.00", "promise-due_date": (date.today() - timedelta(days=1)).isoformat()})
    assert response.status_code == 400 and not PromiseToPay.objects.exists()


def test_a_payment_plan_moves_the_case_to_arrangement(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    response = collector_client.post(url("plan-create", case), {
        "plan-total": "1000.00", "plan-count": "3", "plan-first_due": (date.today() + timedelta(days=5)).isoformat(),
        "plan-every_days": "30",
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "arrangement"
    amounts = list(Instalment.objects.filter(plan__case=case).values_list("amount", flat=True))
    assert amounts == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert AuditEvent.objects.filter(kind="payment_plan.created", case=case).exists()


def test_holds_open_and_close_with_evidence(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    collector_client.post(url("hold-open", case), {"hold-kind": "dispute", "hold-evidence": "Letter of 3 May"})
    hold = Hold.objects.get(case=case)
    assert hold.is_open
    response = collector_client.post(url("hold-close", case, hold.pk), {f"close-{hold.pk}-hold": hold.pk,
                                                                         f"close-{hold.pk}-reason": "Verified"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert not hold.is_open and hold.close_reason == "Verified"


def test_a_supervisor_assigns_within_the_team_only(supervisor_client, collector, other_collector, team):
    case = make_case(team=team)
    assert supervisor_client.post(url("assign", case), {"assign-collector": other_collector.pk}).status_code == 400
    assert supervisor_client.post(url("assign", case), {"assign-collector": collector.pk}).status_code == 302
    case.refresh_from_db()
    assert case.collector == collector
    assert AuditEvent.objects.filter(kind="case.assigned", case=case).exists()


def test_a_collector_cannot_assign(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    assert collector_client.post(url("assign", case), {"assign-collector": collector.pk}).status_code == 403


def test_placement_hands_over_the_contact_history_and_recall_returns_the_case(supervisor_client, collector, team):
    case = make_case(collector=collector, team=team, stage="final_notice")
    ContactAttempt.objects.create(case=case, debtor=case.debtor, channel="call", destination="+12125550123",
                                  at=now() - timedelta(days=3), actor_label="import", outcome="no_answer",
                                  allowed=True, source="imported")
    agency = Agency.objects.create(name="Acme Recovery")
    response = supervisor_client.post(url("place", case), {"place-agency": agency.pk, "place-reason": "No response"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "agency"
    placement = Placement.objects.get(case=case)
    assert len(placement.contact_history) == 1 and placement.contact_history[0]["outcome"] == "no_answer"
    supervisor_client.post(url("recall", case), {"recall-reason": "Agency too slow"})
    case.refresh_from_db()
    placement.refresh_from_db()
    assert case.stage == "active" and placement.recalled_at is not None
    assert AuditEvent.objects.filter(kind__in=["placement.created", "placement.recalled"], case=case).count() == 2


def test_the_timeline_shows_blocked_contacts_holds_promises_and_stage_changes(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    HoldFactory(case=case, debtor=case.debtor, kind="dispute", evidence="Phoned in a dispute")
    ContactAttempt.objects.create(case=case, debtor=case.debtor, channel="call", at=now(), actor_label="user:1",
                                  outcome="not_attempted", allowed=False, rule_ids=["US.TIME"],
                                  citations=["12 CFR 1006.6(b)(1)(i)"])
    PromiseToPay.objects.create(case=case, amount=Decimal("10"), currency="USD", due_date=date.today())
    page = collector_client.get(url("case", case)).content.decode()
    timeline = page.split('data-testid="timeline"')[1]
    assert "US.TIME" in timeline and "12 CFR 1006.6(b)(1)(i)" in timeline
    assert "Phoned in a dispute" in timeline and "10.00 USD" in timeline


@pytest.mark.parametrize("size", [2, 30])
def test_the_case_page_costs_a_fixed_number_of_queries_whatever_the_history(
        size, collector_client, collector, team, django_assert_max_num_queries):
    case = make_case(collector=collector, team=team)
    for n in range(size):
        ContactAttempt.objects.create(case=case, debtor=case.debtor, channel="call", at=now() - timedelta(hours=n),
                                      actor_label="import", outcome="no_answer", allowed=True, source="imported",
                                      destination=f"x{n}")
        PromiseToPay.objects.create(case=case, amount=Decimal("10"), currency="USD", due_date=date.today())
        HoldFactory(case=case, debtor=case.debtor, kind="complaint")
    with django_assert_max_num_queries(40) as captured:
        assert collector_client.get(url("case", case)).status_code == 200
    CASE_QUERIES[size] = len(captured)
    if len(CASE_QUERIES) == 2:
        assert CASE_QUERIES[2] == CASE_QUERIES[30]


CASE_QUERIES: dict[int, int] = {}


def test_compliance_officers_read_but_do_not_act(client, collector, team):
    from ..factories import UserFactory

    officer = UserFactory(role="compliance_officer")
    officer.save()
    client.force_login(officer)
    case = make_case(collector=collector, team=team)
    page = client.get(url("case", case)).content.decode()
    assert "Log a call or visit" not in page
    assert client.post(url("promise-create", case), {"promise-amount": "1", "promise-due_date": "2099-01-01"}).status_code == 403


def test_the_case_page_is_translated_with_localised_numbers(collector_client, collector, team):
    case = make_case(collector=collector, team=team, balance="12345.50")
    collector_client.cookies["django_language"] = "zh-hans"
    page = collector_client.get(url("case", case), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # Django's zh-Hans formats: no thousands grouping, dates as 2026年11月24日.
    assert "贷款明细" in page and "12345.50 USD" in page and "年" in page


def _timeline(page: str) -> str:
    return page.split('data-testid="timeline"')[1]


def test_a_stage_change_reads_as_a_sentence_with_its_reason_and_who_made_it(collector_client, collector, team):
    case = make_case(collector=collector, team=team, stage="early")
    services.case_transition(case=case, transition="activate", job="advance_stages",
                             reason="30 or more days past due")
    timeline = _timeline(collector_client.get(url("case", case)).content.decode())
    assert "Stage changed from Early reminders to Active collection" in timeline
    assert "30 or more days past due" in timeline and "scheduled job advance_stages" in timeline
    assert "case.stage_changed" not in timeline and '"transition"' not in timeline


def test_the_timeline_speaks_chinese_in_the_chinese_interface(collector_client, collector, team):
    case = make_case(collector=collector, team=team, stage="early")
    services.case_transition(case=case, transition="activate", by=collector, reason="客户同意还款")
    collector_client.cookies["django_language"] = "zh-hans"
    timeline = _timeline(collector_client.get(url("case", case), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode())
    assert "阶段由" in timeline and "客户同意还款" in timeline and collector.username in timeline
