"""The incident log, the release passes and the walk-in tally in the desk's
daily report."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from desk.figures import cctv, counter, returns
from desk.models import Incident, ReleasePass, WalkInService
from mallservice.daily_report import ReportLine, ReportSection
from mallservice.models import Mall

TOP_CATEGORIES = 5


def section(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> ReportSection:
    incidents = Incident.objects.filter(mall=mall).aggregate(
        recorded=Count("pk", filter=Q(occurred_at__gte=start, occurred_at__lt=end)),
        urgent=Count("pk", filter=Q(occurred_at__gte=start, occurred_at__lt=end, urgent=True)),
        police=Count(
            "pk", filter=Q(occurred_at__gte=start, occurred_at__lt=end, police_called=True)
        ),
        ambulance=Count(
            "pk", filter=Q(occurred_at__gte=start, occurred_at__lt=end, ambulance_called=True)
        ),
        open=Count("pk", filter=~Q(status=Incident.Status.CLOSED) & Q(occurred_at__lt=end)),
    )
    services = list(
        WalkInService.objects.filter(mall=mall, at__gte=start, at__lt=end)
        .values("category__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "category__name")
    )
    passes = ReleasePass.objects.filter(mall=mall).aggregate(
        requested=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        used=Count("pk", filter=Q(used_at__gte=start, used_at__lt=end)),
        refused=Count(
            "pk",
            filter=Q(status=ReleasePass.Status.REFUSED, decided_at__gte=start, decided_at__lt=end),
        ),
    )
    lines = [
        ReportLine(gettext_noop("Incidents recorded"), incidents["recorded"]),
        ReportLine(
            gettext_noop("Urgent incidents"),
            incidents["urgent"],
            "warning" if incidents["urgent"] else "",
        ),
        ReportLine(gettext_noop("Incidents with police called"), incidents["police"]),
        ReportLine(gettext_noop("Incidents with an ambulance called"), incidents["ambulance"]),
        ReportLine(gettext_noop("Incidents not closed"), incidents["open"]),
        ReportLine(gettext_noop("Goods release passes requested"), passes["requested"]),
        ReportLine(gettext_noop("Goods release passes used at the exit"), passes["used"]),
        ReportLine(gettext_noop("Goods release passes refused"), passes["refused"]),
        ReportLine(gettext_noop("Walk-in services"), sum(row["n"] for row in services)),
    ]
    lines += returns.daily_lines(mall=mall, start=start, end=end)
    lines += cctv.daily_lines(mall=mall, start=start, end=end)
    lines += counter.daily_lines(mall=mall, start=start, end=end)
    # The top categories by name (the mall's own words, from its admin).
    lines += [ReportLine(row["category__name"], row["n"]) for row in services[:TOP_CATEGORIES]]
    return ReportSection(
        key="desk", title=gettext_noop("Incidents and walk-in services"), lines=lines
    )
