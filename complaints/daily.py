"""Complaints, phone log and fault reports in the desk's daily report: the
day's complaint summary is this section (one time, one recipient list, one
e-mail: the kernel's daily report); weekly and monthly summaries are
`services.reports`'."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_noop

from complaints.services.reports import summary_figures
from mallservice.clock import local_date
from mallservice.daily_report import ReportLine, ReportSection
from mallservice.models import Mall


def section(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> ReportSection:
    day = local_date(start)
    figures = summary_figures(mall=mall, starts_on=day, ends_on=day, now=end)
    faults = figures["faults"]
    # Category names are the mall's own words, not messages to translate.
    by_category = " · ".join(f"{name} {n}" for name, n in figures["by_category"])
    query = urlencode({"mall": mall.pk, "received_from": day, "received_to": day})
    return ReportSection(
        key="complaints",
        title=gettext_noop("Complaints and calls"),
        url=f"{reverse('complaints:list')}?{query}",
        lines=[
            ReportLine(gettext_noop("Complaints received"), figures["received"]),
            ReportLine(gettext_noop("Received by category"), by_category or None),
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
