"""Mailroom settings, each overridable in Django settings (`MAILROOM_*`)."""

from __future__ import annotations

from django.conf import settings

DEFAULTS = {
    # Days a parcel may wait before the recipient is reminded, and before the
    # desk supervisor is told (escalation).
    "REMINDER_DAYS": 3,
    "ESCALATION_DAYS": 7,
    # Civil Code Art. 318: unclaimed one year after the notice.
    "FOUND_RETENTION_DAYS": 365,
    # Items this close to their limit show on the "nearing the limit" list.
    "FOUND_WARNING_DAYS": 30,
    # A "lost item found" announcement: how many times, how far apart.
    "FOUND_BROADCAST_REPETITIONS": 3,
    "FOUND_BROADCAST_INTERVAL_MINUTES": 15,
    # Default due time of a loan, in hours.
    "LOAN_HOURS": 4,
}


def get(name: str):
    return getattr(settings, f"MAILROOM_{name}", DEFAULTS[name])
