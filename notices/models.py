"""The outbox: notice kinds, their schedules (editable in the admin) and every planned or
sent notice. The database is the schedule; Celery only triggers it."""

from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class NoticeChannel(models.TextChoices):
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class NoticeSchedule(models.Model):
    """When a notice kind is planned for a case. `kind` names a kind of notices.kinds."""

    class Trigger(models.TextChoices):
        # Reminders by days past due: planned once per case and schedule.
        DAYS_PAST_DUE = "days_past_due", _("Days past due")
        # The validation notice: within 5 days of the initial communication (1006.34(a)).
        CASE_OPENED = "case_opened", _("Case opened")
        STAGE_ENTERED = "stage_entered", _("Stage entered")
        PROMISE_DUE = "promise_due", _("Promise to pay falls due")
        PROMISE_BROKEN = "promise_broken", _("Promise to pay broken")
        INSTALMENT_DUE = "instalment_due", _("Plan instalment falls due")
        CEASE_RECEIVED = "cease_received", _("Cease request received")

    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=8, choices=NoticeChannel.choices)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    # days_past_due: the threshold; promise/instalment: days before (negative) or after the date.
    offset_days = models.IntegerField(default=0)
    stage = models.CharField(max_length=16, blank=True, help_text=_("For stage_entered: the stage"))
    # A jurisdiction prefix: "US" covers US, US-MA, US-CA…; "" covers every jurisdiction.
    jurisdiction = models.CharField(max_length=8, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "channel", "trigger", "offset_days", "stage", "jurisdiction"],
                name="notice_schedule_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} on {self.get_trigger_display()} {self.offset_days:+d}"


class Notice(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Suppressed")

    case = models.ForeignKey("collections_app.Case", on_delete=models.PROTECT, related_name="notices")
    schedule = models.ForeignKey(NoticeSchedule, on_delete=models.PROTECT, null=True, related_name="notices")
    kind = models.CharField(max_length=40)
    channel = models.CharField(max_length=8, choices=NoticeChannel.choices)
    # What makes a notice "the same notice": a rerun of a day plans nothing twice.
    cycle = models.CharField(max_length=40)
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    due_at = models.DateTimeField(help_text=_("Not to be sent before this moment"))
    # Set when the gate deferred the notice: the next lawful moment on its channel.
    next_allowed_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    planned_at = models.DateTimeField(default=now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivery_id = models.CharField(max_length=200, blank=True)
    # The gate's recorded decision that let it go (a ContactAttempt with the rule ids).
    attempt = models.ForeignKey(
        "collections_app.ContactAttempt", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    # A message a collector composed (kind "composed"): its words, checked by the gate as typed.
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    document = models.CharField(max_length=300, blank=True, help_text=_("Rendered document (print batch path)"))
    suppressed_by = models.JSONField(default=list, blank=True, help_text=_("Rule ids that suppressed it"))
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "cycle"], name="notice_once_per_case_kind_cycle"),
        ]
        indexes = [
            models.Index(fields=["due_at"], name="notice_planned_due", condition=Q(status="planned")),
            models.Index(fields=["lease_until"], name="notice_sending_lease", condition=Q(status="sending")),
        ]

    def __str__(self) -> str:
        return self.idempotency_key
