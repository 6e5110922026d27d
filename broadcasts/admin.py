"""Read-only admin views: every write goes through the services (and the
desk screens), so the admin is for looking and for the row history."""

from django.contrib import admin

from broadcasts.models import (
    Announcement,
    MissingPersonCase,
    RoutineAiring,
    Screen,
    ScreenLiveRecord,
    ScreenMessage,
    ScreenMessageEdit,
    ScriptTemplate,
)
from mallservice.admin import AuditedAdminMixin


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_filter = ["mall"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScriptTemplate)
class ScriptTemplateAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "mall", "is_active"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "state", "mall", "requested_by", "requested_at"]
    list_select_related = ["mall", "requested_by"]


@admin.register(RoutineAiring)
class RoutineAiringAdmin(ReadOnlyAdmin):
    list_display = ["due_at", "state", "mall", "aired_by"]
    list_select_related = ["mall", "aired_by"]


@admin.register(MissingPersonCase)
class MissingPersonCaseAdmin(ReadOnlyAdmin):
    list_display = ["pk", "person_kind", "state", "mall", "reported_at", "police_called_at"]
    exclude = ["reporter_phone"]


@admin.register(Screen)
class ScreenAdmin(ReadOnlyAdmin):
    list_display = ["name", "location", "mall", "is_active"]
    exclude = ["token"]


@admin.register(ScreenMessage)
class ScreenMessageAdmin(ReadOnlyAdmin):
    list_display = ["title", "state", "priority", "is_emergency", "mall", "starts_on", "ends_on"]


@admin.register(ScreenMessageEdit)
class ScreenMessageEditAdmin(ReadOnlyAdmin):
    list_display = ["message", "state", "submitted_by", "submitted_at", "decided_by", "mall"]
    list_select_related = ["message", "submitted_by", "decided_by", "mall"]


@admin.register(ScreenLiveRecord)
class ScreenLiveRecordAdmin(ReadOnlyAdmin):
    list_display = ["screen", "message", "live_from", "live_until"]
    list_select_related = ["screen", "message"]
