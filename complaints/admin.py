"""Admin for the desk's configuration (categories, statuses, SLA policies,
settings). Complaints themselves are read-only here: workflow changes go
through the desk pages and their services."""

from django.contrib import admin

from complaints.models import (
    Category,
    Complaint,
    DeskSettings,
    FaultReport,
    FaultRoute,
    LegalClockRule,
    SlaPolicy,
    Status,
)
from mallservice.admin import ProjectAdmin, register_records


@admin.register(Category)
class CategoryAdmin(ProjectAdmin):
    list_display = ["name", "code", "mall", "sort_order", "is_active"]
    list_filter = ["mall", "is_active"]


@admin.register(Status)
class StatusAdmin(ProjectAdmin):
    list_display = ["name", "customer_label", "category", "is_default", "mall", "is_active"]
    list_filter = ["mall", "category"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(ProjectAdmin):
    list_display = ["mall", "severity", "tier", "response_minutes", "resolution_minutes"]
    list_filter = ["mall", "severity"]


@admin.register(LegalClockRule)
class LegalClockRuleAdmin(ProjectAdmin):
    """A city's legal deadline per public channel (an empty city: every
    city without its own rule); without a row the national defaults
    apply (`complaints.models.legal`)."""

    mall_field = None
    list_display = ["city", "channel", "working_days", "warn_days", "basis"]
    list_filter = ["channel"]


@admin.register(DeskSettings)
class DeskSettingsAdmin(ProjectAdmin):
    list_display = ["mall", "reference_prefix", "fault_reference_prefix"]


@admin.register(Complaint)
class ComplaintAdmin(ProjectAdmin):
    list_display = ["reference", "mall", "state", "status", "sla_state", "received_at"]
    list_filter = ["mall", "state", "sla_state"]
    search_fields = ["reference"]
    list_select_related = ["mall", "status"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FaultRoute)
class FaultRouteAdmin(ProjectAdmin):
    """The fault routing table (which department fixes which type, and how
    fast), per mall; types without a row use the default table."""

    list_display = ["fault_type", "department", "resolution_minutes", "mall"]
    list_filter = ["mall", "department"]


@admin.register(FaultReport)
class FaultReportAdmin(ProjectAdmin):
    list_display = ["reference", "mall", "fault_type", "state", "sla_state", "is_repeat"]
    list_filter = ["mall", "state", "fault_type", "is_repeat"]
    search_fields = ["reference"]
    list_select_related = ["mall"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


register_records("complaints")
