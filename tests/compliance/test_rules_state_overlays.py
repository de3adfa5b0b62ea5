"""US state overlays: Massachusetts, California, Washington (the strictest rule wins)."""

from dataclasses import replace
from datetime import timedelta

from compliance.engine import DEFAULT, ContactRequest, Phone, PostalAddress, PriorAttempt, Visit
from tests.compliance.factories import DISCLOSED, NEW_YORK, LOS_ANGELES, at, blocked_by, call, calls, decide, us_facts

MA_MOBILE = "+16175550123"
MONDAY = at(NEW_YORK, 2026, 3, 9, 10, 0)


def ma_facts(**changes):
    return us_facts(jurisdiction="US-MA", phones=(Phone(MA_MOBILE, line="mobile", personal=True),),
                    addresses=(PostalAddress("US", "MA", "02108"),), **changes)


def test_us_ma_creditor_calls_third_call_in_seven_days_is_blocked_for_a_lender():
    facts = ma_facts(collector_type="first_party", prior_attempts=calls(MONDAY, 2, "no_answer", destination=MA_MOBILE))
    decision = decide(call(facts, MONDAY + timedelta(days=3)))
    assert blocked_by(decision, "US-MA.CREDITOR.CALLS")
    assert decision.next_allowed_at == at(NEW_YORK, 2026, 3, 16, 8, 0)


def test_us_ma_creditor_calls_busy_lines_do_not_count_but_unanswered_calls_do():
    busy = calls(MONDAY, 2, "busy", destination=MA_MOBILE)
    assert decide(call(ma_facts(collector_type="first_party", prior_attempts=busy), MONDAY + timedelta(days=1))).allowed


def test_us_ma_household_two_calls_per_seven_days_at_the_residence():
    facts = ma_facts(prior_attempts=calls(MONDAY, 2, "voicemail", destination=MA_MOBILE))
    assert blocked_by(decide(call(facts, MONDAY + timedelta(days=2))), "US-MA.HOUSEHOLD")


def test_us_ma_household_no_visits_to_the_workplace():
    request = ContactRequest("visit", MONDAY, ma_facts(), visit=Visit(collectors=2, workplace=True))
    assert blocked_by(decide(request), "US-MA.HOUSEHOLD")


def test_us_ma_collector_two_phone_or_text_contacts_per_seven_days():
    texts = tuple(PriorAttempt("sms", MONDAY + timedelta(hours=i), "delivered", MA_MOBILE) for i in range(2))
    decision = decide(call(ma_facts(prior_attempts=texts), MONDAY + timedelta(days=1)))
    assert blocked_by(decision, "US-MA.COLLECTOR")


def test_us_ma_collector_work_number_two_per_thirty_days():
    work = Phone("+16175550999", line="landline", workplace=False)
    history = calls(MONDAY - timedelta(days=20), 2, "no_answer", destination=work.number)
    facts = replace(ma_facts(prior_attempts=history), phones=(Phone(MA_MOBILE, line="mobile"), work))
    assert blocked_by(decide(call(facts, MONDAY, destination=work.number)), "US-MA.COLLECTOR")


def test_us_ma_visits_one_home_visit_per_thirty_days():
    history = (PriorAttempt("visit", MONDAY - timedelta(days=10), "visited"),)
    request = ContactRequest("visit", MONDAY, ma_facts(prior_attempts=history), visit=Visit(collectors=2))
    assert blocked_by(decide(request), "US-MA.VISITS")


def ca_facts(**changes):
    return us_facts(jurisdiction="US-CA", phones=(Phone("+14155550123", line="mobile"),),
                    addresses=(PostalAddress("US", "CA", "94105"),), california_license_number="10123-99", **changes)


def test_us_ca_rosenthal_obscenity_is_blocked_under_both_laws():
    request = ContactRequest("letter", at(LOS_ANGELES, 2026, 3, 10, 12), ca_facts(), "home",
                             f"{DISCLOSED} Licence 10123-99. Pay now, you idiot.")
    decision = decide(request)
    assert {"US.HARASS", "US-CA.ROSENTHAL"} <= set(decision.rule_ids)


def test_us_ca_rosenthal_written_messages_show_the_california_licence_number():
    request = ContactRequest("letter", at(LOS_ANGELES, 2026, 3, 10, 12), ca_facts(), "home", DISCLOSED)
    assert blocked_by(decide(request), "US-CA.ROSENTHAL")


def test_us_ca_rosenthal_repeated_calls_bind_lenders_even_without_reg_f_policy():
    lender = ca_facts(collector_type="first_party",
                      prior_attempts=calls(at(LOS_ANGELES, 2026, 3, 9, 9), 7, destination="+14155550123"))
    registry = DEFAULT.with_policy(us_first_party_reg_f=False)
    decision = decide(call(lender, at(LOS_ANGELES, 2026, 3, 11, 12)), pack_registry=registry)
    assert decision.rule_ids == ("US-CA.ROSENTHAL",)


def test_us_ca_notice_first_written_notice_carries_the_california_rights_notice():
    bare = ContactRequest("letter", at(LOS_ANGELES, 2026, 3, 10, 12), ca_facts(), "home",
                          f"{DISCLOSED} Licence 10123-99.", purpose="first_written_notice")
    assert blocked_by(decide(bare), "US-CA.NOTICE")
    notice = ("The state Rosenthal Fair Debt Collection Practices Act and the federal Fair Debt Collection Practices Act "
              "require that, except under unusual circumstances, collectors may not contact you before 8 a.m.")
    assert decide(replace(bare, message=f"{DISCLOSED} Licence 10123-99. {notice}")).allowed


def wa_facts(**changes):
    return us_facts(jurisdiction="US-WA", phones=(Phone("+12065550123", line="landline", at_residence=True),),
                    addresses=(PostalAddress("US", "WA", "98101"),), **changes)


def test_us_wa_three_communications_a_week():
    history = calls(at(LOS_ANGELES, 2026, 3, 9, 10), 3, "voicemail", every=timedelta(days=1), destination="+12065550123")
    decision = decide(call(wa_facts(prior_attempts=history), at(LOS_ANGELES, 2026, 3, 12, 12)))
    assert blocked_by(decision, "US-WA")
    assert decision.reasons[0].status == "S"


def test_us_wa_home_window_opens_at_seven_thirty_for_a_lender_without_reg_f_policy():
    lender = wa_facts(collector_type="first_party")
    moment = at(LOS_ANGELES, 2026, 3, 10, 7, 45)
    assert decide(call(lender, moment), pack_registry=DEFAULT.with_policy(us_first_party_reg_f=False)).allowed
    assert blocked_by(decide(call(lender, moment)), "US.TIME")  # with the policy, Reg F's 08:00 is stricter
