"""A mall's register settings (the duty manager to report to)."""

from __future__ import annotations

from desk.models import DeskSettings
from mallservice.models import Mall


def desk_settings_ensure(*, mall: Mall) -> DeskSettings:
    """The mall's settings row, created empty when missing (a mall made
    before this app existed)."""
    settings, _created = DeskSettings.objects.get_or_create(mall=mall)
    return settings
