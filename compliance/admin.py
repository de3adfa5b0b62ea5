"""The audit ledger in the admin: for reading only.

The ledger is append-only (the database refuses UPDATE, DELETE and TRUNCATE); the admin
does not even offer the buttons, to anyone, superusers included. Viewing needs
`compliance.view_auditevent` (the compliance officer's group has it).
"""

from django.contrib import admin

from .models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the admin shows and never adds, changes or deletes, to anyone."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "kind", "actor", "case_id")
    list_filter = ("kind",)
    # Exact matches on the case number or the sequence number: indexed, and no personal data.
    search_fields = ("=case__id", "=seq", "actor")
    fields = ("seq", "at", "kind", "actor", "case", "payload", "prev_hash", "hash")
    readonly_fields = fields
    # The table only grows; counting all of it on every page is not worth the time.
    show_full_result_count = False
