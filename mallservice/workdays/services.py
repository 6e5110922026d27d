"""Writes to the working calendar: a year's holiday table entered (or
imported) by a manager, and a mall's days of other opening hours. Each
write is audited by the models' history; the cached table is dropped on
commit."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.guards import field_error
from mallservice.models import Mall
from mallservice.permissions import CHANGE_MALL_DAY_HOURS, ENTER_CALENDAR_YEAR
from mallservice.selectors import user_mall_ids
from mallservice.workdays.calendar import PACKAGE_YEARS, entered_table_forget
from mallservice.workdays.models import CalendarYear, DayKind, MallDayHours, StatutoryDay

# "2027-01-01 休 元旦", "2027-02-06 班 春节", "2027-10-01~2027-10-07 holiday 国庆节"
LINE = re.compile(
    r"^(?P<first>\d{4}-\d{2}-\d{2})(?:\s*[~～至]\s*(?P<last>\d{4}-\d{2}-\d{2}))?"
    r"\s+(?P<kind>\S+)\s*(?P<name>.*)$"
)
KIND_WORDS = {
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "班": DayKind.WORKDAY,
    "workday": DayKind.WORKDAY,
}


def holiday_table_parse(*, year: int, text: str) -> list[tuple[datetime.date, str, str]]:
    """The days of a pasted or imported table, one line a day or a range:
    `2027-02-06 班 春节`, `2027-10-01~2027-10-07 休 国庆节`. A wrong line
    is refused with its number; a make-up workday must be a weekend."""
    days: dict[datetime.date, tuple[str, str]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = LINE.match(line)
        kind = KIND_WORDS.get(match["kind"].lower()) if match else None
        try:
            first = datetime.date.fromisoformat(match["first"]) if match else None
            last = datetime.date.fromisoformat(match["last"] or match["first"]) if match else None
        except ValueError:
            first = last = None
        if kind is None or first is None or last is None or last < first:
            raise field_error(
                "days",
                _("Line %(number)s: write a date (or date~date), 休 or 班, and the holiday.")
                % {"number": number},
                "bad_line",
            )
        day = first
        while day <= last:
            if day.year != year:
                raise field_error(
                    "days",
                    _("Line %(number)s: %(day)s is not in %(year)s.")
                    % {"number": number, "day": day, "year": year},
                    "other_year",
                )
            if kind == DayKind.WORKDAY and day.weekday() < 5:
                raise field_error(
                    "days",
                    _("Line %(number)s: %(day)s is a weekday; a make-up workday is a weekend day.")
                    % {"number": number, "day": day},
                    "workday_on_weekday",
                )
            if day in days:
                raise field_error(
                    "days",
                    _("Line %(number)s: %(day)s is listed twice.") % {"number": number, "day": day},
                    "duplicate_day",
                )
            days[day] = (kind, match["name"].strip()[:50])
            day += datetime.timedelta(days=1)
    if not any(kind == DayKind.HOLIDAY for kind, _name in days.values()):
        raise field_error("days", _("The table has no statutory holiday."), "no_holidays")
    return [(day, kind, name) for day, (kind, name) in sorted(days.items())]


@transaction.atomic
def calendar_year_enter(
    *,
    actor: Any,
    year: int,
    text: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> CalendarYear:
    """Enter (or replace) a year's statutory holidays and make-up workdays
    for the whole group. Refused for a year the package covers (its data is
    the official one). Replacing deletes the year's old days (the history
    keeps them). Side effect: the cached table is dropped on commit."""
    if not actor.has_perm(ENTER_CALENDAR_YEAR):
        raise PermissionDenied
    if year in PACKAGE_YEARS:
        raise field_error(
            "year",
            _("%(year)s comes from the maintained holiday package and cannot be entered.")
            % {"year": year},
            "package_year",
        )
    days = holiday_table_parse(year=year, text=text)
    now = now or timezone.now()
    calendar_year, _created = CalendarYear.objects.select_for_update().update_or_create(
        year=year, defaults={"entered_by": actor, "entered_at": now, "note": note.strip()}
    )
    StatutoryDay.objects.filter(calendar_year=calendar_year).delete()
    StatutoryDay.objects.bulk_create(
        StatutoryDay(calendar_year=calendar_year, day=day, kind=kind, name=name)
        for day, kind, name in days
    )
    entered_table_forget()
    return calendar_year


@transaction.atomic
def mall_day_hours_set(
    *,
    actor: Any,
    mall: Mall,
    day: datetime.date,
    closed: bool,
    opens_at: datetime.time | None,
    closes_at: datetime.time | None,
    reason: str,
) -> MallDayHours:
    """Give a mall's day its own hours (or close it), replacing that day's
    earlier entry. SLAs planned from then on count in them; the due times
    of cases already received stay as they were planned."""
    if not actor.has_perm(CHANGE_MALL_DAY_HOURS) or mall.pk not in user_mall_ids(actor):
        raise PermissionDenied
    if closed:
        opens_at = closes_at = None
    elif opens_at is None or closes_at is None or opens_at == closes_at:
        raise field_error(
            "opens_at",
            _("Enter the opening and closing times, or mark the day closed."),
            "hours_missing",
        )
    if not reason.strip():
        raise field_error("reason", _("Say why the hours differ."), "required")
    row, _created = MallDayHours.objects.select_for_update().update_or_create(
        mall=mall,
        day=day,
        defaults={
            "closed": closed,
            "opens_at": opens_at,
            "closes_at": closes_at,
            "reason": reason.strip(),
        },
    )
    return row


@transaction.atomic
def mall_day_hours_remove(*, actor: Any, row: MallDayHours) -> None:
    """The day keeps the mall's usual hours again."""
    if not actor.has_perm(CHANGE_MALL_DAY_HOURS) or row.mall_id not in user_mall_ids(actor):
        raise PermissionDenied
    MallDayHours.objects.filter(pk=row.pk).delete()
