"""Working days the Chinese way: statutory holidays and 调休 make-up
workdays.

A year's days come from, in this order: the `chinesecalendar` package (it
covers the years up to its last release: 2004–2026 in 1.11.0), the table a
manager entered for the group (`CalendarYear`), or — neither having the
year — weekends only, with the dashboard warning about it. The State
Council publishes next year's schedule each November; it is entered, never
guessed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mallservice.workdays.models import CalendarYear, DayKind, StatutoryDay

# The years the installed package has data for.
PACKAGE_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)

# The package's holiday names (its English values), in the reader's language.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
}

SOURCE_PACKAGE, SOURCE_ENTERED, SOURCE_WEEKENDS = "package", "entered", "weekends"

# The entered table is read from the cache (two queries when it is cold) and
# forgotten when a manager saves a year: every worker sees the change.
TABLE_CACHE_KEY = "workdays:entered-table:v1"
TABLE_CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class EnteredTable:
    years: frozenset[int]
    # day → (DayKind, name)
    days: dict[datetime.date, tuple[str, str]]


def entered_table() -> EnteredTable:
    """The years a manager entered and their days; from the cache when warm."""
    table = cache.get(TABLE_CACHE_KEY)
    if isinstance(table, EnteredTable):
        return table
    rows = StatutoryDay.objects.values_list("day", "kind", "name")
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    table = EnteredTable(years=years, days={day: (kind, name) for day, kind, name in rows})
    cache.set(TABLE_CACHE_KEY, table, TABLE_CACHE_SECONDS)
    return table


def entered_table_forget() -> None:
    """Drop the cached table now and again once the transaction that changed
    it commits (a worker may have cached the old table in between)."""
    cache.delete(TABLE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(TABLE_CACHE_KEY))


class WorkCalendar:
    """Which days are working days, for any year (see the module's order).
    The entered table is read only when a year after the package's is asked
    about (from the cache; two queries when it is cold)."""

    def __init__(self, table: EnteredTable | None = None) -> None:
        self._table = table

    @property
    def table(self) -> EnteredTable:
        if self._table is None:
            self._table = entered_table()
        return self._table

    def source(self, year: int) -> str:
        if year in PACKAGE_YEARS:
            return SOURCE_PACKAGE
        if year in self.table.years:
            return SOURCE_ENTERED
        return SOURCE_WEEKENDS

    def covered(self, year: int) -> bool:
        return self.source(year) != SOURCE_WEEKENDS

    def special(self, day: datetime.date) -> tuple[str, str] | None:
        """(kind, holiday name) when the day is a statutory holiday or a
        make-up workday, else None (an ordinary weekday or weekend)."""
        source = self.source(day.year)
        if source == SOURCE_PACKAGE:
            if day in chinese_calendar.holidays:
                name = chinese_calendar.holidays[day]
                return DayKind.HOLIDAY, str(HOLIDAY_NAMES.get(name, name))
            if day in chinese_calendar.workdays:
                name = chinese_calendar.workdays[day]
                return DayKind.WORKDAY, str(HOLIDAY_NAMES.get(name, name))
            return None
        if source == SOURCE_ENTERED:
            return self.table.days.get(day)
        return None

    def is_holiday(self, day: datetime.date) -> bool:
        special = self.special(day)
        return special is not None and special[0] == DayKind.HOLIDAY

    def is_workday(self, day: datetime.date) -> bool:
        special = self.special(day)
        if special is not None:
            return special[0] == DayKind.WORKDAY
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (the start day itself is
        not counted: "期间开始的当日不计入"); `start` itself for 0."""
        day = start
        # Ten years of days bounds the loop even for an absurd rule.
        for _step in range(3660):
            if days <= 0:
                return day
            day += datetime.timedelta(days=1)
            if self.is_workday(day):
                days -= 1
        raise ValueError("working-day count too far in the future")


def work_calendar() -> WorkCalendar:
    """The calendar as it stands (the entered table read when needed)."""
    return WorkCalendar()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start`, on the group's calendar."""
    return work_calendar().add_working_days(start, days)


def calendar_warnings(today: datetime.date) -> list[str]:
    """What a manager must do about the calendar: this year without a table
    (weekends only are counted), and from December next year's table not
    yet entered. No query while the package covers both years, else one
    (not cached: the dashboard's query count stays the same each time)."""
    years = [today.year, today.year + 1] if today.month == 12 else [today.year]
    missing = [year for year in years if year not in PACKAGE_YEARS]
    if missing:
        entered = set(CalendarYear.objects.filter(year__in=missing).values_list("year", flat=True))
        missing = [year for year in missing if year not in entered]
    warnings = []
    if today.year in missing:
        warnings.append(
            _(
                "There is no holiday table for %(year)s: working days count weekends only "
                "until a manager enters the State Council's schedule."
            )
            % {"year": today.year}
        )
    if today.year + 1 in missing:
        warnings.append(
            _(
                "Next year's holiday table (%(year)s) is missing: enter the State Council's "
                "schedule of holidays and make-up workdays before 1 January."
            )
            % {"year": today.year + 1}
        )
    return warnings
