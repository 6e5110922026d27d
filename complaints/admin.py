"""Admin for the desk's configuration (categories, statuses, SLA policies,
settings). Complaints themselves are read-only here: workflow changes go
through the desk pages and their services."""

from django.contrib import admin

from complaints.models import (
    Category,
    Complaint,
    DeskSettings,
    OutboxMessage,
    SlaPolicy,
    Status,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "mall", "sort_order", "is_active"]
    list_filter = ["mall", "is_active"]


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ["name", "customer_label", "category", "is_default", "mall", "is_active"]
    list_filter = ["mall", "category"]


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ["mall", "severity", "tier", "response_minutes", "resolution_minutes"]
    list_filter = ["mall", "severity"]


@admin.register(DeskSettings)
class DeskSettingsAdmin(admin.ModelAdmin):
    list_display = ["mall", "summary_time", "reference_prefix"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["channel", "to", "state", "created_at", "backend"]
    list_filter = ["channel", "state"]

    def has_change_permission(self, request, obj=None):
        return False
