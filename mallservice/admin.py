from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import display_for_field
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ImportExportModelAdmin

from mallservice.admin_export import EXPORT_SECRET_FIELDS, LoggedExportMixin, export_column_label
from mallservice.admin_files import StoredFilesAdminMixin
from mallservice.history import field_label, history_for
from mallservice.models import DailyReport, Floor, Mall, Message, SensitiveAccess, Unit, User
from mallservice.selectors import scope_to_user_malls

# Words of Django's own admin that its Chinese catalogue lacks ("Model name"
# heads the index's tables for screen readers) or says unlike the desk
# ("过滤器" for 筛选). The project catalogue is read before Django's, so
# its translation wins; listed here so makemessages keeps the msgids.
ADMIN_WORDING = (
    gettext_noop("Filter"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)


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


class ProjectAdmin(StoredFilesAdminMixin, AuditedAdminMixin, LoggedExportMixin, admin.ModelAdmin):
    """The base of every admin in the project: history from the audit
    trail, lists limited to the user's malls, logged Excel export, stored
    files read-only and served through the admin's scoped file view, and
    the related rows a list shows fetched in the same query."""

    def get_list_display(self, request):
        return [_labelled_column(self.model, name) for name in super().get_list_display(request)]

    def get_list_select_related(self, request):
        if self.list_select_related:
            return self.list_select_related
        related = {f.name for f in self.model._meta.fields if f.is_relation}
        return [name for name in self.list_display if name in related]


def _labelled_column(model: type[models.Model], name: Any) -> Any:
    """A list column of a field its model left without a verbose name is
    headed by the label the history panel and the export use
    (`field_label`), not the field's code in capitals ("CAMPAIGN"); its
    cells and sorting stay the admin's own."""
    if not isinstance(name, str):
        return name
    if name == "pk":
        name = model._meta.pk.name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if not hasattr(field, "attname") or (
        field.verbose_name != name.replace("_", " ") and not field.primary_key
    ):
        return name

    def column(obj: models.Model) -> Any:
        return display_for_field(getattr(obj, name), field, "-")

    column.short_description = field_label(model, name)
    column.admin_order_field = name
    column.__name__ = name
    return column


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
    hidden = {*phones, *EXPORT_SECRET_FIELDS}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in hidden]
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


class NamedWidget(widgets.ForeignKeyWidget):
    """A related record named by its code ("B1") or, as the readable export
    writes it, by its name ("一层")."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        found = self.get_queryset(value, row, **kwargs).filter(
            models.Q(code=value) | models.Q(name=value)
        )
        return found.get()


class FloorWidget(NamedWidget):
    """A floor within the row's mall (named by its code or name too)."""

    def get_queryset(self, value, row, *args, **kwargs):
        mall = row.get("mall")
        return Floor.objects.filter(models.Q(mall__code=mall) | models.Q(mall__name=mall))


class UnitResource(resources.ModelResource):
    """The mall directory as an Excel sheet: one row per shop, counter or
    public area, keyed by mall + unit number so re-importing updates. It
    reads the import template (column codes, values as codes) and the
    admin's own readable export (headed and written as staff read it:
    "商场", "星河广场", "商户", "是"), so an exported sheet, edited, imports
    again."""

    mall = fields.Field(attribute="mall", column_name="mall", widget=NamedWidget(Mall, "code"))
    floor = fields.Field(attribute="floor", column_name="floor", widget=FloorWidget(Floor, "code"))

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        by_label = {
            str(export_column_label(Unit, field)): name for name, field in self.fields.items()
        }
        if not any(header in by_label for header in dataset.headers or ()):
            return
        headers = [by_label.get(header, header) for header in dataset.headers]
        rows = [
            [self.stored_value(name, value) for name, value in zip(headers, row, strict=True)]
            for row in dataset
        ]
        dataset.wipe()
        dataset.headers = headers
        dataset.extend(rows)

    @staticmethod
    def stored_value(name: str, value: Any) -> Any:
        """A readable cell as the import reads it: a choice's label as its
        code, 是/否 as a boolean; anything else unchanged."""
        try:
            model_field = Unit._meta.get_field(name)
        except FieldDoesNotExist:
            return value
        if model_field.choices:
            codes = {str(label): code for code, label in model_field.flatchoices}
            return codes.get(str(value), value)
        if isinstance(model_field, models.BooleanField) and value in (
            gettext("yes"),
            gettext("no"),
        ):
            return value == gettext("yes")
        return value

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
            {
                "fields": [
                    "display_name",
                    "staff_no",
                    "phone",
                    "wecom_user_id",
                    "mall",
                    "extra_malls",
                    "all_malls",
                ]
            },
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


@admin.register(Message)
class MessageAdmin(RecordAdmin):
    """The outbox, read only (resending is on the supervisor's page); the
    recipient, often a customer's phone, is neither listed nor shown."""

    list_display = ["kind", "channel", "status", "created_at", "sent_at", "attempts", "mall"]
    list_filter = ["channel", "status", "mall"]
    exclude = ["recipient"]


register_records("mallservice")
