from django.contrib import admin

from rosters.models import Post, PostHourMinimum, PostQualification, RosterPolicy, ShiftType


@admin.register(RosterPolicy)
class RosterPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "mall",
        "publish_weekday",
        "manager_approval_over_days",
        "off_post_limit_minutes",
    ]


@admin.register(ShiftType)
class ShiftTypeAdmin(admin.ModelAdmin):
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
class PostAdmin(admin.ModelAdmin):
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
class PostQualificationAdmin(admin.ModelAdmin):
    list_display = ["post", "staff"]
    list_filter = ["post__mall", "post"]

    def save_model(self, request, obj, form, change):
        obj.mall = obj.post.mall
        super().save_model(request, obj, form, change)

    def get_exclude(self, request, obj=None):
        return ["mall"]
