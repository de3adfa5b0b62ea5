"""Random but plausible contact requests over every pack, for tests that compare the engine
with a straightforward evaluation.  Plain dataclasses, no database; seeded, so reproducible."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from compliance.engine import (
    CaseFacts, Consent, ConsumerContact, ContactRequest, Email, Envelope, Hold, InconvenientTime, OptOut, Phone,
    PostalAddress, PriorAttempt, ThirdParty, Visit,
)
from tests.compliance.factories import DISCLOSED, OPT_OUT

UTC = timezone.utc
START = datetime(2026, 3, 2, tzinfo=UTC)  # DST begins in the US on 8 March, in Europe on 29 March

NUMBERS = {
    "US": ("+16175550123", "+16175550100", "+13125550177", "+12135550188", "+12125550123", "+19075550111"),
    "CN": ("+8613800138000", "+8613900139000"),
    "GB": ("+447700900123", "+442079460000"),
}
ADDRESSES = {
    "US": (("US", "MA", "02108"), ("US", "CA", "94105"), ("US", "TN", None), ("US", "WA", "98101"), ("US", None, None),
           ("US", "AZ", "85001")),
    "CN": (("CN", "BJ", None), ("CN", "XJ", None)),
    "GB": (("GB", "ENG", "SW1A 1AA"),),
}
ZONES = {"US": ("America/New_York", "America/Chicago", "America/Los_Angeles", "America/Phoenix"),
         "CN": ("Asia/Shanghai",), "GB": ("Europe/London",)}
EMAILS = ("debtor@example.com", "work@employer.example")
OUTCOMES = ("no_answer", "voicemail", "busy", "conversation", "right_party_contact", "promise", "wrong_number",
            "not_in_service", "sent", "delivered", "undeliverable", "visited", "not_attempted")
PURPOSES = ("collection",) * 8 + (
    "reply", "verification", "validation_notice", "first_written_notice", "limited_content", "location", "pass_message",
    "opt_out_confirmation", "required_by_law", "cease_efforts_ending", "credit_report", "escalation", "arrears_notice")
RELATIONSHIPS = ("spouse", "guardian", "consumer_attorney", "creditor", "guarantor", "family", "neighbour", "employer")
MESSAGES = (
    None, None, None,
    f"Please call us about your account. {DISCLOSED} {OPT_OUT}",
    "We are attempting to collect a debt and any information obtained will be used for that purpose. Reply STOP to opt out.",
    "Hi, please call Acme back about a personal business matter.",
    "We will garnish your wages next week and tell your boss. A warrant for your arrest is ready.",
    "本信息来自债务催收机构。回复TD退订。您的欠款余额为三百元。",
    "The state Rosenthal Fair Debt Collection Practices Act and the federal Fair Debt Collection Practices Act "
    "require that, except under unusual circumstances, collectors may not contact you before 8 a.m. CA-1234",
    "Your arrears are 300 and the balance is 1200. " + DISCLOSED,
)


def _moment(rng: random.Random, days_before: float, days_after: float = 0.0) -> datetime:
    return START + timedelta(minutes=rng.randrange(int(-days_before * 1440), int(days_after * 1440) + 1))


def _sometimes(rng: random.Random, p: float, make):
    return make() if rng.random() < p else None


def facts(rng: random.Random) -> CaseFacts:
    jurisdiction = rng.choice(("US", "US-MA", "US-MA", "US-CA", "US-WA", "US-NY", "CN", "GB"))
    country = jurisdiction.split("-")[0]
    numbers = rng.sample(NUMBERS[country], rng.randrange(0, len(NUMBERS[country]) + 1))
    phones = tuple(
        Phone(n, line=rng.choice(("mobile", "landline", "voip", "unknown")), workplace=rng.random() < 0.15,
              at_residence=rng.random() < 0.3, personal=rng.random() < 0.3,
              last_consumer_text_at=_sometimes(rng, 0.3, lambda: _moment(rng, 120)),
              text_consent_at=_sometimes(rng, 0.4, lambda: _moment(rng, 120)),
              reassigned_check_at=_sometimes(rng, 0.2, lambda: _moment(rng, 100)), reassigned=rng.random() < 0.1)
        for n in numbers)
    emails = tuple(
        Email(a, workplace=a.startswith("work"), consumer_used=rng.random() < 0.4, consented=rng.random() < 0.3,
              creditor_notice_sent_at=_sometimes(rng, 0.3, lambda: _moment(rng, 90)),
              creditor_notice_opt_out_days=rng.choice((0, 30, 35, 40)), inherited_from_prior_collector=rng.random() < 0.1)
        for a in rng.sample(EMAILS, rng.randrange(0, 3)))
    addresses = tuple(PostalAddress(*a, residence=rng.random() < 0.9)
                      for a in rng.sample(ADDRESSES[country], rng.randrange(0, min(3, len(ADDRESSES[country])) + 1)))
    destinations = [p.number for p in phones] + [e.address for e in emails] + ["+15555550000", "neighbour-1"]
    holds = tuple(
        Hold(rng.choice(("dispute", "cease", "attorney", "bankruptcy", "deceased", "complaint")),
             opened_at=_moment(rng, 60, 10), closed_at=_sometimes(rng, 0.4, lambda: _moment(rng, 30, 20)),
             attorney_consented=rng.random() < 0.2, attorney_unresponsive=rng.random() < 0.2)
        for _ in range(rng.choice((0, 0, 0, 0, 1, 2))))
    consents = tuple(
        Consent(rng.choice(("time", "workplace", "attorney", "calls", "electronic", "third_party")), _moment(rng, 20, 5),
                channel=rng.choice((None, None, "call", "sms", "email")),
                destination=rng.choice((None, None, *destinations[:2])) if destinations else None,
                expires_at=_sometimes(rng, 0.3, lambda: _moment(rng, 5, 20)))
        for _ in range(rng.choice((0, 0, 0, 1, 2))))
    opt_outs = tuple(
        OptOut(_moment(rng, 30, 10), channel=rng.choice((None, "call", "sms", "email", "letter")),
               destination=rng.choice((None, *destinations[:2])) if destinations else None)
        for _ in range(rng.choice((0, 0, 0, 0, 1))))
    attempts = []
    moment = START + timedelta(days=rng.uniform(-1, 3))
    for _ in range(rng.choice((0, 2, 5, 10, 20, 25))):
        channel = rng.choice(("call",) * 6 + ("sms", "sms", "email", "letter", "visit", "third_party"))
        attempts.append(PriorAttempt(
            channel, moment, rng.choice(OUTCOMES), destination=rng.choice(destinations),
            allowed=rng.random() < 0.95, consent=rng.random() < 0.05, at_residence=rng.random() < 0.2,
            workplace=rng.random() < 0.1, same_debt=rng.random() < 0.85,
            purpose=rng.choice(("collection",) * 6 + ("reply", "opt_out_confirmation")),
            relationship=rng.choice((None, "spouse", "neighbour")) if channel == "third_party" else None))
        moment -= timedelta(minutes=rng.choice((2, 4, 30, 300, 1440, 3000, 6000)))
    rng.shuffle(attempts)  # the engine must not rely on the order of the history
    if rng.random() < 0.5:  # the gate loads moments in UTC; other callers may pass local ones
        attempts = [a if rng.random() < 0.5 else replace(a, moment=a.moment.astimezone(ZoneInfo(rng.choice(ZONES[country]))))
                    for a in attempts]
    initial = _sometimes(rng, 0.8, lambda: _moment(rng, 90, 3))
    return CaseFacts(
        jurisdiction=jurisdiction,
        collector_type=rng.choice(("third_party", "first_party")),
        holds=holds, consents=consents, opt_outs=opt_outs, phones=phones, emails=emails, addresses=addresses,
        timezone=rng.choice((None,) * 4 + ZONES[country]),
        inconvenient_times=tuple(InconvenientTime(time(s), time(e)) for s, e in
                                 rng.sample(((12, 14), (18, 20), (22, 9), (7, 8)), rng.choice((0, 0, 0, 1, 2)))),
        validation_period_end=_sometimes(rng, 0.5, lambda: (START - timedelta(days=rng.randrange(-20, 40))).date()),
        initial_communication_at=initial,
        validation_notice_sent_at=initial if initial is not None and rng.random() < 0.8 else None,
        suit_authorized=rng.random() < 0.1, time_barred=rng.random() < 0.1,
        employer_prohibits_contact=rng.random() < 0.2,
        not_at_work_since=_sometimes(rng, 0.1, lambda: _moment(rng, 30, 5)),
        court_order_permits_contact=rng.random() < 0.03,
        debtor_unreachable=rng.random() < 0.3, debtor_incapacitated=rng.random() < 0.05,
        third_parties_contacted=tuple(rng.sample(("neighbour-1", "+15555550000"), rng.randrange(0, 2))),
        prior_attempts=tuple(attempts),
        consumer_contacts=tuple(ConsumerContact(rng.choice(("call", "sms", "email")), _moment(rng, 10, 2))
                                for _ in range(rng.choice((0, 0, 1, 2)))),
        california_license_number=rng.choice((None, "CA-1234")),
        outsourcing_notified_at=_sometimes(rng, 0.7, lambda: _moment(rng, 100)),
        forbearance_reviewed_at=_sometimes(rng, 0.5, lambda: _moment(rng, 100)),
        vulnerable=rng.random() < 0.1,
    )


def request(rng: random.Random) -> ContactRequest:
    f = facts(rng)
    channel = rng.choice(("call",) * 5 + ("sms", "sms", "email", "letter", "visit", "third_party"))
    choices = [p.number for p in f.phones] if channel in ("call", "sms") else (
        [e.address for e in f.emails] if channel == "email" else ["", "neighbour-1", "+15555550000"])
    destination = rng.choice(choices or ["+15555550000"])
    if channel == "third_party":
        destination = rng.choice(("neighbour-1", "+15555550000", "someone-else"))
    return ContactRequest(
        channel, START + timedelta(days=rng.uniform(0, 10)), f, destination=destination, message=rng.choice(MESSAGES),
        language="zh-Hans" if f.jurisdiction == "CN" and rng.random() < 0.7 else "en",
        purpose=rng.choice(PURPOSES),
        third_party=ThirdParty(rng.choice(RELATIONSHIPS), asked_to_recontact=rng.random() < 0.2,
                               earlier_answer_incomplete=rng.random() < 0.1, refused=rng.random() < 0.2)
        if channel == "third_party" and rng.random() < 0.9 else None,
        visit=Visit(collectors=rng.choice((1, 2)), workplace=rng.random() < 0.3,
                    requested_by_consumer=rng.random() < 0.3, purpose_stated=rng.random() < 0.8)
        if channel == "visit" and rng.random() < 0.9 else None,
        envelope=Envelope(postcard=rng.random() < 0.1, marked_private=rng.random() < 0.8,
                          sender_name=rng.choice(("", "Acme", "Acme Debt Collection")), other_markings=rng.random() < 0.1)
        if channel == "letter" and rng.random() < 0.8 else None,
        addressee=rng.choice((None, "John Smith", "The Occupier")) if channel == "letter" else None,
        caller_identified=rng.random() < 0.95,
    )


def requests(count: int, seed: int = 1006) -> list[ContactRequest]:
    rng = random.Random(seed)
    return [request(rng) for _ in range(count)]
