"""Members, cards and follow-up calls in the desk's daily report."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from mallservice.daily_report import ReportLine, ReportSection
from mallservice.models import Mall
from members.models import CallTask, Card, Member


def section(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> ReportSection:
    registered = Member.objects.filter(
        mall=mall, registered_at__gte=start, registered_at__lt=end
    ).count()
    cards = Card.objects.filter(mall=mall).aggregate(
        issued=Count("pk", filter=Q(issued_at__gte=start, issued_at__lt=end)),
        entered=Count("pk", filter=Q(entered_at__gte=start, entered_at__lt=end)),
    )
    calls = CallTask.objects.filter(mall=mall).aggregate(
        done=Count(
            "pk",
            filter=Q(status=CallTask.Status.DONE, closed_at__gte=start, closed_at__lt=end),
        ),
        left=Count("pk", filter=Q(status=CallTask.Status.PENDING, due_at__lt=end)),
    )
    return ReportSection(
        key="members",
        title=gettext_noop("Members and follow-up calls"),
        lines=[
            ReportLine(gettext_noop("Members registered"), registered),
            ReportLine(gettext_noop("Cards issued"), cards["issued"]),
            ReportLine(gettext_noop("Cards entered into the system"), cards["entered"]),
            ReportLine(gettext_noop("Follow-up calls completed"), calls["done"]),
            ReportLine(
                gettext_noop("Follow-up calls due and not made"),
                calls["left"],
                "warning" if calls["left"] else "",
            ),
        ],
    )
