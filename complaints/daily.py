"""Complaints, phone log and fault reports in the desk's daily report."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_noop

from complaints.services.reports import summary_figures
from mallservice.daily_report import ReportLine, ReportSection
from mallservice.models import Mall


def section(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> ReportSection:
    day = timezone.localdate(start)
    figures = summary_figures(mall=mall, starts_on=day, ends_on=day, now=end)
    faults = figures["faults"]
    return ReportSection(
        key="complaints",
        title=gettext_noop("Complaints and calls"),
        url=f"{reverse('complaints:summaries')}?mall={mall.pk}",
        lines=[
            ReportLine(gettext_noop("Complaints received"), figures["received"]),
            ReportLine(gettext_noop("Complaints resolved"), figures["resolved"]),
            ReportLine(gettext_noop("Complaints still open"), figures["open"]),
            ReportLine(
                gettext_noop("Complaints overdue"),
                figures["overdue"],
                "warning" if figures["overdue"] else "",
            ),
            ReportLine(gettext_noop("Calls logged"), figures["calls"]),
            ReportLine(gettext_noop("Faults reported"), faults["reported"]),
            ReportLine(gettext_noop("Faults fixed"), faults["fixed"]),
            ReportLine(
                gettext_noop("Faults still open"),
                faults["open"],
                "warning" if faults["overdue"] else "",
            ),
        ],
    )
