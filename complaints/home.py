from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.selectors import open_count, overdue_count
from mallservice.home import TodayItem


def today(user: Any) -> list[TodayItem]:
    if not user.has_perm("complaints.view_complaint"):
        return []
    url = reverse("complaints:list")
    return [
        TodayItem(_("Open complaints"), open_count(user=user), f"{url}?status_category=open"),
        TodayItem(
            _("Overdue complaints"),
            overdue_count(user=user),
            f"{url}?sla_state=breached",
            urgent=True,
        ),
    ]
