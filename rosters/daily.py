"""Attendance, off-post time, staff meals and handovers in the desk's daily report."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from mallservice.daily_report import ReportLine, ReportSection
from mallservice.models import Mall
from rosters.models import Handover, MealOrder, MealSheet, OffPostRecord
from rosters.selectors.attendance import mall_attendance_days


def section(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> ReportSection:
    day = timezone.localdate(start)
    # Built by scheduled work for one mall: the mall's own shifts, not the
    # system account's view of them (that account is not given every mall
    # where it was created by the migration, and then saw no shift at all).
    days = mall_attendance_days(mall=mall, start=day, end=day, now=end)
    exceptions = sum(1 for d in days if d.is_exception)
    off_post = OffPostRecord.objects.filter(mall=mall, out_at__gte=start, out_at__lt=end).aggregate(
        n=Count("pk"), flagged=Count("pk", filter=Q(flagged_at__isnull=False))
    )
    handovers = Handover.objects.filter(
        mall=mall, created_at__gte=start, created_at__lt=end
    ).aggregate(n=Count("pk"), open=Count("pk", filter=Q(acknowledged_at__isnull=True)))
    meals = MealOrder.objects.filter(mall=mall, date=day).aggregate(
        lunch=Count("pk", filter=Q(lunch=True)), dinner=Count("pk", filter=Q(dinner=True))
    )
    sheets = MealSheet.objects.filter(mall=mall, date=day).count()
    return ReportSection(
        key="rosters",
        title=gettext_noop("Attendance and handovers"),
        lines=[
            ReportLine(gettext_noop("Shifts rostered"), len(days)),
            ReportLine(
                gettext_noop("Attendance exceptions"), exceptions, "warning" if exceptions else ""
            ),
            ReportLine(gettext_noop("Times off post"), off_post["n"]),
            ReportLine(
                gettext_noop("Off post too long"),
                off_post["flagged"],
                "warning" if off_post["flagged"] else "",
            ),
            ReportLine(gettext_noop("Staff lunches ordered"), meals["lunch"]),
            ReportLine(gettext_noop("Staff dinners ordered"), meals["dinner"]),
            ReportLine(gettext_noop("Meal lists sent to the canteen"), sheets),
            ReportLine(gettext_noop("Shift handovers"), handovers["n"]),
            ReportLine(
                gettext_noop("Handovers not acknowledged"),
                handovers["open"],
                "warning" if handovers["open"] else "",
            ),
        ],
    )
