"""Stored files in the admin. There is no public media URL (issue 16), so
the admin's own "Currently: <a href=/media/…>" link led nowhere, and its
file input stored uploads past `upload_check`. In the project's admin a
file field is read-only, shown as a link to the admin's file view, which
serves it like the desk does: the record fetched through the admin's
mall-scoped queryset, the model's view permission checked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from mallservice.files import file_response
from mallservice.history import field_label

LINK_SUFFIX = "_file_link"


class StoredFilesAdminMixin:
    def file_field_names(self) -> list[str]:
        return [f.name for f in self.model._meta.fields if isinstance(f, models.FileField)]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        files = set(self.file_field_names())
        shown = [f"{n}{LINK_SUFFIX}" if n in files else n for n in super().get_fields(request, obj)]
        return list(dict.fromkeys(shown))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        links = [f"{name}{LINK_SUFFIX}" for name in self.file_field_names()]
        return [*super().get_readonly_fields(request, obj), *links]

    def __getattr__(self, name: str) -> Any:
        # `<field>_file_link`: the admin reads it as a read-only column.
        if not name.endswith(LINK_SUFFIX):
            raise AttributeError(name)
        field = name.removesuffix(LINK_SUFFIX)
        if field not in self.file_field_names():
            raise AttributeError(name)

        def link(obj: models.Model) -> str:
            stored = getattr(obj, field)
            if not stored or obj.pk is None:
                return "-"
            opts = self.model._meta
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_file", args=[obj.pk, field])
            name = stored.name.rsplit("/", 1)[-1]
            return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, name)

        link.short_description = field_label(self.model, field)
        return link

    def get_urls(self) -> list[Any]:
        opts = self.model._meta
        own = path(
            "<path:object_id>/file/<str:field>/",
            self.admin_site.admin_view(self.file_view),
            name=f"{opts.app_label}_{opts.model_name}_file",
        )
        return [own, *super().get_urls()]

    def file_view(self, request: HttpRequest, object_id: str, field: str) -> HttpResponse:
        if field not in self.file_field_names():
            raise Http404
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        return file_response(
            getattr(obj, field), download_name=f"{opts.model_name}-{obj.pk}-{field}"
        )
