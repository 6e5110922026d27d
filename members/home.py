from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from mallservice.home import TodayItem
from members.permissions import ADD_CALLATTEMPT, CHANGE_POINTSADJUSTMENT
from members.selectors import adjustment_pending_list, my_calls_today


def today(user: Any) -> list[TodayItem]:
    items = []
    if user.has_perm(ADD_CALLATTEMPT):
        count = my_calls_today(user=user).count()
        items.append(TodayItem(_("VIP calls to make"), count, reverse("members:my_calls")))
    if user.has_perm(CHANGE_POINTSADJUSTMENT):
        count = adjustment_pending_list(user=user).count()
        if count:
            items.append(
                TodayItem(
                    _("Points adjustments to approve"),
                    count,
                    reverse("members:supervision"),
                    urgent=True,
                )
            )
    return items
