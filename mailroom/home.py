from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mailroom import permissions as perms
from mailroom import selectors
from mailroom.models import Parcel
from mallservice.home import TodayItem


def today(user: Any) -> list[TodayItem]:
    if not user.has_perm(perms.VIEW_PARCEL):
        return []
    now = timezone.now()
    items = []
    waiting = selectors.parcel_list(user=user).filter(status=Parcel.Status.WAITING)
    count = waiting.count()
    if count:
        overdue = waiting.filter(escalation_sent_at__isnull=False).exists()
        items.append(
            TodayItem(
                _("Parcels waiting for pick-up"), count, reverse("mailroom:parcel_list"), overdue
            )
        )
    overdue_loans = selectors.loans_overdue(user=user, now=now).count()
    if overdue_loans:
        items.append(
            TodayItem(_("Lent items overdue"), overdue_loans, reverse("mailroom:loan_list"), True)
        )
    nearing = selectors.found_items_nearing_limit(user=user, now=now).count()
    if nearing:
        items.append(
            TodayItem(
                _("Found items nearing the retention limit"),
                nearing,
                reverse("mailroom:found_list") + "?view=nearing",
            )
        )
    return items
