"""Input shapes of the desk registers: a taxpayer number (发票), a Chinese
plate number (停车减免)."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# 统一社会信用代码 (GB 32100-2015): 18 characters from this alphabet (no I, O,
# Z, S, V), the last a check character over the first 17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# Older taxpayer numbers: 15, 17 or 20 letters and digits.
_OLD_TAXPAYER = re.compile(r"^[0-9A-Z]{15,20}$")


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def normalise_taxpayer_number(value: str) -> str:
    """A taxpayer number as upper-case letters and digits: an 18-character
    unified social credit code with its check character right, or an older
    number of 15 to 20 letters and digits. Raises ValidationError
    (code "invalid_taxpayer_number")."""
    text = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", value or "")).upper()
    if len(text) == 18:
        if _USCC.match(text) and uscc_check_character(text[:17]) == text[17]:
            return text
    elif _OLD_TAXPAYER.match(text):
        return text
    raise ValidationError(
        _(
            "Enter the 18-character unified social credit code (统一社会信用代码) as printed, "
            "or an older taxpayer number of 15 to 20 letters and digits."
        ),
        code="invalid_taxpayer_number",
    )


PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Ordinary plates: province, issuing letter, five letters/digits (no I, O);
# 挂/学/警/港/澳 may end one. New-energy plates have eight characters: D or F
# (small cars) starts the number, or D or F (large vehicles) ends it.
_PLATE = re.compile(
    rf"^[{PROVINCES}][A-HJ-NP-Z]"
    r"(?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]"
    r"|[DF][A-HJ-NP-Z0-9]\d{4}"
    r"|\d{5}[DF])$"
)


def normalise_plate(value: str) -> str:
    """A plate number as the car park reads it: upper case, without spaces,
    dots or dashes ("沪a·3k721" → "沪A3K721"). Raises ValidationError (code
    "invalid_plate")."""
    text = unicodedata.normalize("NFKC", value or "")
    text = re.sub(r"[\s·•\.\-]", "", text).upper()
    if not _PLATE.match(text):
        raise ValidationError(
            _(
                "Enter a Chinese plate number: 7 characters (e.g. 沪A3K721), "
                "or 8 for a new-energy car (e.g. 沪AD12345)."
            ),
            code="invalid_plate",
        )
    return text
