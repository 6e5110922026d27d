"""The admin's spreadsheet downloads: every list's Excel/CSV export is
written by `mallservice.exports.spreadsheet_response` (formula-escaped,
logged), headed and written as staff read it."""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from import_export import fields
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from mallservice.exports import escape_dataset, spreadsheet_response
from mallservice.history import field_label
from mallservice.models import Mall
from mallservice.selectors import request_mall


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
