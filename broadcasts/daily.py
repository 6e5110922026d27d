"""The broadcast room in the desk's daily report."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from broadcasts.models import AnnouncementAiring, MissingPersonCase, RoutineAiring
from mallservice.clock import local_date
from mallservice.daily_report import ReportLine, ReportSection
from mallservice.models import Mall


def section(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> ReportSection:
    routine = RoutineAiring.objects.filter(mall=mall, day=local_date(start)).aggregate(
        aired=Count("pk", filter=Q(aired_at__isnull=False)),
        missed=Count("pk", filter=Q(missed_flagged_at__isnull=False)),
    )
    adhoc = AnnouncementAiring.objects.filter(
        mall=mall, aired_at__gte=start, aired_at__lt=end
    ).count()
    cases = MissingPersonCase.objects.filter(mall=mall).aggregate(
        opened=Count("pk", filter=Q(reported_at__gte=start, reported_at__lt=end)),
        found=Count("pk", filter=Q(found_at__gte=start, found_at__lt=end)),
        still_open=Count("pk", filter=Q(state=MissingPersonCase.State.OPEN, reported_at__lt=end)),
    )
    return ReportSection(
        key="broadcasts",
        title=gettext_noop("Broadcasts"),
        lines=[
            ReportLine(gettext_noop("Routine broadcasts aired"), routine["aired"]),
            ReportLine(
                gettext_noop("Routine broadcasts missed"),
                routine["missed"],
                "warning" if routine["missed"] else "",
            ),
            ReportLine(gettext_noop("Announcements aired"), adhoc),
            ReportLine(gettext_noop("Missing-person cases opened"), cases["opened"]),
            ReportLine(gettext_noop("Missing persons found"), cases["found"]),
            ReportLine(
                gettext_noop("Missing-person cases still open"),
                cases["still_open"],
                "warning" if cases["still_open"] else "",
            ),
        ],
    )
