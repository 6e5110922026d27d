"""Admin: the walk-in categories and the duty manager per mall are edited
here; incidents and their notices are read-only records (every change goes
through the services and the desk pages)."""

from __future__ import annotations

from django.contrib import admin

from desk.models import (
    DeskSettings,
    Incident,
    ParkingSpendRule,
    ParkingTierHours,
    WalkInCategory,
)
from mallservice.admin import ProjectAdmin, RecordAdmin, register_records


@admin.register(WalkInCategory)
class WalkInCategoryAdmin(ProjectAdmin):
    list_display = ["name", "code", "mall", "order", "is_active"]
    list_filter = ["mall", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(DeskSettings)
class DeskSettingsAdmin(ProjectAdmin):
    list_display = ["mall", "duty_manager_name", "duty_manager_phone"]


@admin.register(Incident)
class IncidentAdmin(RecordAdmin):
    list_display = ["reference", "mall", "kind", "urgent", "status", "occurred_at"]
    list_filter = ["mall", "kind", "status", "urgent"]
    search_fields = ["reference"]


# The mall's free-parking rules, edited by its managers (停车减免规则).
@admin.register(ParkingSpendRule)
class ParkingSpendRuleAdmin(ProjectAdmin):
    list_display = ["mall", "min_amount", "hours"]
    list_filter = ["mall"]


@admin.register(ParkingTierHours)
class ParkingTierHoursAdmin(ProjectAdmin):
    list_display = ["mall", "tier", "hours"]
    list_filter = ["mall"]


register_records("desk")
