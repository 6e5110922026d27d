"""Mail, lost and found and lending in the desk's daily report."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_noop

from mailroom.models import FoundItem, ItemClaim, Loan, OutgoingMail, Parcel
from mallservice.daily_report import ReportLine, ReportSection
from mallservice.models import Mall


def section(*, mall: Mall, start: datetime.datetime, end: datetime.datetime) -> ReportSection:
    parcels = Parcel.objects.filter(mall=mall).aggregate(
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        collected=Count("pk", filter=Q(pickup__at__gte=start, pickup__at__lt=end)),
        waiting=Count("pk", filter=Q(status=Parcel.Status.WAITING, received_at__lt=end)),
    )
    outgoing = OutgoingMail.objects.filter(
        mall=mall, logged_at__gte=start, logged_at__lt=end
    ).count()
    found = FoundItem.objects.filter(mall=mall, logged_at__gte=start, logged_at__lt=end).count()
    released = ItemClaim.objects.filter(
        mall=mall, released_at__gte=start, released_at__lt=end
    ).count()
    loans = Loan.objects.filter(mall=mall).aggregate(
        lent=Count("pk", filter=Q(lent_at__gte=start, lent_at__lt=end)),
        overdue=Count("pk", filter=Q(returned_at__isnull=True, due_at__lt=end)),
    )
    return ReportSection(
        key="mailroom",
        title=gettext_noop("Mail, lost and found, lending"),
        lines=[
            ReportLine(gettext_noop("Parcels received"), parcels["received"]),
            ReportLine(gettext_noop("Parcels collected"), parcels["collected"]),
            ReportLine(gettext_noop("Parcels waiting for pick-up"), parcels["waiting"]),
            ReportLine(gettext_noop("Outgoing mail logged"), outgoing),
            ReportLine(gettext_noop("Found items logged"), found),
            ReportLine(gettext_noop("Found items returned to owners"), released),
            ReportLine(gettext_noop("Items lent"), loans["lent"]),
            ReportLine(
                gettext_noop("Items lent and overdue"),
                loans["overdue"],
                "warning" if loans["overdue"] else "",
            ),
        ],
    )
