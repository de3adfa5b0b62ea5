"""What an attempt stores: gate.decision_json writes, in one pass of the JSON encoder, the
same text as the canonical JSON of the decision and the request snapshot — the text whose
SHA-256 the ledger keeps, and which replay reads back."""

from datetime import date, time, timedelta

import pytest

from compliance import engine, gate, ledger
from tests.compliance.factories import (
    CN_MOBILE, NEW_YORK, NY_MOBILE, SHANGHAI, at, calls, cn_facts, us_facts,
)

NOON = at(NEW_YORK, 2026, 11, 24, 12)
REQUESTS = {
    "allowed call": engine.ContactRequest("call", NOON, us_facts(), destination=NY_MOBILE),
    "call at night, blocked until the morning": engine.ContactRequest(
        "call", at(NEW_YORK, 2026, 11, 24, 22, 30), us_facts(), destination=NY_MOBILE),
    "eighth call with every kind of fact": engine.ContactRequest(
        "call", NOON,
        us_facts(
            holds=(engine.Hold("dispute", NOON - timedelta(days=9), closed_at=NOON - timedelta(days=8)),),
            consents=(engine.Consent("calls", NOON - timedelta(days=30), channel="call", destination=NY_MOBILE,
                                     expires_at=NOON - timedelta(days=20)),),
            opt_outs=(engine.OptOut(NOON - timedelta(days=3), channel="email", destination="d@example.com"),),
            emails=(engine.Email("d@example.com", consumer_used=True),),
            inconvenient_times=(engine.InconvenientTime(time(18), time(19, 30)),),
            validation_period_end=date(2026, 3, 10),
            prior_attempts=calls(NOON - timedelta(days=2), 7),
            consumer_contacts=(engine.ConsumerContact("sms", NOON - timedelta(days=1)),),
            third_parties_contacted=("neighbour",),
        ),
        destination=NY_MOBILE),
    "text with wording findings, in Chinese": engine.ContactRequest(
        "sms", NOON, us_facts(), destination=NY_MOBILE, language="zh-Hans",
        message="Pay now or you will be arrested. 立即还款"),
    "visit with its details": engine.ContactRequest(
        "visit", at(SHANGHAI, 2026, 11, 24, 10), cn_facts(), destination="Beijing",
        visit=engine.Visit(collectors=1, purpose_stated=False)),
    "third party": engine.ContactRequest(
        "third_party", at(SHANGHAI, 2026, 11, 24, 10), cn_facts(debtor_unreachable=True), destination=CN_MOBILE,
        third_party=engine.ThirdParty("neighbour"), purpose="location"),
}


@pytest.mark.parametrize("request_", REQUESTS.values(), ids=REQUESTS.keys())
def test_decision_json_is_the_canonical_json_of_the_decision_and_the_request_snapshot(request_):
    decision = engine.evaluate(request_)
    expected = ledger.canonical_json({**decision.to_dict(), "request": gate.request_snapshot(request_)})
    assert gate.decision_json(decision, request_) == expected


def test_decision_json_refuses_what_a_payload_may_not_hold():
    decision = engine.evaluate(REQUESTS["allowed call"])
    odd = engine.ContactRequest("call", NOON, us_facts(), destination=NY_MOBILE, addressee=object())
    with pytest.raises(TypeError, match="not allowed in an audit payload"):
        gate.decision_json(decision, odd)
