from django.contrib import admin

from mallservice.admin import ProjectAdmin, RecordAdmin, register_records
from rosters.models import (
    Handover,
    MealChangeRequest,
    MealOrder,
    MealSheet,
    Post,
    PostHourMinimum,
    PostQualification,
    RosterPolicy,
    ShiftType,
    SupplyAllowance,
    SupplyItem,
    SupplyRequisition,
)


@admin.register(RosterPolicy)
class RosterPolicyAdmin(ProjectAdmin):
    list_display = [
        "mall",
        "publish_weekday",
        "manager_approval_over_days",
        "off_post_limit_minutes",
        "lunch_cutoff",
        "dinner_cutoff",
    ]


@admin.register(ShiftType)
class ShiftTypeAdmin(ProjectAdmin):
    list_display = [
        "mall",
        "code",
        "name",
        "start",
        "end",
        "late_grace_minutes",
        "early_grace_minutes",
        "is_active",
    ]
    list_filter = ["mall", "is_active"]


class PostHourMinimumInline(admin.TabularInline):
    model = PostHourMinimum
    exclude = ["mall"]
    extra = 0


@admin.register(Post)
class PostAdmin(ProjectAdmin):
    list_display = ["mall", "code", "name", "min_staff", "is_active"]
    list_filter = ["mall"]
    inlines = [PostHourMinimumInline]

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            item.mall = form.instance.mall
            item.save()
        for item in formset.deleted_objects:
            item.delete()


@admin.register(PostQualification)
class PostQualificationAdmin(ProjectAdmin):
    list_display = ["post", "staff"]
    list_filter = ["post__mall", "post"]

    def save_model(self, request, obj, form, change):
        obj.mall = obj.post.mall
        super().save_model(request, obj, form, change)

    def get_exclude(self, request, obj=None):
        return ["mall"]


# --- shift handover and office supplies ------------------------------------


class SupplyAllowanceInline(admin.TabularInline):
    model = SupplyAllowance
    exclude = ["mall"]
    extra = 0


@admin.register(SupplyItem)
class SupplyItemAdmin(ProjectAdmin):
    """Items and each post's expected monthly use (预损耗量)."""

    list_display = ["mall", "code", "name", "unit", "is_active"]
    list_filter = ["mall", "is_active"]
    list_select_related = ["mall"]
    search_fields = ["code", "name"]
    inlines = [SupplyAllowanceInline]

    def save_formset(self, request, form, formset, change):
        for allowance in formset.save(commit=False):
            allowance.mall = form.instance.mall
            allowance.save()
        for allowance in formset.deleted_objects:
            allowance.delete()


@admin.register(SupplyRequisition)
class SupplyRequisitionAdmin(ProjectAdmin):
    """Read-only here: requisitions are decided on the desk's page, through
    the services."""

    list_display = ["requested_at", "mall", "post", "item", "quantity", "requested_by", "state"]
    list_filter = ["mall", "state", "post"]
    list_select_related = ["mall", "post", "item", "requested_by"]
    search_fields = ["reason", "item__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Handover)
class HandoverAdmin(ProjectAdmin):
    list_display = ["created_at", "mall", "post", "outgoing_staff", "incoming_staff"]
    list_filter = ["mall", "post"]
    list_select_related = ["mall", "post", "outgoing_staff", "incoming_staff"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- staff meals (员工订餐): written only through the services -------------------


@admin.register(MealOrder)
class MealOrderAdmin(RecordAdmin):
    list_display = ["date", "mall", "staff", "lunch", "dinner", "note", "updated_by"]
    list_filter = ["mall", "date", "lunch", "dinner"]
    list_select_related = ["mall", "staff", "updated_by"]
    search_fields = ["staff__username", "staff__display_name", "staff__staff_no"]
    date_hierarchy = "date"


@admin.register(MealSheet)
class MealSheetAdmin(RecordAdmin):
    list_display = ["date", "mall", "meal", "sent_at", "sent_by", "meals_sent"]
    list_filter = ["mall", "meal"]
    list_select_related = ["mall", "sent_by"]
    date_hierarchy = "date"


@admin.register(MealChangeRequest)
class MealChangeRequestAdmin(RecordAdmin):
    list_display = ["date", "mall", "staff", "lunch", "dinner", "state", "decided_by"]
    list_filter = ["mall", "state"]
    list_select_related = ["mall", "staff", "decided_by"]
    search_fields = ["staff__username", "staff__display_name", "reason"]


register_records("rosters")
