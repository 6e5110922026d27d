"""Serving stored files: only through a view that fetched the record with the
app's user-scoped selector (or, for the entrance-screen player, its token).

There is no public media URL (issue 16): a file is answered with a content
type taken from the allow-list by its stored extension (never guessed from
a client's name), `X-Content-Type-Options: nosniff` and
`Content-Security-Policy: sandbox`, and as an `attachment` download unless
it is an image. With `MEDIA_ACCEL_REDIRECT_PREFIX` set, nginx sends the
bytes (`X-Accel-Redirect`) after this check; see README "Uploaded files"."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.generic import View

from mallservice.uploads import IMAGE_TYPES, served_content_type, stored_extension

PRIVATE_CACHE = "private, no-store"


def file_response(
    field_file: FieldFile | None, *, download_name: str, cache_control: str = PRIVATE_CACHE
) -> HttpResponse:
    """The stored file with the safe headers, or 404 when there is none.

    `download_name` (without extension) names the download; the extension
    is the stored one. Old files keep working: their stored path is read as
    it is, and a name that is not in the allow-list is served as an opaque
    `application/octet-stream` attachment."""
    if not field_file or not field_file.name:
        raise Http404
    name = field_file.name
    content_type = served_content_type(name)
    prefix = getattr(settings, "MEDIA_ACCEL_REDIRECT_PREFIX", "")
    if prefix:
        if not field_file.storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        try:
            handle = field_file.storage.open(name, "rb")
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise Http404 from exc
        response = FileResponse(handle, content_type=content_type)
    extension = stored_extension(name) if content_type != "application/octet-stream" else ""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=content_type not in IMAGE_TYPES, filename=f"{download_name}{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were made to render the file as a page, it would run
    # in a sandbox: no scripts, no same-origin access to the user's session.
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = cache_control
    return response


class ScopedFileView(LoginRequiredMixin, View):
    """GET: one file of a record the user may see. An app subclasses it with
    `get_queryset(request)` — its scoped selector, so another mall's record
    is a 404 — and `field`, the file field (and, as usual, its permission
    mixin). Same shape as `RevealPhoneView`."""

    http_method_names = ["get", "head"]
    field = "file"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        raise NotImplementedError

    def download_name(self, obj: Model) -> str:
        return f"{obj._meta.model_name}-{obj.pk}-{self.field}"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = get_object_or_404(self.get_queryset(request), pk=kwargs["pk"])
        return file_response(getattr(obj, self.field), download_name=self.download_name(obj))
