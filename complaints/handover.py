"""What the complaints desk hands over at the end of a shift: complaints
still open at the mall, those overdue or due before the next shift ends,
callbacks due (resolved, customer not yet called) and compensation
awaiting a supervisor. Complaints belong to the desk, not to one person."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from complaints.models import Compensation, Complaint, SlaState
from complaints.permissions import VIEW_COMPLAINT
from complaints.selectors import compensation_list, complaint_list
from mallservice.handover import HandoverItem
from mallservice.models import Mall

# "Due" is what falls due before the incoming shift ends.
DUE_WITHIN = datetime.timedelta(hours=8)


def _url(mall: Mall, **filters: Any) -> str:
    return f"{reverse('complaints:list')}?{urlencode({'mall': mall.pk, **filters})}"


def open_items(*, user: Any, mall: Mall, now: datetime.datetime) -> list[HandoverItem]:
    if not user.has_perm(VIEW_COMPLAINT):
        return []
    mine = complaint_list(user=user).filter(mall=mall).select_related(None)
    live = mine.live()
    counts = live.aggregate(
        live=Count("pk"),
        overdue=Count("pk", filter=Q(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED])),
        due=Count(
            "pk",
            filter=Q(resolution_due_at__lte=now + DUE_WITHIN)
            & ~Q(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED]),
        ),
    )
    callbacks = mine.filter(state=Complaint.State.VERIFIED).count()
    compensations = compensation_list(user=user).filter(
        mall=mall, state=Compensation.State.REQUESTED
    )
    return [
        HandoverItem(
            "complaints.open", gettext_noop("Open complaints"), counts["live"], _url(mall, live=1)
        ),
        HandoverItem(
            "complaints.overdue",
            gettext_noop("Overdue complaints"),
            counts["overdue"],
            _url(mall, live=1, sla_state="overdue"),
        ),
        HandoverItem(
            "complaints.due",
            gettext_noop("Complaints due within the next shift"),
            counts["due"],
            _url(mall, live=1),
        ),
        HandoverItem(
            "complaints.callbacks",
            gettext_noop("Customer callbacks due"),
            callbacks,
            _url(mall, state=Complaint.State.VERIFIED),
        ),
        HandoverItem(
            "complaints.compensation",
            gettext_noop("Compensation awaiting approval"),
            compensations.count(),
            _url(mall, compensation=Compensation.State.REQUESTED),
        ),
    ]
