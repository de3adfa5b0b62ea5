"""Third parties: Regulation F 1006.6(d), 1006.10; China's third-party limits."""

from dataclasses import replace
from datetime import timedelta

from compliance.engine import ContactRequest, Hold, PriorAttempt, ThirdParty
from tests.compliance.factories import NEW_YORK, SHANGHAI, at, blocked_by, cn_facts, decide, us_facts

NOON = at(NEW_YORK, 2026, 3, 10, 12, 0)


def third_party_call(facts, relationship, purpose="collection", message=None, moment=NOON, **party):
    return ContactRequest("third_party", moment, facts, "+12125550999", message, purpose=purpose,
                          third_party=ThirdParty(relationship, **party))


def test_us_third_party_debt_is_not_discussed_with_a_neighbour():
    assert blocked_by(decide(third_party_call(us_facts(), "neighbour")), "US.THIRD_PARTY")


def test_us_third_party_spouse_counts_as_the_consumer():
    assert decide(third_party_call(us_facts(), "spouse")).allowed


def test_us_third_party_threat_to_tell_the_employer_is_blocked_in_any_message():
    request = ContactRequest("call", NOON, us_facts(), "+12125550123", "Pay or we will tell your employer.")
    assert blocked_by(decide(request), "US.THIRD_PARTY")


def test_us_location_first_location_call_without_mentioning_the_debt_is_allowed():
    message = "Hi, this is Sam Lee. I am trying to reach Jordan Smith; could you pass on a phone number?"
    assert decide(third_party_call(us_facts(), "neighbour", "location", message)).allowed


def test_us_location_never_say_the_consumer_owes_a_debt():
    message = "I'm calling about Jordan's overdue debt."
    assert blocked_by(decide(third_party_call(us_facts(), "neighbour", "location", message)), "US.LOCATION")


def test_us_location_each_third_party_only_once():
    history = (PriorAttempt("third_party", at(NEW_YORK, 2026, 3, 2, 12), "conversation", "+12125550999"),)
    request = third_party_call(us_facts(prior_attempts=history), "neighbour", "location")
    assert blocked_by(decide(request), "US.LOCATION")
    again = third_party_call(us_facts(prior_attempts=history), "neighbour", "location", earlier_answer_incomplete=True)
    assert decide(again).allowed


def test_us_location_once_an_attorney_is_known_only_the_attorney():
    facts = us_facts(holds=(Hold("attorney", at(NEW_YORK, 2026, 3, 1)),))
    assert blocked_by(decide(third_party_call(facts, "neighbour", "location")), "US.LOCATION")


def test_cn_third_party_contacts_only_when_the_debtor_is_unreachable():
    moment = at(SHANGHAI, 2026, 3, 10, 12)
    assert blocked_by(decide(third_party_call(cn_facts(), "family", "location", moment=moment)), "CN.THIRD_PARTY")
    reachable_lost = cn_facts(debtor_unreachable=True)
    assert decide(third_party_call(reachable_lost, "family", "location", "请转告张三回电。", moment=moment)).allowed


def test_cn_third_party_never_discloses_the_debt():
    moment = at(SHANGHAI, 2026, 3, 10, 12)
    request = third_party_call(cn_facts(debtor_unreachable=True), "family", "pass_message", "请转告他尽快处理逾期欠款。", moment=moment)
    decision = decide(request)
    assert blocked_by(decision, "CN.THIRD_PARTY") and decision.findings


def test_cn_third_party_stop_when_the_contact_refuses():
    moment = at(SHANGHAI, 2026, 3, 10, 12)
    request = third_party_call(cn_facts(debtor_unreachable=True), "family", "location", moment=moment, refused=True)
    assert blocked_by(decide(request), "CN.THIRD_PARTY")


def test_us_location_the_same_person_however_their_number_or_name_is_written():
    facts = replace(us_facts(), third_parties_contacted=("(212) 555-0999",))
    assert blocked_by(decide(third_party_call(facts, "neighbour", "location")), "US.LOCATION")  # +12125550999
    named = replace(us_facts(), prior_attempts=(
        PriorAttempt("third_party", NOON - timedelta(days=2), "conversation", "Mrs  Lee, Flat 2"),))
    request = ContactRequest("third_party", NOON, named, "mrs lee, flat 2", purpose="location",
                             third_party=ThirdParty("neighbour"))
    assert blocked_by(decide(request), "US.LOCATION")
    other = ContactRequest("third_party", NOON, named, "Mr Park, flat 3", purpose="location",
                           third_party=ThirdParty("neighbour"))
    assert decide(other).allowed


def test_cn_third_party_who_refused_is_not_contacted_again_however_the_number_is_written():
    facts = cn_facts(debtor_unreachable=True, third_parties_refused=("139 0013 9000",))
    moment = at(SHANGHAI, 2026, 3, 10, 12, 0)
    request = ContactRequest("third_party", moment, facts, "+8613900139000", purpose="location",
                             third_party=ThirdParty("family"))
    assert blocked_by(decide(request), "CN.THIRD_PARTY")
    assert decide(replace(request, destination="+8613700137000")).allowed
