"""From the database to the engine: the CaseFacts a decision is made on.

The same reads per decision whatever the debtor's history — the debtor, contact points,
preferences, holds, the attempts of the last LOOKBACK days across all the debtor's
debts (opt-outs and some caps span debts; Regulation F's 7-in-7 counts per debt), and
the third parties reached before those days (1006.10(c): each third party once, however
long ago): one prepared statement on PostgreSQL, six plain queries elsewhere. Plain SQL
and tuples because this is the hot path of every contact: no model instances are built. `queries`
and `from_rows` are apart so that compliance.gate.record can send the reads in the same
round trip as its locks.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta, timezone as dt_timezone
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from collections_app.models import Case, ContactAttempt, ContactPoint, ContactPreference, Debtor, Hold

from . import engine
from .sql import Prepared, Query, db_moment, run

# Long enough for every cap in the packs (US-MA counts 30 days).
LOOKBACK = timedelta(days=35)

_T = {m.__name__: m._meta.db_table for m in (Debtor, ContactPoint, ContactPreference, Hold, ContactAttempt)}
# Column orders are build_facts' (it takes the debtor's first seven; the language is the
# request's default).
DEBTOR_COLUMNS = ("timezone", "inconvenient_times", "employer_prohibits_contact", "not_at_work_since", "unreachable",
                  "incapacitated", "vulnerable", "language")
POINT_COLUMNS = ("id", "kind", "value", "line", "is_workplace", "is_primary", "at_residence", "consumer_used_at",
                 "reassigned_check_at", "reassigned", "creditor_notice_sent_at", "creditor_notice_opt_out_days",
                 "inherited_from_prior_collector", "country", "region", "postal_code")
PREFERENCE_COLUMNS = ("p.kind", "p.channel", "p.scope", "p.recorded_at", "p.expires_at", "p.revoked_at",
                      "p.contact_point_id", "cp.value")
HOLD_COLUMNS = ("kind", "opened_at", "closed_at", "attorney_consented", "attorney_unresponsive")
ATTEMPT_COLUMNS = ("channel", "at", "outcome", "destination", "allowed", "with_consent", "case_id", "purpose",
                   "initiated_by_consumer")
# The tables, each filtered on the debtor's id (given as {debtor}).
POINTS_FROM = f"{_T['ContactPoint']} WHERE debtor_id = {{debtor}}"
PREFERENCES_FROM = (
    f"{_T['ContactPreference']} p LEFT JOIN {_T['ContactPoint']} cp ON cp.id = p.contact_point_id"
    " WHERE p.debtor_id = {debtor}"
)
HOLDS_FROM = f"{_T['Hold']} WHERE debtor_id = {{debtor}} AND (case_id IS NULL OR case_id = %s)"
ATTEMPTS_FROM = f"{_T['ContactAttempt']} WHERE debtor_id = {{debtor}} AND at >= %s"
UNTIL = " AND at <= %s"
# Third parties reached before the window (the window's own attempts are read in full);
# the partial index attempt_third_party_reached keeps this small however long the history.
EARLIER_THIRD_PARTIES_FROM = (
    f"{_T['ContactAttempt']} WHERE debtor_id = {{debtor}} AND channel = 'third_party' AND allowed AND at < %s"
)


def _select(columns, source: str, order: str = "") -> str:
    return f"SELECT {', '.join(columns)} FROM {source.format(debtor='%s')}{order}"


# Five plain statements: what other databases run.
DEBTOR_SQL = _select(DEBTOR_COLUMNS, f"{_T['Debtor']} WHERE id = {{debtor}}")
POINTS_SQL = _select(POINT_COLUMNS, POINTS_FROM, " ORDER BY id")
PREFERENCES_SQL = _select(PREFERENCE_COLUMNS, PREFERENCES_FROM)
HOLDS_SQL = _select(HOLD_COLUMNS, HOLDS_FROM)
ATTEMPTS_SINCE_SQL = _select(ATTEMPT_COLUMNS, ATTEMPTS_FROM, " ORDER BY at")
ATTEMPTS_SQL = _select(ATTEMPT_COLUMNS, ATTEMPTS_FROM + UNTIL, " ORDER BY at")
# Each third party with whether they refused to help (outcome "refused").
EARLIER_THIRD_PARTIES_SQL = (
    f"SELECT DISTINCT destination, outcome = 'refused' FROM {EARLIER_THIRD_PARTIES_FROM.format(debtor='%s')}"
)


def _rows_as_json(columns, source: str, order: str = "") -> str:
    return (f"(SELECT json_agg(json_build_array({', '.join(columns)}){order})"
            f" FROM {source.format(debtor='d.id')})")


def _one_statement(attempts_from: str) -> str:
    # PostgreSQL: one statement, one row — the debtor's columns, then the other four
    # tables' rows and the earlier third parties as JSON arrays (NULL for none; moments as
    # ISO 8601 text). Each statement costs more to run and to answer than the rows it reads.
    return (
        f"SELECT {', '.join(f'd.{c}' for c in DEBTOR_COLUMNS)},"
        f" {_rows_as_json(POINT_COLUMNS, POINTS_FROM, ' ORDER BY id')},"
        f" {_rows_as_json(PREFERENCE_COLUMNS, PREFERENCES_FROM)},"
        f" {_rows_as_json(HOLD_COLUMNS, HOLDS_FROM)},"
        f" {_rows_as_json(ATTEMPT_COLUMNS, attempts_from, ' ORDER BY at')},"
        f" (SELECT json_agg(DISTINCT jsonb_build_array(destination, outcome = 'refused'))"
        f" FROM {EARLIER_THIRD_PARTIES_FROM.format(debtor='d.id')})"
        f" FROM {_T['Debtor']} d WHERE d.id = %s"
    )


FACTS_SINCE = Prepared("dunwell_facts_since", _one_statement(ATTEMPTS_FROM))
FACTS_UNTIL = Prepared("dunwell_facts_until", _one_statement(ATTEMPTS_FROM + UNTIL))


def _moment(value) -> datetime | None:
    # SQLite hands back naive UTC (or text); PostgreSQL aware datetimes.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt_timezone.utc)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def queries(case: Case, *, since: datetime, until: datetime | None = None) -> list[Query]:
    """The reads, with the attempts from `since` on — up to `until` when the moment is
    known already. compliance.gate.record takes its moment only once it holds the
    debtor's lock, after these are sent: it reads from an earlier `since` with no end and
    `from_rows` keeps the window of the moment."""
    if connection.vendor == "postgresql":
        return [one_statement_query(case, since=since, until=until)]
    return plain_queries(case, since=since, until=until)


def one_statement_query(case: Case, *, since: datetime, until: datetime | None = None) -> Query:
    window = [since] if until is None else [since, until]
    return FACTS_SINCE if until is None else FACTS_UNTIL, [case.pk, *window, since, case.debtor_id]


def plain_queries(case: Case, *, since: datetime, until: datetime | None = None) -> list[Query]:
    debtor_id, window = case.debtor_id, [db_moment(since)] if until is None else [db_moment(since), db_moment(until)]
    return [
        (DEBTOR_SQL, [debtor_id]),
        (POINTS_SQL, [debtor_id]),
        (PREFERENCES_SQL, [debtor_id]),
        (HOLDS_SQL, [debtor_id, case.pk]),
        (ATTEMPTS_SINCE_SQL if until is None else ATTEMPTS_SQL, [debtor_id, *window]),
        (EARLIER_THIRD_PARTIES_SQL, [debtor_id, window[0]]),
    ]


class Loaded(NamedTuple):
    facts: engine.CaseFacts
    language: str  # the debtor's
    points: list  # rows of POINT_COLUMNS in id order, for the default destination


def from_rows(case: Case, at: datetime, results: list[list]) -> Loaded:
    """The facts at moment `at` from the answers to `queries`: one row (the one
    statement's) or six answers (the plain queries')."""
    if len(results) == 1:
        (rows,) = results
        debtor = rows[0] if rows else None
        if debtor:
            split = len(DEBTOR_COLUMNS)
            points, preferences, holds, attempts, third_parties = (found or [] for found in debtor[split:])
    else:
        debtor_rows, points, preferences, holds, attempts, third_party_rows = results
        debtor = debtor_rows[0] if debtor_rows else None
        third_parties = [list(row) for row in third_party_rows]
    if debtor is None:
        raise Debtor.DoesNotExist(f"debtor {case.debtor_id} of case {case.pk} does not exist")
    earliest = at - LOOKBACK
    in_window = []
    for a in attempts:
        moment = _moment(a[1])
        if moment < earliest:
            # Read from an earlier start than the moment's window (gate.record): out of the
            # window, but still a third party reached before.
            if a[0] == "third_party" and a[4]:
                third_parties.append([a[3], a[2] == "refused"])
        elif moment <= at:
            in_window.append(a)
    return Loaded(build_facts(case, at, debtor[:7], points, preferences, holds, in_window, third_parties),
                  debtor[7], points)


def load(case: Case, *, at: datetime) -> Loaded:
    return from_rows(case, at, run(queries(case, since=at - LOOKBACK, until=at)))


def case_facts(case: Case, *, at: datetime) -> engine.CaseFacts:
    """Everything the rules need to know about this case at moment `at`. The caller that
    records (compliance.gate.record) holds the debtor's row lock while these are read."""
    return load(case, at=at).facts


def build_facts(case, at, debtor, points, preferences, holds, attempts, earlier_third_parties=()) -> engine.CaseFacts:
    """``attempts``: those of the window before ``at``; ``earlier_third_parties``: the
    third parties reached before it, as (destination, refused to help)."""
    (tz, inconvenient, employer_prohibits, not_at_work_since, unreachable, incapacitated, vulnerable) = debtor
    live = [
        p for p in preferences
        if _moment(p[3]) <= at and (p[5] is None or _moment(p[5]) > at) and (p[4] is None or _moment(p[4]) > at)
    ]
    consents = [p for p in live if p[0] == ContactPreference.Kind.CONSENT]
    opt_outs = [p for p in live if p[0] == ContactPreference.Kind.OPT_OUT]
    at_residence = {p[2] for p in points if p[6]}
    workplace = {p[2] for p in points if p[4]}
    prior, consumer_contacts = [], []
    third_parties = {destination for destination, _ in earlier_third_parties}
    refused = {destination for destination, said_no in earlier_third_parties if said_no}
    this_case = case.pk  # a property lookup through the model's metadata: once, not per attempt
    for channel, moment, outcome, destination, allowed, consent, case_id, purpose, inbound in attempts:
        moment = _moment(moment)
        if inbound:
            consumer_contacts.append(engine.ConsumerContact(channel=channel, moment=moment, outcome=outcome,
                                                            same_debt=case_id == this_case))
            continue
        prior.append(engine.PriorAttempt(
            channel=channel, moment=moment, outcome=outcome, destination=destination, allowed=bool(allowed),
            consent=bool(consent), same_debt=case_id == this_case, purpose=purpose,
            at_residence=destination in at_residence, workplace=destination in workplace,
        ))
        if channel == "third_party" and allowed:
            third_parties.add(destination)
            if outcome == "refused":
                refused.add(destination)
    return engine.CaseFacts(
        jurisdiction=case.jurisdiction,
        collector_type=case.collector_type,
        holds=tuple(
            engine.Hold(kind=kind, opened_at=_moment(opened), closed_at=_moment(closed),
                        attorney_consented=bool(consented), attorney_unresponsive=bool(unresponsive))
            for kind, opened, closed, consented, unresponsive in holds
        ),
        consents=tuple(
            engine.Consent(scope=p[2] or "calls", given_at=_moment(p[3]), channel=p[1] or None,
                           destination=p[7], expires_at=_moment(p[4]))
            for p in consents
        ),
        opt_outs=tuple(engine.OptOut(at=_moment(p[3]), channel=p[1] or None, destination=p[7]) for p in opt_outs),
        phones=tuple(_phone(p, consents) for p in points if p[1] == ContactPoint.Kind.PHONE),
        emails=tuple(_email(p, consents) for p in points if p[1] == ContactPoint.Kind.EMAIL),
        addresses=tuple(
            engine.PostalAddress(country=p[13], region=p[14] or None, postal_code=p[15] or None, residence=not p[4])
            for p in points if p[1] == ContactPoint.Kind.ADDRESS
        ),
        timezone=tz or None,
        inconvenient_times=tuple(
            engine.InconvenientTime(start=time.fromisoformat(start), end=time.fromisoformat(end))
            for start, end in _json(inconvenient) or ()
        ),
        validation_period_end=case.validation_period_end,
        initial_communication_at=case.initial_communication_at,
        validation_notice_sent_at=case.validation_notice_sent_at,
        suit_authorized=case.suit_authorized,
        judgment_exists=case.judgment_exists,
        time_barred=case.time_barred,
        employer_prohibits_contact=bool(employer_prohibits),
        not_at_work_since=_moment(not_at_work_since),
        debtor_unreachable=bool(unreachable),
        debtor_incapacitated=bool(incapacitated),
        # Each once, in one order however they were read.
        third_parties_contacted=tuple(sorted(third_parties)),
        third_parties_refused=tuple(sorted(refused)),
        prior_attempts=tuple(prior),
        consumer_contacts=tuple(consumer_contacts),
        california_license_number=settings.DUNWELL_COLLECTOR["california_licence"],
        outsourcing_notified_at=case.outsourcing_notified_at,
        forbearance_reviewed_at=case.forbearance_reviewed_at,
        vulnerable=bool(vulnerable),
    )


def _phone(point, consents) -> engine.Phone:
    text_consents = [_moment(c[3]) for c in consents if c[6] == point[0] and c[1] in ("sms", "")]
    return engine.Phone(
        number=point[2], line=point[3] or "unknown", workplace=bool(point[4]), at_residence=bool(point[6]),
        # The debtor's primary number is taken as given as personal (US-MA's 7-day bucket),
        # unless it is a work number.
        personal=bool(point[5]) and not point[4], last_consumer_text_at=_moment(point[7]),
        text_consent_at=max(text_consents, default=None), reassigned_check_at=_moment(point[8]),
        reassigned=bool(point[9]),
    )


def _email(point, consents) -> engine.Email:
    return engine.Email(
        address=point[2], workplace=bool(point[4]), consumer_used=point[7] is not None,
        consented=any(c[6] == point[0] and c[2] in ("electronic", "") for c in consents),
        creditor_notice_sent_at=_moment(point[10]), creditor_notice_opt_out_days=point[11] or 0,
        inherited_from_prior_collector=bool(point[12]),
    )
