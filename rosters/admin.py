from django.contrib import admin

from rosters.models import Post, PostQualification, RosterPolicy, ShiftType


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


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["mall", "code", "name", "min_staff", "is_active"]
    list_filter = ["mall"]


@admin.register(PostQualification)
class PostQualificationAdmin(admin.ModelAdmin):
    list_display = ["post", "staff"]
    list_filter = ["post__mall", "post"]

    def save_model(self, request, obj, form, change):
        obj.mall = obj.post.mall
        super().save_model(request, obj, form, change)

    def get_exclude(self, request, obj=None):
        return ["mall"]
