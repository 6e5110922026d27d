"""One create form of the double-submit test (`test_double_submit.py`), and
the clock helpers the cases share."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass(frozen=True)
class Case:
    """One create form: who opens it, where, what they type, what it makes."""

    id: str
    role: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]]
    count: Callable[[Any], int]
    setup: Callable[[Any], None] = lambda w: None
    # The page the form is on, when it is not the page the form posts to.
    page: Callable[[Any], str] | None = None
    files: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})
    # The mall's clock during the submits, for forms open only at some hours.
    clock: Callable[[Any], datetime.datetime] | None = None


def local(when: datetime.datetime, fmt: str = "%Y-%m-%dT%H:%M") -> str:
    return timezone.localtime(when).strftime(fmt)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
