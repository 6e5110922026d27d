"""Personal data is masked on screen by default (`138****5678`); revealing
it is an explicit, logged action (see `services.sensitive_access_log`)."""

from __future__ import annotations


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = str(value)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * max(len(digits) - 2, 0) + digits[-2:]


def mask_id_number(value: str | None) -> str:
    """ID numbers are shown as their last four characters only (GB/T 35273 §7.2)."""
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]
