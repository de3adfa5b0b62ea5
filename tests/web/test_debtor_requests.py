"""The debtor's requests on the case page: opt-outs and consents, inconvenient times, "not at
work" and the rest, recorded by the collector who hears them and read by the gate before every
contact, on every debt of the debtor."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from collections_app import services
from collections_app.models import ContactAttempt, ContactPreference, Debtor
from compliance import gate
from compliance.models import AuditEvent

from ..factories import ContactPointFactory, LoanFactory, UserFactory
from .conftest import make_case, new_york

pytestmark = pytest.mark.django_db
AFTERNOON = new_york(14, 0)
WORK_PHONE = "+12125550188"
CIRCUMSTANCES = {"circ-inconvenient_times": ""}


def post(client, user, case, name, data, at=AFTERNOON):
    with time_machine.travel(at):
        client.force_login(user)  # sessions last 8 hours
        return client.post(reverse(f"collections:{name}", args=[case.pk]), data)


def test_a_debtor_who_asked_not_to_be_called_at_work_is_not_called_there(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    work = ContactPointFactory(debtor=case.debtor, kind="phone", value=WORK_PHONE, line="landline", is_workplace=True)
    response = post(collector_client, collector, case, "circumstances", {**CIRCUMSTANCES, "circ-not_at_work": "on"})
    assert response.status_code == 302
    with time_machine.travel(AFTERNOON + timedelta(minutes=1)):
        decision = gate.check(case=case, channel="call", destination=work.value)
        assert "US.WORKPLACE" in decision.rule_ids
        assert gate.check(case=case, channel="call").allowed  # the mobile is not at work
    event = AuditEvent.objects.get(kind="debtor.circumstances_changed")
    assert '"not_at_work_since":[null,' in event.payload and event.actor == f"user:{collector.pk}:{collector.username}"


def test_times_the_debtor_named_inconvenient_are_not_called(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    post(collector_client, collector, case, "circumstances", {"circ-inconvenient_times": "12:00-15:00"})
    assert Debtor.objects.get(pk=case.debtor_id).inconvenient_times == [["12:00", "15:00"]]
    with time_machine.travel(AFTERNOON):
        decision = gate.check(case=case, channel="call")
    assert not decision.allowed and "US.TIME" in decision.rule_ids
    assert decision.next_allowed_at == new_york(15, 0)


def test_the_page_shows_what_was_saved(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    post(collector_client, collector, case, "circumstances",
         {"circ-inconvenient_times": "21:00 - 9:30；12:00至13:30", "circ-unreachable": "on"})
    with time_machine.travel(AFTERNOON):
        page = collector_client.get(reverse("collections:case", args=[case.pk])).content.decode()
    assert 'value="21:00-09:30, 12:00-13:30"' in page
    assert 'name="circ-unreachable" id="id_circ-unreachable" checked' in page


def test_saving_unchanged_circumstances_writes_nothing(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    post(collector_client, collector, case, "circumstances", {"circ-inconvenient_times": "12:00-13:00"})
    post(collector_client, collector, case, "circumstances", {"circ-inconvenient_times": " 12:00-13:00 "})
    assert AuditEvent.objects.filter(kind="debtor.circumstances_changed").count() == 1


@pytest.mark.parametrize("times", ["25:00-08:00", "noon to two", "12:00-12:00", "9-17",
                                   ", ".join(["01:00-02:00"] * 7)])
def test_a_time_that_is_not_a_period_names_the_field(collector_client, collector, team, times):
    case = make_case(collector=collector, team=team)
    response = post(collector_client, collector, case, "circumstances", {"circ-inconvenient_times": times})
    assert response.status_code == 400
    assert 'id="id_circ-inconvenient_times_error"' in response.content.decode()
    assert Debtor.objects.get(pk=case.debtor_id).inconvenient_times == []


def test_an_opt_out_from_texts_holds_on_every_debt_of_the_debtor(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    other = make_case(collector=collector, team=team)
    other.debtor, other.loan = case.debtor, LoanFactory(debtor=case.debtor)
    other.save()
    response = post(collector_client, collector, case, "preference-record",
                    {"pref-kind": "opt_out", "pref-channel": "sms", "pref-evidence": "Replied STOP"})
    assert response.status_code == 302
    preference = ContactPreference.objects.get(debtor=case.debtor)
    assert (preference.kind, preference.channel, preference.evidence) == ("opt_out", "sms", "Replied STOP")
    with time_machine.travel(AFTERNOON + timedelta(minutes=1)):
        for each in (case, other):
            assert "US.MEDIUM" in gate.check(case=each, channel="sms", message="Hello").rule_ids
        page = collector_client.get(reverse("collections:case", args=[case.pk])).content.decode()
    assert "Opt-out" in page and "Replied STOP" not in page.split('data-testid="preferences"')[1].split("</ul>")[0]


def test_a_consent_must_say_what_it_covers(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    response = post(collector_client, collector, case, "preference-record",
                    {"pref-kind": "consent", "pref-channel": "call", "pref-evidence": "On the call"})
    assert response.status_code == 400
    assert 'id="id_pref-scope_error"' in response.content.decode()
    assert not ContactPreference.objects.exists()


def test_an_opt_out_needs_how_the_debtor_said_it(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    response = post(collector_client, collector, case, "preference-record",
                    {"pref-kind": "opt_out", "pref-channel": "sms", "pref-evidence": ""})
    assert response.status_code == 400 and 'id="id_pref-evidence_error"' in response.content.decode()


def test_an_opt_out_of_one_number_names_it(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    work = ContactPointFactory(debtor=case.debtor, kind="phone", value=WORK_PHONE, line="landline")
    post(collector_client, collector, case, "preference-record",
         {"pref-kind": "opt_out", "pref-channel": "call", "pref-contact_point": str(work.pk),
          "pref-evidence": "Said: not this number"})
    with time_machine.travel(AFTERNOON + timedelta(minutes=1)):
        assert "US.MEDIUM" in gate.check(case=case, channel="call", destination=WORK_PHONE).rule_ids
        assert gate.check(case=case, channel="call").allowed


def test_another_debtors_contact_point_is_refused(collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    stranger = make_case(collector=collector, team=team)
    point = stranger.debtor.contact_points.first()
    response = post(collector_client, collector, case, "preference-record",
                    {"pref-kind": "opt_out", "pref-channel": "call", "pref-contact_point": str(point.pk),
                     "pref-evidence": "x"})
    assert response.status_code == 400 and not ContactPreference.objects.exists()


def test_compliance_officers_do_not_record_requests(client, collector, team):
    case = make_case(collector=collector, team=team)
    officer = UserFactory(role="compliance_officer")
    officer.save()
    assert post(client, officer, case, "circumstances", {"circ-not_at_work": "on"}).status_code == 403
    assert post(client, officer, case, "preference-record",
                {"pref-kind": "opt_out", "pref-evidence": "x"}).status_code == 403
    assert not ContactAttempt.objects.exists() and not ContactPreference.objects.exists()


@pytest.mark.parametrize(("text", "periods"), [
    ("", []),
    ("21:00-09:00", [["21:00", "09:00"]]),
    ("8:00 to 9:15; 12:00–13:30", [["08:00", "09:15"], ["12:00", "13:30"]]),
    ("二十二点", None),
    ("22:00到07:00，12:00至13:00", [["22:00", "07:00"], ["12:00", "13:00"]]),
])
def test_inconvenient_times_are_read_as_daily_periods(text, periods):
    if periods is None:
        with pytest.raises(services.ValidationError):
            services.inconvenient_times_parse(text)
    else:
        assert services.inconvenient_times_parse(text) == periods


@pytest.mark.parametrize("until", ["2020-01-01T10:00", "9999-12-31T23:59"])
def test_a_consent_until_a_past_or_far_moment_names_the_field(collector_client, collector, team, until):
    case = make_case(collector=collector, team=team)
    response = post(collector_client, collector, case, "preference-record",
                    {"pref-kind": "consent", "pref-scope": "calls", "pref-expires_at": until, "pref-evidence": "x"})
    assert response.status_code == 400 and 'id="id_pref-expires_at_error"' in response.content.decode()


def test_everyone_who_reads_the_case_sees_what_the_debtor_asked(client, collector_client, collector, team):
    case = make_case(collector=collector, team=team)
    post(collector_client, collector, case, "preference-record",
         {"pref-kind": "opt_out", "pref-channel": "sms", "pref-evidence": "Replied STOP"})
    post(collector_client, collector, case, "circumstances",
         {"circ-inconvenient_times": "12:00-13:30", "circ-not_at_work": "on"})
    officer = UserFactory(role="compliance_officer")
    officer.save()
    with time_machine.travel(AFTERNOON + timedelta(minutes=1)):
        client.force_login(officer)
        page = client.get(reverse("collections:case", args=[case.pk])).content.decode()
    requests = page.split('data-testid="preferences"')[1].split('data-testid="circumstances"')[1].split("</p>")[0]
    assert "Opt-out" in page.split('data-testid="preferences"')[1].split("</ul>")[0]
    assert "12:00-13:30" in requests and "Not at work" in requests
    assert 'name="pref-kind"' not in page  # reading, not recording
