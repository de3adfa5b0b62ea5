"""Reads of the case domain: each returns a queryset the caller can refine."""

from django.db.models import Q, QuerySet

from .models import Case


def cases_visible_to(user) -> QuerySet[Case]:
    """Collectors see their own cases, supervisors their teams' (and their own), compliance
    officers and administrators every case."""
    cases = Case.objects.all()
    if user.is_superuser or user.has_perm("compliance.view_auditevent"):
        return cases
    if user.has_perm("collections_app.assign_case"):
        # The teams by subquery, not a join: each case appears once, with no DISTINCT (the
        # queue counts its rows with a window over the ranking).
        from .models import Team

        return cases.filter(Q(team__in=Team.objects.filter(members=user).values("pk")) | Q(collector=user))
    return cases.filter(collector=user)


def reasons_beside_the_ledger(payloads) -> dict[tuple[str, int], str]:
    """The free-text reasons some ledger events keep beside the ledger (the event holds the
    row's id and the text's SHA-256): a stage move's in the stage log, a personal-data
    reveal's in its PersonalDataReveal row, a hold's closing reason in the hold. Keyed as
    `reason_key`; a query per kind at most."""
    from .models import Hold, PersonalDataReveal

    wanted: dict[str, list[int]] = {"state_log": [], "reveal": [], "hold": []}
    for payload in payloads:
        key = reason_key(payload)
        if key is not None:
            wanted[key[0]].append(key[1])
    found: dict[tuple[str, int], str] = {}
    if wanted["state_log"]:
        found.update((("state_log", pk), text) for pk, text in
                     stage_log_of_any().filter(pk__in=wanted["state_log"]).values_list("pk", "description"))
    if wanted["reveal"]:
        found.update((("reveal", pk), text) for pk, text in
                     PersonalDataReveal.objects.filter(pk__in=wanted["reveal"]).values_list("pk", "reason"))
    if wanted["hold"]:
        found.update((("hold", pk), text) for pk, text in
                     Hold.objects.filter(pk__in=wanted["hold"]).values_list("pk", "close_reason"))
    return found


def reason_key(payload) -> tuple[str, int] | None:
    """Where the reason whose SHA-256 an event payload holds is kept: (kind of row, its id)."""
    if "reason_sha256" not in payload:
        return None
    for name in ("state_log", "reveal", "hold"):
        if isinstance(payload.get(name), int):
            return name, payload[name]
    return None


def stage_log_of_any() -> QuerySet:
    """The stage log (django-fsm-log) entries of cases."""
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    return StateLog.objects.filter(content_type=ContentType.objects.get_for_model(Case))


def stage_log_of(case_ids) -> QuerySet:
    """The stage log (django-fsm-log) of these cases: each move with who made it and why."""
    return stage_log_of_any().filter(object_id__in=list(case_ids))


# --- The collector's work queue and the case page --------------------------------------------
#
# Each selector returns a queryset (or, for the timeline and the contact decisions, plain
# data built from a fixed number of queries), so a page costs the same number of queries
# whatever its length.

import json  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from datetime import date, datetime, time, timedelta, timezone as dt_timezone  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import (  # noqa: E402
    BooleanField, Case as CaseWhen, Count, DecimalField, ExpressionWrapper, F, Value, When, Window,
)
from django.db.models.fields.json import KT  # noqa: E402
from django.utils.timezone import now  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.db.models.functions import Coalesce, Greatest, Least, Round  # noqa: E402

from compliance import engine, zones as tz  # noqa: E402
from compliance.facts import LOOKBACK, POINT_COLUMNS, build_facts  # noqa: E402
from compliance.gate import destination_from_points  # noqa: E402

from .models import (  # noqa: E402
    OPEN_STAGES, Agency, ContactAttempt, ContactOutcome, ContactPoint, ContactPreference, Hold,
    Payment, PaymentPlan, PromiseToPay, Team, ThirdPartyPurpose, ThirdPartyRelationship,
)

QUEUE_CHANNELS = ("call", "sms", "email")
# Days-past-due buckets of the queue's filter: label -> (lowest, highest) inclusive.
DPD_BUCKETS = {"0-30": (0, 30), "31-60": (31, 60), "61-90": (61, 90), "91+": (91, None)}
# The propensity to pay, a deliberately simple and visible score (0.05 - 0.95):
PROPENSITY_BASE = 0.20
PROPENSITY_PAID_RECENTLY = 0.35       # a payment received in the last 90 days
PROPENSITY_SPOKE_RECENTLY = 0.20      # a conversation or right-party contact in the last 30 days
PROPENSITY_OPEN_PROMISE = 0.15        # an open promise to pay
PROPENSITY_BROKEN_PROMISE = -0.15     # a promise broken in the past
PROPENSITY_UNANSWERED = -0.10         # only unanswered attempts in the last 30 days
PROPENSITY_FLOOR, PROPENSITY_CEILING = 0.05, 0.95
PAID_WINDOW = timedelta(days=90)
CONTACT_WINDOW = timedelta(days=30)
# What the database triggers count as a conversation and as unanswered (0007_queue_facts).
SPOKE_OUTCOMES = (ContactOutcome.CONVERSATION, ContactOutcome.RIGHT_PARTY_CONTACT, ContactOutcome.PROMISE)
UNANSWERED_OUTCOMES = (ContactOutcome.NO_ANSWER, ContactOutcome.VOICEMAIL, ContactOutcome.BUSY)


def _weight(condition, weight: float):
    return CaseWhen(When(condition, then=Value(Decimal(str(weight)))), default=Value(Decimal(0)),
                 output_field=DecimalField(max_digits=6, decimal_places=4))


def work_queue(*, user, today: date, stage: str | None = None, jurisdiction: str | None = None,
               dpd_bucket: str | None = None) -> QuerySet[Case]:
    """The open cases this user may work, filtered; `rank_queue` orders them."""
    cases = cases_visible_to(user).filter(stage__in=OPEN_STAGES)
    if stage:
        cases = cases.filter(stage=stage)
    if jurisdiction:
        cases = cases.filter(jurisdiction=jurisdiction)
    if dpd_bucket in DPD_BUCKETS:
        low, high = DPD_BUCKETS[dpd_bucket]
        cases = cases.filter(loan__due_date__lte=today - timedelta(days=low))
        if high is not None:
            cases = cases.filter(loan__due_date__gte=today - timedelta(days=high))
    return cases


def rank_queue(cases: QuerySet[Case], *, today: date, moment: datetime) -> QuerySet[Case]:
    """`cases` in priority order, each annotated with the parts of its priority
    (`QueueScore.of` reads them). Slice it for a page: the database ranks the whole book
    and returns only the slice.

    The order: first a callback, a promise to pay or a plan instalment due today or
    overdue (`due_now`); then expected recovery = balance × propensity, the PROPENSITY_*
    weights that apply, clamped to 0.05-0.95; then the case number.

    The facts are the case's own columns, kept by database triggers, so ranking a book
    reads one row per case whatever the length of its history. The windows ("in the last
    30 days") are applied here, against `moment`.
    """
    recent = moment - CONTACT_WINDOW
    # callback_at is stored in UTC; a callback is due from the start of its UTC day.
    tomorrow = datetime.combine(today + timedelta(days=1), time.min, tzinfo=dt_timezone.utc)
    paid = Q(last_payment_on__gte=today - PAID_WINDOW)
    spoke = Q(last_spoke_at__gte=recent)
    unanswered = Q(last_unanswered_at__gte=recent) & ~spoke
    promise = Q(next_promise_due__isnull=False)
    raw = (Value(Decimal(str(PROPENSITY_BASE))) + _weight(paid, PROPENSITY_PAID_RECENTLY)
           + _weight(spoke, PROPENSITY_SPOKE_RECENTLY) + _weight(promise, PROPENSITY_OPEN_PROMISE)
           + _weight(Q(has_broken_promise=True), PROPENSITY_BROKEN_PROMISE)
           + _weight(unanswered, PROPENSITY_UNANSWERED))
    money = DecimalField(max_digits=18, decimal_places=4)
    return (
        cases.annotate(
            # Coalesced: a NULL would sort first in a descending order.
            due_now=Coalesce(ExpressionWrapper(
                Q(next_promise_due__lte=today) | Q(next_instalment_due__lte=today) | Q(callback_at__lt=tomorrow),
                output_field=BooleanField()), Value(False)),
            paid_recently=ExpressionWrapper(paid, output_field=BooleanField()),
            spoke_recently=ExpressionWrapper(spoke, output_field=BooleanField()),
            unanswered_recently=ExpressionWrapper(Q(last_unanswered_at__gte=recent), output_field=BooleanField()),
            propensity=Least(Greatest(raw, Value(Decimal(str(PROPENSITY_FLOOR)))),
                             Value(Decimal(str(PROPENSITY_CEILING))), output_field=money),
            # The case's copy of its loan's balance (kept by triggers, 0009): ranking the book
            # reads its case rows alone, not one loan per case.
            expected_recovery=Round(F("loan_balance") * F("propensity"), 2, output_field=money),
        )
        .order_by(F("due_now").desc(), F("expected_recovery").desc(), "pk")
    )


@dataclass(frozen=True)
class QueueScore:
    """A case's place in the queue, with every part of it (shown on the page)."""

    case_id: int
    balance: float
    promise_due: date | None
    instalment_due: date | None      # only when due today or overdue
    callback_at: datetime | None
    paid_recently: bool
    spoke_recently: bool
    unanswered_recently: bool
    broken_promise: bool
    due_now: bool
    propensity: float
    expected_recovery: float

    @property
    def has_open_promise(self) -> bool:
        return self.promise_due is not None

    @classmethod
    def of(cls, case: Case, *, today: date) -> "QueueScore":
        """The score of a case read through `work_queue` (its annotations)."""
        instalment = case.next_instalment_due
        return cls(
            case_id=case.pk, balance=float(case.loan.balance), promise_due=case.next_promise_due,
            instalment_due=instalment if instalment is not None and instalment <= today else None,
            callback_at=case.callback_at, paid_recently=bool(case.paid_recently),
            spoke_recently=bool(case.spoke_recently), unanswered_recently=bool(case.unanswered_recently),
            broken_promise=case.has_broken_promise, due_now=bool(case.due_now),
            propensity=round(float(case.propensity), 4), expected_recovery=round(float(case.expected_recovery), 2),
        )


def propensity(*, paid_recently: bool, spoke_recently: bool, open_promise: bool, broken_promise: bool,
               unanswered_recently: bool) -> float:
    """The propensity `work_queue` computes in SQL, for one case's facts (kept in step by tests)."""
    score = PROPENSITY_BASE
    score += PROPENSITY_PAID_RECENTLY if paid_recently else 0
    score += PROPENSITY_SPOKE_RECENTLY if spoke_recently else 0
    score += PROPENSITY_OPEN_PROMISE if open_promise else 0
    score += PROPENSITY_BROKEN_PROMISE if broken_promise else 0
    score += PROPENSITY_UNANSWERED if unanswered_recently and not spoke_recently else 0
    return round(min(max(score, PROPENSITY_FLOOR), PROPENSITY_CEILING), 4)


def _with_scores(cases, *, today: date, first_position: int) -> list[Case]:
    out = []
    for n, case in enumerate(cases):
        case.score = QueueScore.of(case, today=today)
        case.position = first_position + n   # 1-based place in the whole queue
        out.append(case)
    return out


# The parts of the priority `rank_queue` computes, read with each ranked id.
SCORE_PARTS = ("due_now", "paid_recently", "spoke_recently", "unanswered_recently", "propensity", "expected_recovery")


def queue_slice(queue: QuerySet[Case], *, today: date, start: int, stop: int) -> list[Case]:
    """Cases `start`..`stop` (0-based, stop excluded) of a ranked queue, each carrying its
    score (`case.score`) and its place in the queue (`case.position`). Two queries: the
    ranking reads only the book's case rows and returns the slice's ids with the parts of
    their priority; the slice's rows are then read by id with their debtor and loan."""
    return _rows(list(queue.values_list("pk", *SCORE_PARTS)[start:stop]), today=today, start=start)


def counted_slice(queue: QuerySet[Case], *, today: date, start: int, stop: int) -> tuple[list[Case], int | None]:
    """`queue_slice`, and the length of the whole queue counted by the same ranking query
    (a window over its rows), so a page scans the book once. The count is None when the
    slice is empty: past the end, no row carries it."""
    ranked = list(queue.annotate(queue_length=Window(Count("*")))
                  .values_list("pk", *SCORE_PARTS, "queue_length")[start:stop])
    length = ranked[0][-1] if ranked else None
    return _rows([row[:-1] for row in ranked], today=today, start=start), length


def _rows(ranked: list[tuple], *, today: date, start: int) -> list[Case]:
    if not ranked:
        return []
    # By id alone: the ranking already chose these cases among those the user may see.
    rows = {case.pk: case for case in Case.objects.filter(pk__in=[row[0] for row in ranked])
            .select_related("debtor", "loan")}
    cases = []
    for pk, *parts in ranked:
        case = rows[pk]
        for name, value in zip(SCORE_PARTS, parts):
            setattr(case, name, value)
        cases.append(case)
    return _with_scores(cases, today=today, first_position=start + 1)


@dataclass(frozen=True)
class ChannelStatus:
    """May we contact this case on this channel now, and if not, when next?"""

    channel: str
    destination: str
    decision: engine.Decision | None   # None: no address on this channel

    @property
    def allowed(self) -> bool:
        return self.decision is not None and self.decision.allowed

    @property
    def next_allowed_at(self):
        return self.decision.next_allowed_at if self.decision else None


@dataclass(frozen=True)
class _Reachable:
    facts: engine.CaseFacts
    language: str
    destinations: dict[str, str]   # channel -> default destination ("" if none)

    def allows(self, channel: str, at: datetime) -> bool:
        """Whether the gate would allow contact on this channel at `at`: `statuses(...)`'s
        answer without the reasons or the next lawful moment."""
        destination = self.destinations[channel]
        return bool(destination) and engine.is_allowed(engine.ContactRequest(
            channel=channel, moment=at, facts=self.facts, destination=destination, language=self.language,
        ))

    def statuses(self, channels, at: datetime) -> dict[str, ChannelStatus]:
        """Per channel, the gate's decision at `at` (none where the case has no address on it),
        decided together: the engine shares between the channels what does not depend on the
        channel (the history, the zones, the search for the next lawful moment)."""
        reachable = [channel for channel in channels if self.destinations[channel]]
        decisions = dict(zip(reachable, engine.evaluate_many(
            engine.ContactRequest(channel=channel, moment=at, facts=self.facts, destination=self.destinations[channel],
                                  language=self.language)
            for channel in reachable
        )))
        return {channel: ChannelStatus(channel, self.destinations[channel], decisions.get(channel))
                for channel in channels}


def _contact_facts(cases: list[Case], *, at: datetime, channels) -> dict[int, _Reachable]:
    """Per case, the facts the gate would decide on at `at`, from four queries for all `cases`.

    The same facts the gate reads one case at a time (compliance.facts), loaded for many
    cases at once and handed to the same engine, so the badges say what the gate would say.
    """
    if not cases:
        return {}
    debtor_ids = {c.debtor_id for c in cases}
    points, preferences, holds, attempts = {}, {}, {}, {}
    for row in (
        ContactPoint.objects.filter(debtor_id__in=debtor_ids).order_by("id").values_list("debtor_id", *POINT_COLUMNS)
    ):
        points.setdefault(row[0], []).append(row[1:])
    for row in ContactPreference.objects.filter(debtor_id__in=debtor_ids).values_list(
        "debtor_id", "kind", "channel", "scope", "recorded_at", "expires_at", "revoked_at", "contact_point_id",
        "contact_point__value",
    ):
        preferences.setdefault(row[0], []).append(row[1:])
    for row in Hold.objects.filter(debtor_id__in=debtor_ids).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gt=at)
    ).values_list("debtor_id", "case_id", "kind", "opened_at", "closed_at", "attorney_consented", "attorney_unresponsive"):
        holds.setdefault(row[0], []).append(row[1:])
    for row in ContactAttempt.objects.filter(debtor_id__in=debtor_ids, at__gte=at - LOOKBACK, at__lte=at).order_by(
        "at"
    ).values_list("debtor_id", "channel", "at", "outcome", "destination", "allowed", "with_consent", "case_id",
                  "purpose", "initiated_by_consumer"):
        attempts.setdefault(row[0], []).append(row[1:])

    out = {}
    for case in cases:
        d = case.debtor
        debtor_row = (d.timezone, d.inconvenient_times, d.employer_prohibits_contact, d.not_at_work_since,
                      d.unreachable, d.incapacitated, d.vulnerable)
        case_points = points.get(case.debtor_id, [])
        facts = build_facts(
            case, at, debtor_row, case_points, preferences.get(case.debtor_id, []),
            [h[1:] for h in holds.get(case.debtor_id, []) if h[0] is None or h[0] == case.pk],
            attempts.get(case.debtor_id, []),
        )
        out[case.pk] = _Reachable(
            facts=facts, language=d.language if d.language in engine.LANGUAGES else "en",
            destinations={channel: destination_from_points(case_points, channel) for channel in channels},
        )
    return out


@dataclass(frozen=True)
class LocalTime:
    zone: str
    wall: datetime   # naive: the clock in `zone` (templates would convert an aware one to the reader's zone)


def case_contact_now(*, case: Case, at: datetime) -> tuple[dict[str, ChannelStatus], list[LocalTime]]:
    """For the case page: the badges, and the debtor's wall-clock time at `at` in every zone
    the gate considers they may be in (comment 6(b)(1)(i)-2), so a collector sees why a call
    at 20:30 in Chicago is refused when the mobile is a New York number."""
    reachable = _contact_facts([case], at=at, channels=QUEUE_CHANNELS)[case.pk]
    facts = reachable.facts
    zones = tz.candidate_zones(
        explicit=facts.timezone, addresses=[(a.country, a.region, a.postal_code) for a in facts.addresses],
        phones=[p.number for p in facts.phones], country=facts.jurisdiction.split("-")[0],
    )
    local = [LocalTime(z, at.astimezone(tz.zone(z)).replace(tzinfo=None)) for z in zones if z != tz.UNKNOWN_ZONE]
    return reachable.statuses(QUEUE_CHANNELS, at), local


def contact_statuses(cases, *, at: datetime, channels=QUEUE_CHANNELS) -> dict[int, dict[str, ChannelStatus]]:
    """Per case and channel, the gate's decision at `at`, from four queries for all `cases`."""
    reachable = _contact_facts(list(cases), at=at, channels=channels)
    return {pk: r.statuses(channels, at) for pk, r in reachable.items()}


# "Can contact now" is the engine's answer, not a column: the ranked queue is read in
# batches and each batch decided until the page is full. Each request examines at most
# CONTACTABLE_BOUND cases; the page says so when it stops there, and its "next" link goes
# on from the first case not examined, so the filter covers the whole queue.
CONTACTABLE_BATCH = 100
CONTACTABLE_BOUND = 500


@dataclass
class ContactablePage:
    cases: list[Case]                              # the page's contactable cases, in queue order
    statuses: dict[int, dict[str, ChannelStatus]]  # their badges
    start: int                                     # 0-based place in the queue examined first
    next_start: int | None                         # where the next page begins; None: end of the queue
    examined: int = 0
    bounded: bool = field(default=False)           # stopped by CONTACTABLE_BOUND with the page not full

    @property
    def last_examined(self) -> int:                # 1-based, for "cases 1-500 examined"
        return self.start + self.examined


def contactable_page(queue: QuerySet[Case], *, today: date, at: datetime, start: int, size: int,
                     batch: int | None = None, bound: int | None = None,
                     channels=QUEUE_CHANNELS) -> ContactablePage:
    """The next `size` cases of the ranked `queue`, from place `start` on, that may be
    contacted now on at least one channel. Six queries a batch of `batch` cases; at most
    `bound` cases examined."""
    batch = batch or CONTACTABLE_BATCH
    bound = bound or CONTACTABLE_BOUND
    found: list[Case] = []
    statuses: dict[int, dict[str, ChannelStatus]] = {}
    position = start
    at_end = False
    while len(found) < size and position - start < bound:
        wanted = min(batch, start + bound - position)
        chunk = queue_slice(queue, today=today, start=position, stop=position + wanted)
        reachable = _contact_facts(chunk, at=at, channels=channels)
        consumed = 0
        for case in chunk:
            consumed += 1
            r = reachable[case.pk]
            # Yes or no first, stopping at the first rule that blocks and the first channel
            # that allows; the full decisions (reasons, next lawful moment) only for the
            # page's rows.
            if any(r.allows(channel, at) for channel in channels):
                statuses[case.pk] = r.statuses(channels, at)
                found.append(case)
                if len(found) == size:
                    break
        position += consumed
        if consumed == len(chunk) < wanted:
            at_end = True
            break
    return ContactablePage(
        cases=found, statuses=statuses, start=start, next_start=None if at_end else position,
        examined=position - start, bounded=not at_end and len(found) < size,
    )


def case_for_page(*, user, pk: int) -> Case:
    """One case the user may see, with what its page header needs (raises DoesNotExist)."""
    return (
        cases_visible_to(user).select_related("debtor", "loan", "collector", "team").get(pk=pk)
    )


def case_contact_points(*, case: Case) -> QuerySet[ContactPoint]:
    return ContactPoint.objects.filter(debtor_id=case.debtor_id).order_by("kind", "-is_primary", "pk")


def case_holds(*, case: Case) -> QuerySet[Hold]:
    """Holds of this case and the debtor-wide ones, open first."""
    return (
        Hold.objects.filter(debtor_id=case.debtor_id).filter(Q(case__isnull=True) | Q(case_id=case.pk))
        .select_related("opened_by", "closed_by").order_by(F("closed_at").desc(nulls_first=True), "-opened_at")
    )


def case_promises(*, case: Case) -> QuerySet[PromiseToPay]:
    return PromiseToPay.objects.filter(case=case).order_by("-due_date")


def case_plans(*, case: Case) -> QuerySet[PaymentPlan]:
    return PaymentPlan.objects.filter(case=case).prefetch_related("instalments").order_by("-created_at")


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str          # contact, notice, payment, promise, hold, stage, event
    title: str
    detail: str | dict = ""   # for stage and event: the ledger payload, with any reason kept beside it
    allowed: bool | None = None
    rules: tuple = ()
    citations: tuple = ()
    actor: str = ""


# Ledger kinds shown on the timeline (contacts, holds and promises come from their own rows).
TIMELINE_EVENT_KINDS = (
    "case.stage_changed", "case.assigned", "placement.created", "placement.recalled", "payment_plan.created",
    "personal_data.revealed", "notice.composed",
)
TIMELINE_LIMIT = 200  # per source: the newest; the audit view has the full history


def case_timeline(*, case: Case) -> list[TimelineEntry]:
    """One timeline of the case, newest first: contacts (allowed and blocked, with the rules
    and citations), notices, payments, promises, holds and the ledger's stage changes and
    other acts. Six queries whatever the history's length."""
    from compliance.models import AuditEvent
    from notices.models import Notice

    entries: list[TimelineEntry] = []
    # Not the stored decisions (kilobytes each): only who a third party was, from inside them.
    attempts = ContactAttempt.objects.filter(case=case).defer("decision").annotate(
        relationship=KT("decision__request__third_party__relationship"),
    ).order_by("-at")[:TIMELINE_LIMIT]
    for a in attempts:
        entries.append(TimelineEntry(
            at=a.at, kind="contact", title=_contact_title(a),
            detail=a.note or a.message, allowed=a.allowed, rules=tuple(a.rule_ids or ()),
            citations=tuple(a.citations or ()), actor=a.actor_label,
        ))
    for n in Notice.objects.filter(case=case).order_by("-planned_at")[:TIMELINE_LIMIT]:
        entries.append(TimelineEntry(
            at=n.sent_at or n.planned_at, kind="notice", title=f"{n.kind} · {n.get_channel_display()}",
            detail=n.get_status_display(), rules=tuple(n.suppressed_by or ()),
        ))
    for p in Payment.objects.filter(loan_id=case.loan_id).order_by("-posted_at")[:TIMELINE_LIMIT]:
        entries.append(TimelineEntry(at=p.posted_at, kind="payment", title=f"{p.amount} {p.currency}",
                                     detail=p.external_ref))
    for p in PromiseToPay.objects.filter(case=case).order_by("-created_at")[:TIMELINE_LIMIT]:
        entries.append(TimelineEntry(at=p.created_at, kind="promise", title=f"{p.amount} {p.currency}",
                                     detail=f"{p.due_date.isoformat()} · {p.get_status_display()}"))
    for h in case_holds(case=case)[:TIMELINE_LIMIT]:
        entries.append(TimelineEntry(at=h.opened_at, kind="hold", title=h.get_kind_display(), detail=h.evidence,
                                     actor=h.opened_by.get_username() if h.opened_by else ""))
        if h.closed_at:
            entries.append(TimelineEntry(at=h.closed_at, kind="hold_closed", title=h.get_kind_display(),
                                         detail=h.close_reason,
                                         actor=h.closed_by.get_username() if h.closed_by else ""))
    events = list(AuditEvent.objects.filter(case_id=case.pk, kind__in=TIMELINE_EVENT_KINDS)
                  .order_by("-seq")[:TIMELINE_LIMIT])
    payloads = [json.loads(e.payload) for e in events]
    reasons = reasons_beside_the_ledger(payloads)
    for e, payload in zip(events, payloads):
        if "reason_sha256" in payload:
            payload = {**payload, "reason": reasons.get(reason_key(payload), "")}
        entries.append(TimelineEntry(at=e.at, kind="stage" if e.kind == "case.stage_changed" else "event",
                                     title=e.kind, detail=payload, actor=e.actor))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries


def _contact_title(attempt: ContactAttempt) -> str:
    """"Call · No answer"; for a third party also who they were and why they were contacted."""
    channel = attempt.get_channel_display()
    if attempt.relationship:
        who = ThirdPartyRelationship(attempt.relationship).label if attempt.relationship in ThirdPartyRelationship.values \
            else attempt.relationship
        why = ThirdPartyPurpose(attempt.purpose).label if attempt.purpose in ThirdPartyPurpose.values else attempt.purpose
        channel = f"{channel} ({who}: {why})"
    if attempt.initiated_by_consumer:
        channel = _("%(channel)s from the debtor") % {"channel": channel}
    elif attempt.purpose == "reply":
        channel = _("%(channel)s replying to the debtor") % {"channel": channel}
    return f"{channel} · {attempt.get_outcome_display()}"


def debtor_preferences(*, debtor) -> list[ContactPreference]:
    """The debtor's opt-outs and consents in force now, newest first."""
    at = now()
    return list(
        ContactPreference.objects.filter(debtor=debtor, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))
        .order_by("-recorded_at")
    )


def assignable_collectors(*, user, case: Case | None = None):
    """Collectors a supervisor may hand a case to: members of the supervisor's teams (and of
    the case's team) who hold the collector role."""
    User = get_user_model()
    teams = Team.objects.filter(members=user)
    if case is not None and case.team_id:
        teams = teams.filter(pk=case.team_id)
    return (
        User.objects.filter(is_active=True, groups__name="collector", teams__in=teams)
        .distinct().order_by("username")
    )


def agencies() -> QuerySet[Agency]:
    return Agency.objects.order_by("name")


def open_placement(*, case: Case):
    return case.placements.filter(recalled_at__isnull=True).select_related("agency").order_by("-placed_at").first()


# --- the queue page ---------------------------------------------------------------------------

@dataclass(frozen=True)
class QueueRow:
    case: Case
    score: QueueScore
    position: int                       # 1-based place in the whole queue
    days_past_due: int
    channels: tuple[ChannelStatus, ...]  # in QUEUE_CHANNELS order


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    page: object | None                  # a Paginator page when the queue is paged by place
    contactable: ContactablePage | None  # set when the "can contact now" filter is on


# Past any real queue (it shows the last page), and small enough for the database's offsets.
LAST_PAGE_ASKED = 10**9


def _page_number(value) -> int:
    """The requested page: a whole number from 1; anything else asks for page 1."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), LAST_PAGE_ASKED)


def queue_page(*, user, moment: datetime, today: date, stage: str | None = None, jurisdiction: str | None = None,
               dpd_bucket: str | None = None, contactable: bool = False, page_number=None, start: int = 0,
               size: int = 50) -> QueuePage:
    """One page of the user's work queue: ranked, filtered, each row with its score's parts
    and the gate's answer per channel now. A fixed number of queries whatever the page size."""
    from django.core.paginator import Paginator
    from django.db import connection, transaction

    cases = work_queue(user=user, today=today, stage=stage, jurisdiction=jurisdiction, dpd_bucket=dpd_bucket)
    ranked = rank_queue(cases, today=today, moment=moment)
    # savepoint=False: inside a caller's transaction (a test's) the setting just joins it.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            # Ranking a book of a few thousand case rows takes a few milliseconds on one core;
            # starting parallel workers for it costs more than they save, and varies with load.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        if contactable:
            found = contactable_page(ranked, today=today, at=moment, start=start, size=size)
            page, page_cases, statuses = None, found.cases, found.statuses
        else:
            found = None
            # Paged by place in the queue, counted by the ranking query itself. Past the
            # end (a stale link) the count comes alone and the last page is read instead.
            number = _page_number(page_number)
            page_cases, length = counted_slice(ranked, today=today, start=(number - 1) * size, stop=number * size)
            if length is None:
                length = cases.count()
            page = Paginator(range(length), size).get_page(number)
            if not page_cases and length:
                places = page.object_list
                page_cases = queue_slice(ranked, today=today, start=places.start, stop=places.stop)
            statuses = contact_statuses(page_cases, at=moment)
    rows = [
        QueueRow(case=c, score=c.score, position=c.position, days_past_due=c.loan.days_past_due(today),
                 channels=tuple(statuses[c.pk][ch] for ch in QUEUE_CHANNELS))
        for c in page_cases
    ]
    return QueuePage(rows=rows, page=page, contactable=found)
