"""The admin: staff's window on every record of the case domain.

Group permissions decide what each role sees (collectors and supervisors hold view
permissions only). Three rules keep the admin from becoming a side door:
- a case's stage is read-only: stages move only through services.case_transition,
  which checks guards and permissions and audits the move;
- holds and contact attempts are read-only: holds open and close through the audited
  services, contact attempts are records of what happened;
- every other write made here is appended to the audit ledger (AuditedAdmin).
Search goes by the lender's references, never by name, phone or email, because a search
term lands in the URL (and so in access logs).
"""

from django.contrib import admin
from django.db import transaction
from django.db.models import Count
from django_fsm_log.admin import StateLogInline

from compliance import ledger
from compliance.admin import ReadOnlyAdmin

from .models import (
    Agency, Case, ContactAttempt, ContactPoint, ContactPreference, Debtor, Hold, Instalment, Loan, Payment,
    PaymentPlan, PersonalDataReveal, Placement, PromiseToPay, StaffPreference, Team,
)
from .selectors import cases_visible_to


def _audit_admin_write(request, kind: str, objs, fields=()) -> None:
    # Field names only, never values: the ledger is immutable, personal data must not
    # be written into it. The admin's own LogEntry keeps the human-readable detail.
    ledger.append_many([
        ledger.Draft(
            kind=kind, actor=ledger.actor_label(request.user),
            case_id=obj.pk if isinstance(obj, Case) and kind != "admin.deleted" else None,
            data={"model": obj._meta.label, "pk": obj.pk, "fields": sorted(fields)},
        )
        for obj in objs
    ])


class AuditedAdmin(admin.ModelAdmin):
    """Appends an audit event for every add, change and delete made through the admin.

    The admin's add/change/delete views already run in one transaction, so the record and
    its audit event commit together; the bulk delete action does not, hence the atomic.
    """

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _audit_admin_write(request, "admin.changed" if change else "admin.added", [obj], form.changed_data)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            _audit_admin_write(request, "admin.changed", [form.instance], [formset.prefix])

    def delete_model(self, request, obj):
        _audit_admin_write(request, "admin.deleted", [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            _audit_admin_write(request, "admin.deleted", list(queryset))
            super().delete_queryset(request, queryset)


class CaseScopedMixin:
    """Rows reached through a case are listed only to users who may see that case.

    `case_field` is the path from the row to its case's id; rows that belong to a debtor
    rather than one case name `debtor_field`, the path to the debtor's id, instead.
    """

    case_field = None
    debtor_field = None

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        visible = cases_visible_to(request.user)
        if not visible.query.where:  # nothing filtered: the user may see every case
            return rows
        if self.debtor_field:
            return rows.filter(**{f"{self.debtor_field}__in": visible.values("debtor_id")})
        return rows.filter(**{f"{self.case_field}__in": visible.values("pk")})


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable with the view permission; nobody adds, changes or deletes here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "member_count")
    search_fields = ("name",)
    filter_horizontal = ("members",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(ordering="member_count")
    def member_count(self, team):
        return team.member_count


class ContactPointInline(admin.TabularInline):
    model = ContactPoint
    extra = 0
    fields = ("kind", "value", "country", "is_primary", "is_workplace")


@admin.register(Debtor)
class DebtorAdmin(CaseScopedMixin, AuditedAdmin):
    debtor_field = "pk"
    list_display = ("debtor_ref", "full_name", "language", "timezone", "created_at")
    list_filter = ("language",)
    search_fields = ("debtor_ref",)
    inlines = (ContactPointInline,)


@admin.register(ContactPoint)
class ContactPointAdmin(CaseScopedMixin, AuditedAdmin):
    debtor_field = "debtor_id"
    list_display = ("id", "debtor", "kind", "value", "country", "is_primary", "is_workplace")
    list_select_related = ("debtor",)
    list_filter = ("kind", "country", "is_workplace")
    search_fields = ("debtor__debtor_ref",)
    raw_id_fields = ("debtor",)


@admin.register(ContactPreference)
class ContactPreferenceAdmin(CaseScopedMixin, AuditedAdmin):
    debtor_field = "debtor_id"
    list_display = ("id", "debtor", "channel", "kind", "contact_point", "recorded_at", "revoked_at")
    list_select_related = ("debtor", "contact_point")
    list_filter = ("channel", "kind")
    search_fields = ("debtor__debtor_ref",)
    raw_id_fields = ("debtor", "contact_point")


@admin.register(Loan)
class LoanAdmin(CaseScopedMixin, AuditedAdmin):
    case_field = "case__pk"
    list_display = ("loan_ref", "debtor", "currency", "principal", "balance", "due_date", "itemization_date")
    list_select_related = ("debtor",)
    list_filter = ("currency",)
    search_fields = ("loan_ref", "debtor__debtor_ref")
    raw_id_fields = ("debtor",)


@admin.register(Case)
class CaseAdmin(CaseScopedMixin, AuditedAdmin):
    case_field = "pk"
    list_display = ("id", "loan", "debtor", "stage", "jurisdiction", "collector", "team", "stage_changed_at")
    list_select_related = ("loan", "debtor", "collector", "team")
    list_filter = ("stage", "jurisdiction", "collector_type", "team")
    search_fields = ("loan__loan_ref", "debtor__debtor_ref")
    raw_id_fields = ("loan", "debtor", "collector")
    # Stage and its timestamps move only through services.case_transition (guarded, audited).
    readonly_fields = ("stage", "stage_changed_at", "final_notice_at", "opened_at")
    inlines = (StateLogInline,)

    def get_readonly_fields(self, request, obj=None):
        # A case stays on the loan and debtor it was opened for.
        return (*self.readonly_fields, "loan", "debtor") if obj else self.readonly_fields

    def has_add_permission(self, request):
        # Cases open through a portfolio import, which validates the loan and audits the opening.
        return False


@admin.register(Hold)
class HoldAdmin(CaseScopedMixin, ReadOnlyAdmin):
    debtor_field = "debtor_id"
    # Read-only: services.hold_open / hold_close require evidence and a reason and audit both.
    list_display = ("id", "kind", "debtor", "case", "opened_at", "opened_by", "closed_at")
    list_select_related = ("debtor", "case__loan", "opened_by")
    list_filter = ("kind", ("closed_at", admin.EmptyFieldListFilter))
    search_fields = ("debtor__debtor_ref", "case__loan__loan_ref")


@admin.register(PromiseToPay)
class PromiseToPayAdmin(CaseScopedMixin, AuditedAdmin):
    case_field = "case_id"
    list_display = ("id", "case", "amount", "currency", "due_date", "status", "created_by")
    list_select_related = ("case__loan", "created_by")
    list_filter = ("status", "currency")
    search_fields = ("case__loan__loan_ref",)
    raw_id_fields = ("case", "created_by")


class InstalmentInline(admin.TabularInline):
    model = Instalment
    extra = 0


@admin.register(PaymentPlan)
class PaymentPlanAdmin(CaseScopedMixin, AuditedAdmin):
    case_field = "case_id"
    list_display = ("id", "case", "currency", "status", "created_at", "created_by")
    list_select_related = ("case__loan", "created_by")
    list_filter = ("status", "currency")
    search_fields = ("case__loan__loan_ref",)
    raw_id_fields = ("case", "created_by")
    inlines = (InstalmentInline,)


@admin.register(Payment)
class PaymentAdmin(CaseScopedMixin, AuditedAdmin):
    case_field = "loan__case__pk"
    list_display = ("external_ref", "loan", "amount", "currency", "received_on", "posted_at")
    list_select_related = ("loan",)
    list_filter = ("currency",)
    search_fields = ("external_ref", "loan__loan_ref")
    raw_id_fields = ("loan",)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "contact_email")
    search_fields = ("name",)


@admin.register(Placement)
class PlacementAdmin(CaseScopedMixin, AuditedAdmin):
    case_field = "case_id"
    list_display = ("id", "case", "agency", "placed_at", "placed_by", "recalled_at")
    list_select_related = ("case__loan", "agency", "placed_by")
    list_filter = ("agency",)
    search_fields = ("case__loan__loan_ref",)
    raw_id_fields = ("case", "placed_by", "recalled_by")


@admin.register(ContactAttempt)
class ContactAttemptAdmin(CaseScopedMixin, ReadOnlyAdmin):
    case_field = "case_id"
    # Read-only: a record of what happened (or was blocked), written by the gate or an import.
    list_display = ("at", "case", "channel", "outcome", "allowed", "actor_label", "pack", "source")
    list_select_related = ("case__loan",)
    list_filter = ("allowed", "channel", "outcome", "source", "pack")
    search_fields = ("case__loan__loan_ref",)


@admin.register(StaffPreference)
class StaffPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "time_zone")
    search_fields = ("user__username", "time_zone")


@admin.register(PersonalDataReveal)
class PersonalDataRevealAdmin(ReadOnlyAdmin):
    """Read only: each row is named by a ledger event that holds its reason's fingerprint."""

    list_display = ("case", "revealed_by", "revealed_at")
    list_filter = ("revealed_at",)
