"""The working calendar in the admin. A mall's days of other hours are
saved through the same service as the desk page; the entered years are
read here (with their history) and entered on the desk page, which checks
the whole table. Imported by `MallserviceConfig.ready`, after the kernel's
admin registered every model read-only."""

from __future__ import annotations

from django.contrib import admin

from mallservice.admin import ProjectAdmin
from mallservice.workdays.models import MallDayHours
from mallservice.workdays.services import mall_day_hours_remove, mall_day_hours_set

if admin.site.is_registered(MallDayHours):
    admin.site.unregister(MallDayHours)


@admin.register(MallDayHours)
class MallDayHoursAdmin(ProjectAdmin):
    list_display = ["day", "mall", "closed", "opens_at", "closes_at", "reason"]
    list_filter = ["mall", "closed"]
    date_hierarchy = "day"

    def save_model(self, request, obj, form, change):
        saved = mall_day_hours_set(
            actor=request.user,
            mall=obj.mall,
            day=obj.day,
            closed=obj.closed,
            opens_at=obj.opens_at,
            closes_at=obj.closes_at,
            reason=obj.reason,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        mall_day_hours_remove(actor=request.user, row=obj)

    def has_delete_permission(self, request, obj=None):
        # Removing a day's hours is a change of the calendar (managers).
        return self.has_change_permission(request, obj)
