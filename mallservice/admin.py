from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import display_for_field
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.admin import ExportMixin, ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from mallservice.exports import escape_dataset, spreadsheet_response
from mallservice.history import field_label, history_for
from mallservice.models import DailyReport, Floor, Mall, Message, SensitiveAccess, Unit, User
from mallservice.selectors import request_mall, scope_to_user_malls

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


# Never written to a download: a password hash or a token is no report's business.
EXPORT_SECRET_FIELDS = frozenset({"password", "token", "pin_hash"})


def _model_field(model: type[models.Model], name: str | None) -> models.Field | None:
    if not name or "__" in name:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def export_column_label(model: type[models.Model], resource_field: fields.Field) -> str:
    """A column's heading as staff read it: the field's verbose name
    ("所属商场"), not its code ("mall")."""
    name = resource_field.attribute or resource_field.column_name
    if _model_field(model, name) is None:
        return str(resource_field.column_name)
    return capfirst(field_label(model, name))


def readable_value(model_field: models.Field | None, value: Any) -> Any:
    """A stored value as the desk would read it in a spreadsheet: the name
    of a related record, a choice's label, 是/否, local time; numbers and
    dates stay numbers and dates."""
    if value is None or value == "":
        return ""
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the mall's clock, not UTC's.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (int, float, Decimal, datetime.date, datetime.time, str)):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False) if value else ""
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


class ReadableExportForm(SelectableFieldsExportForm):
    """The export page lists the columns as the file will head them, and
    never offers a secret (a password hash)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        for resource in resources:
            model = resource._meta.model
            for name, resource_field in resource.fields.items():
                key = self.create_boolean_field_name(resource, name)
                if key not in self.fields:
                    continue
                if name in EXPORT_SECRET_FIELDS:
                    del self.fields[key]
                    self.resource_fields[resource.__name__].remove(key)
                else:
                    self.fields[key].label = export_column_label(model, resource_field)


class LoggedExportMixin(ExportMixin):
    """Excel/CSV export of the filtered list (django-import-export's page
    to choose the format and the columns), written by
    `mallservice.exports.spreadsheet_response` so it reads like the desk's
    own downloads — headed by verbose names, names instead of ids, choice
    labels instead of codes, local times — and is logged as a sensitive
    access with the mall it concerns."""

    formats = [SafeXLSX, SafeCSV]
    export_form_class = ReadableExportForm

    def get_data_for_export(self, request, queryset, **kwargs):
        # Text that starts like a formula is written as text (mallservice.exports).
        return escape_dataset(super().get_data_for_export(request, queryset, **kwargs))

    def get_export_filename(self, request, queryset, file_format):
        # The mall's date, not UTC's: an export after 16:00 UTC is tomorrow's.
        day = timezone.localdate().isoformat()
        return f"{self.model.__name__}-{day}.{file_format.get_extension()}"

    def export_mall(self, request: HttpRequest, queryset: models.QuerySet) -> Mall | None:
        """The mall the sensitive-access log files the export under, so the
        managers of that mall see it: the one mall of the rows, else the
        user's home mall."""
        mall_field = getattr(self, "mall_field", None)
        if mall_field:
            ids = list(queryset.order_by().values_list(mall_field, flat=True).distinct()[:2])
            if len(ids) == 1 and ids[0] is not None:
                return Mall.objects.filter(pk=ids[0]).first()
        return request_mall(request.user)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # django-import-export 4's one step from the chosen format and
        # columns to the download: replaced so every admin download goes
        # through the project's export (escaping, log) with readable cells.
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource_class = self.choose_export_resource_class(export_form, request)
        resource = resource_class(**self.get_export_resource_kwargs(request))
        chosen = self.get_export_resource_fields_from_form(export_form)
        columns = [
            field
            for field in resource.get_export_fields(chosen)
            if (field.attribute or field.column_name) not in EXPORT_SECRET_FIELDS
        ]
        return spreadsheet_response(
            request=request,
            mall=self.export_mall(request, queryset),
            filename=self.get_export_filename(request, queryset, file_format).rsplit(".", 1)[0],
            sheet_title=str(capfirst(self.model._meta.verbose_name_plural)),
            header=[export_column_label(self.model, field) for field in columns],
            rows=self.export_rows(resource, columns, queryset),
            detail={
                "model": self.model._meta.label,
                "fields": [field.column_name for field in columns],
                "filters": request.GET.urlencode(),
            },
            fmt="csv" if isinstance(file_format, CSV) else "xlsx",
        )

    def export_rows(self, resource, columns, queryset):
        model_fields = [_model_field(self.model, field.attribute) for field in columns]
        related = [f.name for f in model_fields if f is not None and f.many_to_one]
        many = [f.name for f in model_fields if f is not None and f.many_to_many]
        # The related names come with the rows: two queries, however long the list.
        queryset = queryset.select_related(*related).prefetch_related(*many)
        for obj in queryset:
            row = []
            for field, model_field in zip(columns, model_fields, strict=True):
                if model_field is None:
                    row.append(readable_value(None, resource.export_field(field, obj)))
                elif model_field.many_to_many:
                    row.append(", ".join(str(o) for o in getattr(obj, model_field.name).all()))
                elif model_field.is_relation:
                    related_obj = getattr(obj, model_field.name)
                    row.append(str(related_obj) if related_obj is not None else "")
                else:
                    row.append(readable_value(model_field, getattr(obj, model_field.attname)))
            yield row


class ProjectAdmin(AuditedAdminMixin, LoggedExportMixin, admin.ModelAdmin):
    """The base of every admin in the project: history from the audit
    trail, lists limited to the user's malls, logged Excel export, and the
    related rows a list shows fetched in the same query."""

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
