"""What the mailroom hands over at the end of a shift (交接班): parcels
still waiting on the shelves and items lent out (overdue ones counted
apart, so the next shift chases them). They belong to the desk of the mall,
not to one person."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_noop

from mailroom import permissions as perms
from mailroom import selectors
from mailroom.models import Parcel
from mallservice.handover import HandoverItem
from mallservice.models import Mall


def _url(name: str, mall: Mall, **filters: Any) -> str:
    return f"{reverse(name)}?{urlencode({'mall': mall.pk, **filters})}"


def open_items(*, user: Any, mall: Mall, now: datetime.datetime) -> list[HandoverItem]:
    items: list[HandoverItem] = []
    if user.has_perm(perms.VIEW_PARCEL):
        waiting = (
            selectors.parcel_list(user=user)
            .select_related(None)
            .filter(mall=mall, status=Parcel.Status.WAITING)
            .count()
        )
        items.append(
            HandoverItem(
                "mailroom.parcels_waiting",
                gettext_noop("Parcels waiting for pick-up"),
                waiting,
                _url("mailroom:parcel_list", mall, status=Parcel.Status.WAITING),
            )
        )
    if user.has_perm(perms.VIEW_LOAN):
        loans = (
            selectors.loans_open(user=user)
            .select_related(None)
            .filter(mall=mall)
            .aggregate(out=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        )
        items += [
            HandoverItem(
                "mailroom.loans_out",
                gettext_noop("Items lent out"),
                loans["out"],
                _url("mailroom:loan_list", mall),
            ),
            HandoverItem(
                "mailroom.loans_overdue",
                gettext_noop("Lent items overdue"),
                loans["overdue"],
                _url("mailroom:loan_list", mall, show="overdue"),
            ),
        ]
    return items
