"""From the database to the engine: the CaseFacts a decision is made on.

Reads a fixed number of queries per case whatever its history: contact points,
preferences, holds, and the attempts of the last LOOKBACK days across all the debtor's
debts (opt-outs and some caps span debts; Regulation F's 7-in-7 counts per debt).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Q

from collections_app.models import Case, ContactAttempt, ContactPoint, ContactPreference, Hold

from . import engine

# Long enough for every cap in the packs (US-MA counts 30 days).
LOOKBACK = timedelta(days=35)


def _time(value: str) -> time:
    return time.fromisoformat(value)


def _phone(point: ContactPoint, consents: list[ContactPreference]) -> engine.Phone:
    text_consent = max(
        (c.recorded_at for c in consents if c.contact_point_id == point.pk and c.channel in ("sms", "")), default=None,
    )
    return engine.Phone(
        number=point.value, line=point.line or "unknown", workplace=point.is_workplace,
        at_residence=point.at_residence, personal=point.is_primary, last_consumer_text_at=point.consumer_used_at,
        text_consent_at=text_consent, reassigned_check_at=point.reassigned_check_at, reassigned=point.reassigned,
    )


def _email(point: ContactPoint, consents: list[ContactPreference]) -> engine.Email:
    return engine.Email(
        address=point.value, workplace=point.is_workplace, consumer_used=point.consumer_used_at is not None,
        consented=any(c.contact_point_id == point.pk and c.scope in ("electronic", "") for c in consents),
        creditor_notice_sent_at=point.creditor_notice_sent_at,
        creditor_notice_opt_out_days=point.creditor_notice_opt_out_days,
        inherited_from_prior_collector=point.inherited_from_prior_collector,
    )


def case_facts(case: Case, *, at: datetime) -> engine.CaseFacts:
    """Everything the rules need to know about this case at moment `at`."""
    debtor = case.debtor
    points = list(ContactPoint.objects.filter(debtor_id=debtor.pk).order_by("pk"))
    preferences = [
        p for p in ContactPreference.objects.filter(debtor_id=debtor.pk).select_related("contact_point")
        if p.recorded_at <= at and (p.revoked_at is None or p.revoked_at > at)
        and (p.expires_at is None or p.expires_at > at)
    ]
    consents = [p for p in preferences if p.kind == ContactPreference.Kind.CONSENT]
    opt_outs = [p for p in preferences if p.kind == ContactPreference.Kind.OPT_OUT]
    holds = Hold.objects.filter(debtor_id=debtor.pk).filter(Q(case__isnull=True) | Q(case_id=case.pk))
    attempts = ContactAttempt.objects.filter(debtor_id=debtor.pk, at__gte=at - LOOKBACK, at__lte=at).order_by("at")
    prior, consumer_contacts, third_parties = [], [], []
    for a in attempts:
        if a.initiated_by_consumer:
            consumer_contacts.append(engine.ConsumerContact(channel=a.channel, moment=a.at))
            continue
        prior.append(engine.PriorAttempt(
            channel=a.channel, moment=a.at, outcome=a.outcome, destination=a.destination, allowed=a.allowed,
            consent=a.with_consent, same_debt=a.case_id == case.pk, purpose=a.purpose,
            at_residence=any(p.value == a.destination and p.at_residence for p in points),
            workplace=any(p.value == a.destination and p.is_workplace for p in points),
        ))
        if a.channel == "third_party" and a.allowed:
            third_parties.append(a.destination)
    return engine.CaseFacts(
        jurisdiction=case.jurisdiction,
        collector_type=case.collector_type,
        holds=tuple(
            engine.Hold(kind=h.kind, opened_at=h.opened_at, closed_at=h.closed_at,
                        attorney_consented=h.attorney_consented, attorney_unresponsive=h.attorney_unresponsive)
            for h in holds
        ),
        consents=tuple(
            engine.Consent(scope=c.scope or "calls", given_at=c.recorded_at, channel=c.channel or None,
                           destination=c.contact_point.value if c.contact_point else None, expires_at=c.expires_at)
            for c in consents
        ),
        opt_outs=tuple(
            engine.OptOut(at=o.recorded_at, channel=o.channel or None,
                          destination=o.contact_point.value if o.contact_point else None)
            for o in opt_outs
        ),
        phones=tuple(_phone(p, consents) for p in points if p.kind == ContactPoint.Kind.PHONE),
        emails=tuple(_email(p, consents) for p in points if p.kind == ContactPoint.Kind.EMAIL),
        addresses=tuple(
            engine.PostalAddress(country=p.country, region=p.region or None, postal_code=p.postal_code or None,
                                 residence=not p.is_workplace)
            for p in points if p.kind == ContactPoint.Kind.ADDRESS
        ),
        timezone=debtor.timezone or None,
        inconvenient_times=tuple(
            engine.InconvenientTime(start=_time(start), end=_time(end)) for start, end in debtor.inconvenient_times
        ),
        validation_period_end=case.validation_period_end,
        initial_communication_at=case.initial_communication_at,
        validation_notice_sent_at=case.validation_notice_sent_at,
        suit_authorized=case.suit_authorized,
        judgment_exists=case.judgment_exists,
        time_barred=case.time_barred,
        employer_prohibits_contact=debtor.employer_prohibits_contact,
        not_at_work_since=debtor.not_at_work_since,
        debtor_unreachable=debtor.unreachable,
        debtor_incapacitated=debtor.incapacitated,
        third_parties_contacted=tuple(third_parties),
        prior_attempts=tuple(prior),
        consumer_contacts=tuple(consumer_contacts),
        california_license_number=settings.DUNWELL_COLLECTOR["california_licence"],
        outsourcing_notified_at=case.outsourcing_notified_at,
        forbearance_reviewed_at=case.forbearance_reviewed_at,
        vulnerable=debtor.vulnerable,
    )
