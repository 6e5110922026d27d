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
from mallservice.admin import RecordAdmin, register_records


@admin.register(ScriptTemplate)
class ScriptTemplateAdmin(RecordAdmin):
    list_display = ["name", "kind", "mall", "is_active"]
    list_filter = ["mall"]


@admin.register(Announcement)
class AnnouncementAdmin(RecordAdmin):
    list_display = ["pk", "kind", "state", "mall", "requested_by", "requested_at"]
    list_select_related = ["mall", "requested_by"]
    list_filter = ["mall"]


@admin.register(RoutineAiring)
class RoutineAiringAdmin(RecordAdmin):
    list_display = ["due_at", "state", "mall", "aired_by"]
    list_select_related = ["mall", "aired_by"]
    list_filter = ["mall"]


@admin.register(MissingPersonCase)
class MissingPersonCaseAdmin(RecordAdmin):
    list_display = ["pk", "person_kind", "state", "mall", "reported_at", "police_called_at"]
    exclude = ["reporter_phone"]
    list_filter = ["mall"]


@admin.register(Screen)
class ScreenAdmin(RecordAdmin):
    list_display = ["name", "location", "mall", "is_active"]
    exclude = ["token"]
    list_filter = ["mall"]


@admin.register(ScreenMessage)
class ScreenMessageAdmin(RecordAdmin):
    list_display = ["title", "state", "priority", "is_emergency", "mall", "starts_on", "ends_on"]
    list_filter = ["mall"]


@admin.register(ScreenMessageEdit)
class ScreenMessageEditAdmin(RecordAdmin):
    list_display = ["message", "state", "submitted_by", "submitted_at", "decided_by", "mall"]
    list_select_related = ["message", "submitted_by", "decided_by", "mall"]
    list_filter = ["mall"]


@admin.register(ScreenLiveRecord)
class ScreenLiveRecordAdmin(RecordAdmin):
    list_display = ["screen", "message", "live_from", "live_until"]
    list_select_related = ["screen", "message"]
    list_filter = ["mall"]


register_records("broadcasts")
