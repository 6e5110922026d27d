"""Uploaded files: checked by their content, stored under a name the server
chooses (issue 16).

Every upload of every app goes through `upload_check` (in the app's
service, so forms, admin and tasks cannot skip it) and every file field
stores through `RandomName`. Neither the client's file name nor its
content type is trusted: images are decoded with Pillow, PDFs must carry
their header and trailer, and the stored name is a random one with the
extension of the type found. Files are served only by
`mallservice.files.ScopedFileView`, never from a public URL."""

from __future__ import annotations

import datetime
import io
import uuid
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})
# Pillow's format name → content type; anything else is refused.
PILLOW_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}
# What a stored name's extension is served as (old files too: their names
# came from the client, so anything unknown is an opaque download).
CONTENT_TYPE_BY_EXTENSION = {
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".webp": WEBP,
    ".pdf": PDF,
}
UNKNOWN_EXTENSION = ".bin"
# A decompression bomb is a small file that decodes to gigabytes; no
# photo the desk takes comes near this (a 48 MP phone camera is 48e6).
MAX_IMAGE_PIXELS = 50_000_000

DEFAULT_MAX_BYTES = {
    "photo": 5 * 1024 * 1024,
    "attachment": 5 * 1024 * 1024,
    "screen_image": 8 * 1024 * 1024,
    "signature": 300 * 1024,
}


@dataclass(frozen=True)
class UploadRule:
    """What one kind of upload may be: its allowed types, the settings key of
    its size limit (`UPLOAD_MAX_BYTES[limit]`) and the error codes the form
    shows next to the field."""

    limit: str
    content_types: frozenset[str]
    type_message: Promise
    type_code: str = "file_type"
    size_code: str = "file_too_large"

    @property
    def max_bytes(self) -> int:
        limits = getattr(settings, "UPLOAD_MAX_BYTES", {})
        return int(limits.get(self.limit, DEFAULT_MAX_BYTES[self.limit]))


PHOTO = UploadRule(
    "photo", IMAGE_TYPES, _("Upload a JPEG, PNG or WebP photo."), type_code="invalid_photo"
)
PHOTO_OR_PDF = UploadRule(
    "attachment",
    IMAGE_TYPES | {PDF},
    _("Only photos (JPEG, PNG, WebP) and PDF files can be attached."),
    type_code="attachment_type",
    size_code="attachment_too_large",
)
SCREEN_IMAGE = UploadRule("screen_image", IMAGE_TYPES, _("Upload a JPEG, PNG or WebP image."))
SIGNATURE = UploadRule(
    "signature",
    frozenset({PNG}),
    _("The signature could not be read; please sign again."),
    type_code="signature_invalid",
    size_code="signature_invalid",
)


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed `upload_check`: the type found in its content
    and the file to store, named `upload<ext>` so that `RandomName` keeps
    only the detected extension (assign it to the field, or pass it to
    `FieldFile.save(checked.file.name, checked.file)`)."""

    content_type: str
    extension: str
    file: File

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def _image_type(handle: IO[bytes]) -> str:
    """The content type of a complete, decodable image, or ''."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit: make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            handle.seek(0)
            with Image.open(handle) as image:
                kind = PILLOW_FORMATS.get(image.format or "", "")
                if not kind or image.width * image.height > MAX_IMAGE_PIXELS:
                    return ""
                image.verify()  # structure and checksums
            # verify() leaves the image unusable: decode it again, fully, so a
            # truncated or corrupt body is caught too.
            handle.seek(0)
            with Image.open(handle) as image:
                image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for bad input
        return ""
    finally:
        handle.seek(0)
    return kind


# Metadata a photo may carry that says where and with what it was taken
# (EXIF with GPS, XMP, IPTC, PNG text chunks). The colour profile stays.
PRIVATE_METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "photoshop", "comment")


def _metadata_free(handle: IO[bytes], kind: str) -> bytes | None:
    """The image re-encoded without its EXIF (location, camera, owner) and
    other private metadata, turned upright first as its EXIF orientation
    said; None when it carries none (stored as uploaded)."""
    handle.seek(0)
    with Image.open(handle) as image:
        carries = (
            bool(image.getexif())
            or any(key in image.info for key in PRIVATE_METADATA)
            or any(isinstance(value, str) for value in image.info.values())
        )
        if not carries:
            handle.seek(0)
            return None
        upright = ImageOps.exif_transpose(image)
        options: dict[str, Any] = {"icc_profile": image.info.get("icc_profile")}
    handle.seek(0)
    if kind == JPEG:
        options.update(quality=92, optimize=True)
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
    elif kind == WEBP:
        options.update(quality=92)
    out = io.BytesIO()
    upright.save(out, format={JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}[kind], **options)
    return out.getvalue()


def _is_pdf(handle: IO[bytes], size: int) -> bool:
    """A complete PDF signature: the `%PDF-` header and the `%%EOF` trailer
    (followed by at most line ends) within the last kilobyte."""
    handle.seek(0)
    head = handle.read(5)
    handle.seek(max(0, size - 1024))
    tail = handle.read()
    handle.seek(0)
    return head == b"%PDF-" and tail.rstrip(b"\r\n\x00 ").endswith(b"%%EOF")


def _size(upload: Any, handle: IO[bytes]) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        handle.seek(0, io.SEEK_END)
        size = handle.tell()
        handle.seek(0)
    return int(size)


def upload_check(upload: Any, *, rule: UploadRule, field: str | None = None) -> CheckedUpload:
    """Check an upload (a Django File/UploadedFile or bytes) against `rule` by
    its content and size. The client's name and content type are ignored.
    Raises ValidationError with the rule's codes, keyed by `field` when given
    so a form shows it next to the field; the upload itself is not changed
    (callers keep its name for display if they need it). A photo's EXIF
    (GPS position, camera, owner) and other private metadata are removed
    from the file to store."""
    handle: IO[bytes] = io.BytesIO(upload) if isinstance(upload, bytes) else upload
    size = _size(upload, handle)
    error: ValidationError | None = None
    if size > rule.max_bytes:
        error = ValidationError(
            _("A file may be at most %(limit)s."),
            code=rule.size_code,
            params={"limit": filesizeformat(rule.max_bytes)},
        )
        kind = ""
    else:
        kind = _image_type(handle) if rule.content_types & IMAGE_TYPES else ""
        if not kind and PDF in rule.content_types and _is_pdf(handle, size):
            kind = PDF
        if kind not in rule.content_types:
            error = ValidationError(rule.type_message, code=rule.type_code)
    if error is not None:
        raise ValidationError({field: error}) if field else error
    extension = EXTENSIONS[kind]
    cleaned = _metadata_free(handle, kind) if kind in IMAGE_TYPES else None
    if cleaned is not None:
        content: Any = ContentFile(cleaned)
    else:
        content = ContentFile(upload) if isinstance(upload, bytes) else upload
    return CheckedUpload(
        content_type=kind, extension=extension, file=File(content, name=f"upload{extension}")
    )


@deconstructible
class RandomName:
    """`upload_to` for every file field: `<prefix>/<yyyy>/<mm>/<uuid4><ext>`.
    The extension is kept only when it is one this module writes (the type
    `upload_check` detected); anything else is stored as `.bin` and served
    as an opaque download."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: Any, filename: str) -> str:
        extension = stored_extension(filename)
        if extension not in CONTENT_TYPE_BY_EXTENSION:
            extension = UNKNOWN_EXTENSION
        day: datetime.date = timezone.localdate()
        return f"{self.prefix}/{day:%Y/%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RandomName) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def stored_extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    return ("." + base.rsplit(".", 1)[-1].lower()) if "." in base else ""


def served_content_type(name: str) -> str:
    """The content type a stored file is served as: from the allow-list by
    its stored extension, else an opaque `application/octet-stream`."""
    return CONTENT_TYPE_BY_EXTENSION.get(stored_extension(name), "application/octet-stream")
