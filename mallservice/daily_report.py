"""The desk's daily report (每日工作汇总): what the whole desk did in one
mall's day — complaints, calls, members and cards, broadcasts, parcels,
found items, attendance — collected from the apps.

Each app contributes in `<app>/daily.py`:

    def section(*, mall, start, end) -> ReportSection | None

with aggregate queries over [start, end) for that mall (a few queries, not
one per record). Labels are English msgids marked with `gettext_noop`: the
report is stored as figures and translated when it is read or mailed, so it
shows in the reader's language. The report is built and stored by
`mallservice.services.daily_report_build`."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from mallservice.hooks import app_hook_modules
from mallservice.models import Mall


@dataclass(frozen=True)
class ReportLine:
    label: str  # gettext_noop msgid
    value: int | str | None
    # "warning" draws the reader's eye (overdue, missed, exceptions).
    level: str = ""

    @property
    def display_label(self) -> str:
        return gettext(self.label)


@dataclass(frozen=True)
class ReportSection:
    key: str  # the app label, a stable code
    title: str  # gettext_noop msgid
    lines: list[ReportLine] = field(default_factory=list)
    # The app's own detailed report of the day, if it has one.
    url: str = ""

    @property
    def display_title(self) -> str:
        return gettext(self.title)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportSection:
        return cls(
            key=str(data.get("key", "")),
            title=str(data.get("title", "")),
            url=str(data.get("url", "")),
            lines=[
                ReportLine(
                    label=str(line.get("label", "")),
                    value=line.get("value"),
                    level=str(line.get("level", "")),
                )
                for line in data.get("lines", [])
            ],
        )


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of a local calendar day."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time(0), tz)
    return start, start + datetime.timedelta(days=1)


def sections(*, mall: Mall, day: datetime.date, now: datetime.datetime) -> list[ReportSection]:
    """Every app's section of `mall`'s report for `day`, up to `now` when the
    day is not over yet (a report built at 17:45 covers the day so far)."""
    start, end = day_bounds(day)
    end = min(end, now)
    found = []
    for module in app_hook_modules("daily"):
        section = module.section(mall=mall, start=start, end=end)
        if section is not None:
            found.append(section)
    return found


def stored_sections(data: list[dict[str, Any]]) -> list[ReportSection]:
    return [ReportSection.from_json(item) for item in data]


def report_text(data: list[dict[str, Any]]) -> str:
    """The report as plain text for the e-mail, in the active language."""
    lines: list[str] = []
    for section in stored_sections(data):
        lines.append(f"【{section.display_title}】")
        for line in section.lines:
            value = "—" if line.value is None else line.value
            lines.append(f"  {line.display_label}: {value}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
