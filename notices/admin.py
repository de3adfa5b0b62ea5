from django.contrib import admin

from collections_app.admin import AuditedAdmin, CaseScopedMixin, ReadOnlyAdmin

from .models import Notice, NoticeSchedule


@admin.register(NoticeSchedule)
class NoticeScheduleAdmin(AuditedAdmin):
    # Compliance officers and administrators tune when each notice kind goes out.
    list_display = ("kind", "channel", "trigger", "offset_days", "stage", "jurisdiction", "active")
    list_filter = ("channel", "trigger", "jurisdiction", "active")
    list_editable = ("active",)


@admin.register(Notice)
class NoticeAdmin(CaseScopedMixin, ReadOnlyAdmin):
    # Read-only: the outbox is written by the planner and the dispatcher, and audited there.
    case_field = "case_id"
    list_display = ("idempotency_key", "kind", "channel", "status", "due_at", "next_allowed_at", "sent_at")
    list_filter = ("status", "kind", "channel")
    list_select_related = ("case",)
    search_fields = ("idempotency_key", "case__loan__loan_ref")
    show_full_result_count = False
