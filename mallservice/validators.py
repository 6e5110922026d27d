"""Input shapes shared by every app."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_mobile(value: str) -> str:
    """A mainland mobile number as 11 ASCII digits.

    Accepts what people type or scanners send: full-width digits, spaces,
    dashes, a +86 / 0086 prefix. Raises ValidationError(code="invalid_mobile")."""
    text = unicodedata.normalize("NFKC", value or "")
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _MOBILE.match(digits):
        raise ValidationError(
            _("Enter a mainland mobile number of 11 digits, e.g. 13812345678."),
            code="invalid_mobile",
        )
    return digits


def email_lines(text: str) -> list[str]:
    """The e-mail addresses of a one-per-line field, blanks dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def validate_email_lines(text: str) -> None:
    """Every line of a recipients field is an e-mail address."""
    bad = []
    for address in email_lines(text):
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad:
        raise ValidationError(
            _("Not an e-mail address: %(addresses)s"),
            code="invalid_email",
            params={"addresses": ", ".join(bad)},
        )
