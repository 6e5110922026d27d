"""What the mailroom's services share: tracking numbers as a scanner types
them, and signatures drawn on the screen."""

from __future__ import annotations

import base64
import binascii
import unicodedata

from django.core.files.base import File
from django.utils.translation import gettext_lazy as _

from mallservice.guards import field_error
from mallservice.uploads import SIGNATURE, upload_check

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def normalise_tracking_number(value: str) -> str:
    """What a scanner or a hand types: full-width digits, spaces, dashes,
    lower case — stored as upper-case ASCII without separators."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(ch for ch in text if ch.isalnum()).upper()
    if not 6 <= len(text) <= 40 or not text.isascii():
        raise field_error(
            "tracking_number",
            _("Scan or type a tracking number of 6 to 40 letters or digits."),
            "invalid_tracking",
        )
    return text


def signature_from_data_url(value: str, *, field: str = "signature") -> bytes:
    """The PNG bytes of a signature drawn on the canvas (a data: URL)."""
    prefix = "data:image/png;base64,"
    if not value or not value.startswith(prefix):
        raise field_error(
            field,
            _("The signature is missing: ask the person to sign on the screen."),
            "signature_missing",
        )
    try:
        data = base64.b64decode(value[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        data = b""
    # A complete PNG that decodes, at most SIGNATURE's limit (300 KB).
    upload_check(data, rule=SIGNATURE, field=field)
    return data


def signature_file(data: bytes) -> File:
    """The signature as a file to store: a PNG that decodes (checked again
    here, whoever called the service); stored under a random name."""
    if not data.startswith(PNG_MAGIC):
        raise field_error("signature", _("The signature is missing."), "unsigned")
    return upload_check(data, rule=SIGNATURE, field="signature").file
