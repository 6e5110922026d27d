from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from mallservice.home import TodayItem
from mallservice.roles import Role, has_role
from members.selectors import adjustment_pending_list, my_calls_today


def today(user: Any) -> list[TodayItem]:
    items = []
    if has_role(user, Role.DESK, Role.SUPERVISOR):
        count = my_calls_today(user=user).count()
        items.append(TodayItem(_("VIP calls to make"), count, reverse("members:my_calls")))
    if has_role(user, Role.SUPERVISOR, Role.MANAGER):
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
