"""Reads of the working calendar, scoped to the user's malls."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from mallservice.selectors import scope_to_user_malls
from mallservice.workdays.calendar import WorkCalendar
from mallservice.workdays.models import DayKind, MallDayHours, StatutoryDay


def mall_day_hours_list(*, user: Any) -> QuerySet[MallDayHours]:
    return scope_to_user_malls(MallDayHours.objects.select_related("mall"), user=user)


def year_special_days(calendar: WorkCalendar, year: int) -> list[tuple[datetime.date, str, str]]:
    """(day, kind, name) of a year's holidays and make-up workdays, in order."""
    day, found = datetime.date(year, 1, 1), []
    while day.year == year:
        special = calendar.special(day)
        if special is not None:
            found.append((day, *special))
        day += datetime.timedelta(days=1)
    return found


def entered_year_text(year: int) -> str:
    """An entered year's table as the lines the form takes (for editing)."""
    words = {DayKind.HOLIDAY: "休", DayKind.WORKDAY: "班"}
    rows = StatutoryDay.objects.filter(calendar_year__year=year).order_by("day")
    return "\n".join(f"{row.day} {words[row.kind]} {row.name}".rstrip() for row in rows)
