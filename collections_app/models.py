"""The case domain: debtors and how to reach them, loans, cases and their stages, holds,
promises, plans, payments, placements and every contact attempt.

Writes go through `collections_app.services`; the stage field is protected, so nothing
but a transition (called by a service that audits it) can move a case.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

MONEY = {"max_digits": 14, "decimal_places": 2}


# The years any date entered or imported may fall in: earlier or later ones are mistyped
# ("0026-08-01", "9999-12-31"), and day arithmetic at the ends of the calendar overflows.
FIRST_YEAR, LAST_YEAR = 1970, 2099


def plausible_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    CHINESE_SIMPLIFIED = "zh-Hans", "简体中文"


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit")
    THIRD_PARTY = "third_party", _("Third-party contact")


class CollectorType(models.TextChoices):
    # Regulation F binds third-party collectors; firm policy applies it to lenders too.
    FIRST_PARTY = "first_party", _("First party (the lender)")
    THIRD_PARTY = "third_party", _("Third party (collection agency)")


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)

    def __str__(self) -> str:
        return self.name


class Debtor(models.Model):
    debtor_ref = models.CharField(max_length=64, unique=True, help_text=_("The lender's reference"))
    full_name = models.CharField(max_length=200)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    # Known from the debtor; otherwise the gate derives candidate zones from the
    # address and every phone number (US.TIME.AMBIGUOUS).
    timezone = models.CharField(max_length=64, blank=True)
    # Daily periods the consumer called inconvenient, local time: [["12:00", "13:30"], …]
    # (1006.6(b)(1)): blocked like the hours outside 08:00-21:00.
    inconvenient_times = models.JSONField(default=list, blank=True)
    # 1006.6(b)(3): the employer prohibits contact at work, or the consumer said "not at work".
    employer_prohibits_contact = models.BooleanField(default=False)
    not_at_work_since = models.DateTimeField(null=True, blank=True)
    # CN.THIRD_PARTY: contacts may be reached only while the debtor cannot be.
    unreachable = models.BooleanField(default=False)
    incapacitated = models.BooleanField(default=False)
    # GB.VISIT / CONC 7.9.12R: no visit when the customer is or may be vulnerable.
    vulnerable = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"{self.full_name} ({self.debtor_ref})"


class ContactPoint(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        ADDRESS = "address", _("Postal address")

    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Phones in E.164, emails lower-cased, addresses as one line for display.
    value = models.CharField(max_length=320)
    line1 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    # US.WORKPLACE / US-MA: work numbers, work email and the workplace address need care.
    is_workplace = models.BooleanField(default=False)
    is_primary = models.BooleanField(default=False)
    # Phones: mobile, landline, voip or unknown (from phonenumbers); whether it rings at home.
    line = models.CharField(max_length=10, blank=True)
    at_residence = models.BooleanField(default=False)
    # US.EMAIL.SAFE (1006.6(d)(3)-(5)): what makes an electronic address safe to use.
    consumer_used_at = models.DateTimeField(null=True, blank=True, help_text=_("The consumer last wrote or texted from it"))
    reassigned_check_at = models.DateTimeField(null=True, blank=True)
    reassigned = models.BooleanField(default=False)
    creditor_notice_sent_at = models.DateTimeField(null=True, blank=True)
    creditor_notice_opt_out_days = models.PositiveSmallIntegerField(default=0)
    inherited_from_prior_collector = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["debtor", "kind", "value"], name="contact_point_unique_per_debtor"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ContactPreference(models.Model):
    """A consent to, or an opt-out from, a channel; for one contact point or the whole medium.

    Opt-outs apply across all the debtor's debts (US.MEDIUM, 1006.14(h)); consents make
    an electronic address safe to use (US.EMAIL.SAFE, 1006.6(d)(3)-(5)) and exclude calls
    from the 7-in-7 count (1006.14(b)(3)).
    """

    class Kind(models.TextChoices):
        CONSENT = "consent", _("Consent")
        OPT_OUT = "opt_out", _("Opt-out")

    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="preferences")
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="preferences",
        help_text=_("Blank: the whole medium, whatever the address"),
    )
    class Scope(models.TextChoices):
        # What a consent covers (1006.6(b)(4), 1006.14(b)(3)(i), 1006.6(d)).
        CALLS = "calls", _("Calls despite the frequency caps")
        TIME = "time", _("Contact outside the usual hours")
        WORKPLACE = "workplace", _("Contact at the workplace")
        ATTORNEY = "attorney", _("Contact despite the attorney")
        ELECTRONIC = "electronic", _("Electronic messages to this address")
        THIRD_PARTY = "third_party", _("Discussing the debt with a third party")

    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True,
                               help_text=_("Blank: every channel"))
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scope = models.CharField(max_length=12, choices=Scope.choices, blank=True, help_text=_("For consents"))
    recorded_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["debtor", "channel"])]


class Loan(models.Model):
    loan_ref = models.CharField(max_length=64, unique=True, help_text=_("The lender's reference"))
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="loans")
    originator = models.CharField(max_length=200, blank=True, help_text=_("Creditor on the itemisation date"))
    current_creditor = models.CharField(max_length=200, blank=True)
    currency = models.CharField(max_length=3)
    principal = models.DecimalField(**MONEY)
    balance = models.DecimalField(**MONEY)
    due_date = models.DateField()
    # Itemisation (1006.34(c)(2)): the amount on the itemisation date, and what changed since.
    itemization_date = models.DateField()
    itemization_amount = models.DecimalField(**MONEY)
    interest_since = models.DecimalField(**MONEY, default=0)
    fees_since = models.DecimalField(**MONEY, default=0)
    payments_since = models.DecimalField(**MONEY, default=0)
    credits_since = models.DecimalField(**MONEY, default=0)
    updated_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.loan_ref

    def days_past_due(self, today: date) -> int:
        return max((today - self.due_date).days, 0)


class Stage(models.TextChoices):
    NEW = "new", _("New")
    EARLY = "early", _("Early reminders")
    ACTIVE = "active", _("Active collection")
    FINAL_NOTICE = "final_notice", _("Final notice")
    ARRANGEMENT = "arrangement", _("Payment arrangement")
    AGENCY = "agency", _("Outside agency")
    LEGAL = "legal", _("Legal referral")
    RESOLVED = "resolved", _("Resolved")
    WRITTEN_OFF = "written_off", _("Written off")
    CLOSED = "closed", _("Closed")


OPEN_STAGES = [
    Stage.NEW, Stage.EARLY, Stage.ACTIVE, Stage.FINAL_NOTICE,
    Stage.ARRANGEMENT, Stage.AGENCY, Stage.LEGAL,
]


class HoldKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    CEASE = "cease", _("Cease communication")
    ATTORNEY = "attorney", _("Represented by an attorney")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    DECEASED = "deceased", _("Deceased")
    COMPLAINT = "complaint", _("Complaint")


# Holds that forbid escalating a case past active collection.
ESCALATION_BLOCKING_HOLDS = (HoldKind.DISPUTE, HoldKind.CEASE, HoldKind.BANKRUPTCY, HoldKind.DECEASED)


def no_escalation_blocking_hold(case: "Case") -> bool:
    return not case.open_holds().filter(kind__in=ESCALATION_BLOCKING_HOLDS).exists()


def final_notice_waiting_period_over(case: "Case") -> bool:
    # Firm policy: the final notice gives the debtor a stated time to respond before a
    # legal referral; `DUNWELL_FINAL_NOTICE_WAIT_DAYS` sets it (default 30 days).
    if case.final_notice_at is None:
        return False
    waited = now() - case.final_notice_at
    return waited.days >= settings.DUNWELL_FINAL_NOTICE_WAIT_DAYS


# Case columns the database maintains (see Case.save).
QUEUE_FACTS = frozenset({
    "next_promise_due", "next_instalment_due", "last_payment_on", "last_spoke_at", "last_unanswered_at",
    "has_broken_promise", "loan_balance",
})


class Case(FSMModelMixin, models.Model):
    loan = models.OneToOneField(Loan, on_delete=models.PROTECT, related_name="case")
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="cases")
    stage = FSMField(max_length=16, choices=Stage.choices, default=Stage.NEW, protected=True)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases",
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="cases")
    # ISO 3166: US, US-MA, US-CA, US-WA, CN, GB. Derived from the address unless overridden.
    jurisdiction = models.CharField(max_length=8)
    jurisdiction_overridden = models.BooleanField(default=False)
    collector_type = models.CharField(max_length=12, choices=CollectorType.choices)
    opened_at = models.DateTimeField(default=now)
    stage_changed_at = models.DateTimeField(default=now)
    final_notice_at = models.DateTimeField(null=True, blank=True)
    # When the debtor asked to be called back; the work queue puts the case first that day.
    callback_at = models.DateTimeField(null=True, blank=True)
    # Facts the wording rules depend on (1006.18, 1006.26): a statement may be lawful
    # when true and intended, unlawful otherwise.
    suit_authorized = models.BooleanField(default=False)
    judgment_exists = models.BooleanField(default=False)
    time_barred = models.BooleanField(default=False)
    # Regulation F's validation notice (1006.34) and its period; set when the notice is sent.
    initial_communication_at = models.DateTimeField(null=True, blank=True)
    validation_notice_sent_at = models.DateTimeField(null=True, blank=True)
    validation_period_end = models.DateField(null=True, blank=True)
    # CN.OUTSOURCE: the debtor was told before placement with an agency, and how.
    # (The texts are nullable without a default so that SQLite adds them in place instead of
    # rebuilding the table, which the queue-facts triggers of 0007 refer to.)
    outsourcing_notified_at = models.DateTimeField(null=True, blank=True)
    outsourcing_notice_evidence = models.TextField(null=True, blank=True)  # noqa: DJ001
    # GB.FORBEARANCE: forbearance considered before escalation, and what was considered.
    forbearance_reviewed_at = models.DateTimeField(null=True, blank=True)
    forbearance_review_note = models.TextField(null=True, blank=True)  # noqa: DJ001
    # The work queue's priority facts, summarising the case's promises, plan, payments and
    # attempts. Database triggers keep them (migration 0007_queue_facts) on every write path,
    # raw SQL and bulk imports included; `save()` never writes them back.
    next_promise_due = models.DateField(null=True, editable=False)       # earliest open promise
    next_instalment_due = models.DateField(null=True, editable=False)    # earliest unpaid instalment, active plan
    last_payment_on = models.DateField(null=True, editable=False)        # latest payment received on the loan
    last_spoke_at = models.DateTimeField(null=True, editable=False)      # latest allowed conversation
    last_unanswered_at = models.DateTimeField(null=True, editable=False)  # latest allowed unanswered attempt
    has_broken_promise = models.BooleanField(default=False, db_default=False, editable=False)
    # A copy of the loan's balance for ranking the queue (migration 0009); read loan.balance for the money.
    loan_balance = models.DecimalField(
        **MONEY, null=True, editable=False,
        help_text="Copy of the loan's balance kept by database triggers for ranking the work queue")

    class Meta:
        indexes = [
            models.Index(fields=["stage"]),
            models.Index(fields=["collector", "stage"]),
        ]
        permissions = [
            ("place_with_agency", "Can place a case with an outside agency"),
            ("refer_to_legal", "Can refer a case to legal"),
            ("write_off_case", "Can write a case off"),
            ("assign_case", "Can assign and reassign cases"),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} ({self.loan.loan_ref})"

    def save(self, *args, **kwargs):
        # An instance loaded before a trigger moved its queue facts would write the stale
        # values back: a full save of an existing case leaves them to the database.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in QUEUE_FACTS
            ]
        elif kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = [f for f in kwargs["update_fields"] if f not in QUEUE_FACTS]
        super().save(*args, **kwargs)

    def open_holds(self):
        # Debtor-wide holds (case is null: bankruptcy, deceased) apply to every case.
        return Hold.objects.filter(debtor_id=self.debtor_id, closed_at__isnull=True).filter(
            Q(case__isnull=True) | Q(case_id=self.pk)
        )

    # Transitions. Only collections_app.services calls these; each is audited there.
    @fsm_log_by
    @fsm_log_description
    @transition(field=stage, source=Stage.NEW, target=Stage.EARLY)
    def start_reminders(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=stage, source=[Stage.NEW, Stage.EARLY, Stage.ARRANGEMENT, Stage.AGENCY], target=Stage.ACTIVE)
    def activate(self, by=None, description=None):
        """Active collection; also where a broken arrangement or a recalled placement returns."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=stage, source=Stage.ACTIVE, target=Stage.FINAL_NOTICE, conditions=[no_escalation_blocking_hold])
    def issue_final_notice(self, by=None, description=None):
        self.final_notice_at = now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=stage, source=[Stage.EARLY, Stage.ACTIVE, Stage.FINAL_NOTICE], target=Stage.ARRANGEMENT,
    )
    def arrange(self, by=None, description=None):
        """A payment plan is in force."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=stage, source=Stage.FINAL_NOTICE, target=Stage.AGENCY,
        conditions=[no_escalation_blocking_hold], permission="collections_app.place_with_agency",
    )
    def place_with_agency(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=stage, source=[Stage.FINAL_NOTICE, Stage.AGENCY], target=Stage.LEGAL,
        conditions=[no_escalation_blocking_hold, final_notice_waiting_period_over],
        permission="collections_app.refer_to_legal",
    )
    def refer_to_legal(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=stage, source=OPEN_STAGES, target=Stage.RESOLVED)
    def resolve(self, by=None, description=None):
        """Paid or settled in full."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=stage, source=[Stage.ACTIVE, Stage.FINAL_NOTICE, Stage.AGENCY, Stage.LEGAL],
        target=Stage.WRITTEN_OFF, permission="collections_app.write_off_case",
    )
    def write_off(self, by=None, description=None):
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(field=stage, source=[*OPEN_STAGES, Stage.RESOLVED, Stage.WRITTEN_OFF], target=Stage.CLOSED)
    def close(self, by=None, description=None):
        pass


class Hold(models.Model):
    """Orthogonal to stage; several may be open at once. Each blocks what its rule says."""

    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="holds")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="holds",
        help_text=_("Blank: every case of the debtor (e.g. bankruptcy, deceased)"),
    )
    kind = models.CharField(max_length=12, choices=HoldKind.choices)
    opened_at = models.DateTimeField(default=now)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    evidence = models.TextField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    close_reason = models.TextField(blank=True)
    # 1006.6(b)(2): the attorney consented to direct contact, or did not respond in time.
    attorney_consented = models.BooleanField(default=False)
    attorney_unresponsive = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["debtor", "closed_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} hold on {self.debtor}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class PromiseToPay(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="promises")
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")


class PaymentPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        BROKEN = "broken", _("Broken")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="payment_plans")
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")


class Instalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    due_date = models.DateField()
    amount = models.DecimalField(**MONEY)
    paid_amount = models.DecimalField(**MONEY, default=0)

    class Meta:
        ordering = ["due_date"]


class Payment(models.Model):
    """A payment posted by the lender; `external_ref` makes posting idempotent."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="payments")
    external_ref = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(**MONEY)
    currency = models.CharField(max_length=3)
    received_on = models.DateField()
    posted_at = models.DateTimeField(default=now)


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    contact_email = models.EmailField(blank=True)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Placement(models.Model):
    """A case placed with an outside agency; the contact history goes with it, so the
    agency's frequency caps count what was already done (1006.14(b))."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="placements")
    placed_at = models.DateTimeField(default=now)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contact_history = models.JSONField(default=list)
    recalled_at = models.DateTimeField(null=True, blank=True)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )


class ContactOutcome(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    RIGHT_PARTY_CONTACT = "right_party_contact", _("Right-party contact")
    PROMISE = "promise", _("Promise to pay")
    NO_ANSWER = "no_answer", _("No answer")
    VOICEMAIL = "voicemail", _("Voicemail / message left")
    BUSY = "busy", _("Busy")
    NOT_IN_SERVICE = "not_in_service", _("Not in service")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERABLE = "undeliverable", _("Undeliverable")
    VISITED = "visited", _("Visited")
    # A third party who will not help: not contacted again where the law says stop (CN.THIRD_PARTY).
    REFUSED = "refused", _("Refused to help (third party)")
    NOT_ATTEMPTED = "not_attempted", _("Not attempted (blocked)")


class ThirdPartyRelationship(models.TextChoices):
    """Who a third party is to the debtor (compliance.engine.THIRD_PARTY_RELATIONSHIPS)."""

    NEIGHBOUR = "neighbour", _("Neighbour")
    FAMILY = "family", _("Family member")
    EMPLOYER = "employer", _("Employer")
    SPOUSE = "spouse", _("Spouse")
    PARENT_OF_MINOR = "parent_of_minor", _("Parent (debtor is a minor)")
    GUARDIAN = "guardian", _("Guardian")
    EXECUTOR = "executor", _("Executor")
    ADMINISTRATOR = "administrator", _("Administrator of the estate")
    CONFIRMED_SUCCESSOR = "confirmed_successor", _("Confirmed successor in interest")
    CONSUMER_ATTORNEY = "consumer_attorney", _("The debtor's attorney")
    GUARANTOR = "guarantor", _("Guarantor")
    CREDITOR = "creditor", _("Creditor")
    CREDITOR_ATTORNEY = "creditor_attorney", _("Creditor's attorney")
    COLLECTOR_ATTORNEY = "collector_attorney", _("Our attorney")
    CREDIT_BUREAU = "credit_bureau", _("Credit bureau")
    OTHER = "other", _("Someone else")


class ThirdPartyPurpose(models.TextChoices):
    """Why a third party is contacted (compliance.engine.THIRD_PARTY_PURPOSES)."""

    LOCATION = "location", _("Ask where to reach the debtor")
    PASS_MESSAGE = "pass_message", _("Pass on a message")
    COLLECTION = "collection", _("Discuss the debt")


class ContactAttempt(models.Model):
    """Every attempt on every channel, allowed or blocked, with the decision that let it
    through or stopped it. Blocked attempts are kept: they are the compliance officer's
    training signal."""

    class Source(models.TextChoices):
        GATE = "gate", _("Compliance gate")
        IMPORTED = "imported", _("Imported history")

    # No single-column indexes on case, debtor and actor: the (x, at) indexes below serve
    # those lookups too, and each index costs an insertion on every contact recorded.
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contact_attempts", db_index=False)
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="contact_attempts", db_index=False)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    destination = models.CharField(max_length=320, blank=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              db_index=False)
    actor_label = models.CharField(max_length=100, help_text=_("user:<id>, job:<name> or import"))
    outcome = models.CharField(max_length=24, choices=ContactOutcome.choices)
    allowed = models.BooleanField()
    rule_ids = models.JSONField(default=list)
    citations = models.JSONField(default=list)
    pack = models.CharField(max_length=16, blank=True)
    pack_version = models.CharField(max_length=32, blank=True)
    message = models.TextField(blank=True)
    note = models.TextField(blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.GATE)
    # The consumer called or wrote to us (one reply on the same medium may follow).
    initiated_by_consumer = models.BooleanField(default=False)
    # Made with the person's direct prior consent: not counted against 7-in-7 (1006.14(b)(3)(i)).
    with_consent = models.BooleanField(default=False)
    purpose = models.CharField(max_length=32, default="collection")
    # The full decision and the facts it was made on, so any attempt can be replayed.
    decision = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["debtor", "at"]),
            models.Index(fields=["case", "at"]),
            # The audit view's analytics: blocked attempts by collector and over time.
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["allowed", "at"]),
            # The gate's facts: every third party ever reached (1006.10(c): each once), not
            # only those of the recent window; a few rows per debtor.
            models.Index(fields=["debtor", "at"], condition=Q(channel="third_party", allowed=True),
                         name="attempt_third_party_reached"),
        ]
        constraints = [
            # Re-importing the same history must not double-count it against the caps.
            models.UniqueConstraint(
                fields=["case", "channel", "at", "destination"],
                condition=Q(source="imported"),
                name="imported_contact_unique",
            ),
        ]


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an `Idempotency-Key` header: a retry with the
    same key (same user, same endpoint) gets this answer again and creates nothing. The
    fingerprint of the request tells a retry from a key reused for a different request."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    endpoint = models.CharField(max_length=300)
    fingerprint = models.CharField(max_length=64, help_text=_("SHA-256 of the request body"))
    status_code = models.PositiveSmallIntegerField(null=True)
    # DRF renders decimals and dates as strings already; the encoder covers anything else.
    body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint", "key"], name="idempotency_key_unique_per_endpoint"),
        ]


class ImportJob(models.Model):
    """A portfolio uploaded through the API, imported by a Celery task: its progress and its
    report (the counts, or every rejected row) are read back from this row."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing written")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_path = models.CharField(max_length=500, help_text=_("Under VAR_DIR/imports"))
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Progress: rows read so far, of about rows_total (the file's lines, counted on upload).
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)


class StaffPreference(models.Model):
    """How a member of staff wants the web pages shown: the time zone times are written in
    (collections_app.display_zone). The language is Django's own cookie."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preference")
    time_zone = models.CharField(max_length=64, help_text=_("IANA time zone, e.g. America/Chicago"))

    def __str__(self):
        return f"{self.user} · {self.time_zone}"


class PersonalDataReveal(models.Model):
    """Who was shown a debtor's personal data, when, and why. The ledger's
    personal_data.revealed event names this row and keeps the reason's fingerprint: the
    reason is free text, which the retention purge can redact here."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reveals")
    revealed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revealed_at = models.DateTimeField(default=now)
    reason = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["case", "revealed_at"])]
