from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.faults.selectors import fault_open_count, fault_overdue_count
from complaints.permissions import VIEW_COMPLAINT, VIEW_FAULTREPORT
from complaints.selectors import open_count, overdue_count
from mallservice.home import TodayItem


def today(user: Any) -> list[TodayItem]:
    items: list[TodayItem] = []
    if user.has_perm(VIEW_FAULTREPORT):
        faults = reverse("complaints:fault_list")
        items += [
            TodayItem(_("Open faults"), fault_open_count(user=user), f"{faults}?open_only=on"),
            TodayItem(
                _("Overdue faults"),
                fault_overdue_count(user=user),
                f"{faults}?open_only=on&sla_state=breached",
                urgent=True,
            ),
        ]
    if not user.has_perm(VIEW_COMPLAINT):
        return items
    url = reverse("complaints:list")
    return [
        TodayItem(_("Open complaints"), open_count(user=user), f"{url}?status_category=open"),
        TodayItem(
            _("Overdue complaints"),
            overdue_count(user=user),
            f"{url}?sla_state=breached",
            urgent=True,
        ),
        *items,
    ]
