"""Builders for engine tests: plain dataclasses, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from compliance.engine import CaseFacts, ContactRequest, Phone, PostalAddress, PriorAttempt, evaluate

NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
SHANGHAI = ZoneInfo("Asia/Shanghai")
LONDON = ZoneInfo("Europe/London")

NY_MOBILE = "+12125550123"
LA_MOBILE = "+12135550188"
CN_MOBILE = "+8613800138000"
UK_MOBILE = "+447700900123"
DISCLOSED = "This is a communication from a debt collector."
OPT_OUT = "Reply STOP to opt out."


def at(zone, *args) -> datetime:
    return datetime(*args, tzinfo=zone)


def us_facts(**changes) -> CaseFacts:
    """A New York consumer, already sent the validation notice, reachable on a mobile."""
    base = CaseFacts(
        jurisdiction="US",
        phones=(Phone(NY_MOBILE, line="mobile", personal=True, text_consent_at=at(NEW_YORK, 2026, 3, 1, 9)),),
        addresses=(PostalAddress("US", "NY", "10001"),),
        initial_communication_at=at(NEW_YORK, 2026, 2, 1, 10),
        validation_notice_sent_at=at(NEW_YORK, 2026, 2, 1, 10),
    )
    return replace(base, **changes)


def cn_facts(**changes) -> CaseFacts:
    base = CaseFacts(jurisdiction="CN", collector_type="first_party", phones=(Phone(CN_MOBILE, line="mobile"),),
                     addresses=(PostalAddress("CN", "BJ"),))
    return replace(base, **changes)


def gb_facts(**changes) -> CaseFacts:
    base = CaseFacts(jurisdiction="GB", collector_type="first_party", phones=(Phone(UK_MOBILE, line="mobile"),),
                     addresses=(PostalAddress("GB", "ENG", "SW1A 1AA"),))
    return replace(base, **changes)


def call(facts: CaseFacts, moment: datetime, destination: str | None = None, **kw) -> ContactRequest:
    return ContactRequest("call", moment, facts, destination=destination or facts.phones[0].number, **kw)


def calls(start: datetime, count: int, outcome: str = "no_answer", every=timedelta(hours=1),
          destination: str = NY_MOBILE, **kw) -> tuple:
    return tuple(PriorAttempt("call", start + i * every, outcome, destination=destination, **kw) for i in range(count))


def decide(request: ContactRequest, **kw):
    return evaluate(request, **kw)


def blocked_by(decision, rule_id: str) -> bool:
    return not decision.allowed and rule_id in decision.rule_ids
