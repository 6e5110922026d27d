from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin, ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX

from mallservice.exports import escape_dataset
from mallservice.history import history_for
from mallservice.models import DailyReport, Floor, Mall, SensitiveAccess, Unit, User
from mallservice.net import client_ip
from mallservice.selectors import scope_to_user_malls
from mallservice.services import sensitive_access_log


class AuditedAdminMixin:
    """Admin 'History' shows the row history from the audit trail, and lists
    are limited to the admin user's malls (`mall_field`)."""

    mall_field: str | None = "mall"

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "object": obj,
            "entries": history_for(obj),
            "opts": self.model._meta,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/audit_history.html", context)

    def get_exclude(self, request, obj=None):
        # A read-only page (records written by the desk) does not show the
        # customers' phone numbers: at the desk they are masked and revealed
        # through the logged reveal. Editable settings (a mall's desk phone,
        # a shop's contact) stay.
        exclude = list(super().get_exclude(request, obj) or [])
        if not self.has_change_permission(request, obj):
            exclude += [
                f.name
                for f in self.model._meta.concrete_fields
                if f.name.endswith("phone") and f.name not in exclude
            ]
        return exclude

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.mall_field is None:
            return qs
        return scope_to_user_malls(qs, user=request.user, field=self.mall_field)


class _EscapingFormat:
    """django-import-export's own escape (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT)
    only drops a leading "=" and turns every cell into text ("None" for an
    empty one); this one prefixes an apostrophe to any formula start and
    leaves numbers alone."""

    def _escape_formulae(self, dataset):
        escape_dataset(dataset)


class SafeXLSX(_EscapingFormat, XLSX):
    pass


class SafeCSV(_EscapingFormat, CSV):
    pass


class LoggedExportMixin(ExportMixin):
    """Excel/CSV export of the filtered list (django-import-export), each
    export written to the sensitive-access log with its size and filters."""

    formats = [SafeXLSX, SafeCSV]

    def get_data_for_export(self, request, queryset, **kwargs):
        # Text that starts like a formula is written as text (mallservice.exports).
        return escape_dataset(super().get_data_for_export(request, queryset, **kwargs))

    def get_export_filename(self, request, queryset, file_format):
        # The mall's date, not UTC's: an export after 16:00 UTC is tomorrow's.
        day = timezone.localdate().isoformat()
        return f"{self.model.__name__}-{day}.{file_format.get_extension()}"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        sensitive_access_log(
            actor=request.user,
            kind="export",
            detail={
                "model": self.model._meta.label,
                "rows": queryset.count(),
                "format": file_format.get_title(),
                "filters": request.GET.urlencode(),
            },
            ip=client_ip(request),
        )
        return data


class ProjectAdmin(AuditedAdminMixin, LoggedExportMixin, admin.ModelAdmin):
    """The base of every admin in the project: history from the audit
    trail, lists limited to the user's malls, logged Excel export, and the
    related rows a list shows fetched in the same query."""

    def get_list_select_related(self, request):
        if self.list_select_related:
            return self.list_select_related
        related = {f.name for f in self.model._meta.fields if f.is_relation}
        return [name for name in self.list_display if name in related]


class RecordAdmin(ProjectAdmin):
    """Records the desk's workflows write (complaints, parcels, airings …):
    in the admin they are read and exported, never edited — every change
    goes through the services, so it is checked and audited like at the
    desk."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


_LIST_FIELD_TYPES = (
    models.CharField,
    models.IntegerField,
    models.DecimalField,
    models.BooleanField,
    models.DateField,  # and DateTimeField
    models.ForeignKey,
)


def record_admin_for(model: type[models.Model]) -> type[RecordAdmin]:
    """A read-only admin for `model` with a useful list: its short fields,
    filters on choices, flags and mall, search on its free-text codes."""
    # Customers' phone numbers are shown only masked, revealed through the
    # logged reveal at the desk: the admin neither lists, searches nor
    # shows them (an export still carries them, and is logged).
    phones = [f.name for f in model._meta.concrete_fields if f.name.endswith("phone")]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in phones]
    shown = [f.name for f in fields if isinstance(f, _LIST_FIELD_TYPES)][:7]
    filters = [
        f.name
        for f in fields
        if f.choices or isinstance(f, models.BooleanField) or f.name == "mall"
    ][:4]
    search = [
        f.name
        for f in fields
        if isinstance(f, models.CharField) and not f.choices and f.name not in ("password",)
    ][:3]
    attrs = {
        "__module__": model.__module__,
        "list_display": ["__str__", *shown],
        "list_filter": filters,
        "search_fields": search,
        "mall_field": "mall" if any(f.name == "mall" for f in fields) else None,
        "exclude": phones,
    }
    return type(f"{model.__name__}Admin", (RecordAdmin,), attrs)


def register_records(app_label: str) -> None:
    """Register every model of the app not registered by hand with a
    read-only `record_admin_for` admin (history tables excluded: they show
    in each record's History page)."""
    for model in apps.get_app_config(app_label).get_models():
        if model in admin.site._registry or model._meta.proxy:
            continue
        if hasattr(model, "pgh_tracked_model") or getattr(model, "audit_exempt", None):
            continue
        admin.site.register(model, record_admin_for(model))


@admin.register(Mall)
class MallAdmin(ProjectAdmin):
    mall_field = "pk"
    list_display = ["code", "name", "opens_at", "closes_at", "report_time", "is_active"]
    search_fields = ["code", "name"]


@admin.register(DailyReport)
class DailyReportAdmin(RecordAdmin):
    """Built by the dispatcher (or a supervisor's "build now")."""

    list_display = ["day", "mall", "generated_at", "emailed_at"]
    list_filter = ["mall", "day"]
    date_hierarchy = "day"


@admin.register(Floor)
class FloorAdmin(ProjectAdmin):
    list_display = ["code", "name", "mall", "level"]
    list_filter = ["mall"]
    list_select_related = ["mall"]
    search_fields = ["code", "name"]


class FloorWidget(widgets.ForeignKeyWidget):
    """A floor is named by its code ("B1", "1F") within the row's mall."""

    def get_queryset(self, value, row, *args, **kwargs):
        return Floor.objects.filter(mall__code=row.get("mall"))


class UnitResource(resources.ModelResource):
    """The mall directory as an Excel sheet: one row per shop, counter or
    public area, keyed by mall code + unit number so re-importing updates."""

    mall = fields.Field(
        attribute="mall", column_name="mall", widget=widgets.ForeignKeyWidget(Mall, "code")
    )
    floor = fields.Field(attribute="floor", column_name="floor", widget=FloorWidget(Floor, "code"))

    class Meta:
        model = Unit
        import_id_fields = ["mall", "code"]
        fields = [
            "mall",
            "floor",
            "code",
            "name",
            "kind",
            "area_kind",
            "tenant_name",
            "contact_name",
            "contact_phone",
            "is_active",
        ]
        clean_model_instances = True
        use_transactions = True


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, LoggedExportMixin, ImportExportModelAdmin):
    resource_classes = [UnitResource]
    list_display = ["code", "name", "kind", "floor", "mall", "tenant_name", "is_active"]
    list_filter = ["mall", "kind", "area_kind", "is_active"]
    list_select_related = ["mall", "floor"]
    search_fields = ["code", "name", "tenant_name"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, LoggedExportMixin, BaseUserAdmin):
    mall_field = "mall"
    list_display = ["username", "display_name", "mall", "is_active", "is_staff"]
    list_filter = ["mall", "groups", "is_active"]
    list_select_related = ["mall"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("Mall and desk"),
            {"fields": ["display_name", "staff_no", "phone", "mall", "extra_malls", "all_malls"]},
        ),
    ]
    # Rights over the whole site: a manager who could tick these for
    # themselves could delete what the role design forbids (issue 16 item 9).
    superuser_only_fields = ("is_superuser", "is_staff", "user_permissions", "groups")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # A read-only field is left out of the form, so a forged POST of
            # it is ignored, not only hidden.
            readonly += [f for f in self.superuser_only_fields if f not in readonly]
        return readonly

    def has_change_permission(self, request, obj=None):
        # Changing a superuser's password or details is as good as being one.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SensitiveAccess)
class SensitiveAccessAdmin(RecordAdmin):
    list_display = ["at", "actor", "kind", "mall", "content_type", "object_id", "field"]
    list_filter = ["kind", "mall"]
    list_select_related = ["actor", "mall", "content_type"]


register_records("mallservice")
