"""Reads of office supplies (办公用品): requisitions and use against
expected use."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, Sum

from mallservice.clock import month_bounds
from mallservice.models import Mall
from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.models import (
    SupplyAllowance,
    SupplyItem,
    SupplyRequisition,
)


def supply_item_list(*, user: Any, mall: Mall) -> QuerySet[SupplyItem]:
    return scope_to_user_malls(SupplyItem.objects.filter(mall=mall, is_active=True), user=user)


def supply_requisition_list(*, user: Any) -> QuerySet[SupplyRequisition]:
    """Supervisors see every requisition of their malls; staff their own."""
    qs = scope_to_user_malls(
        SupplyRequisition.objects.select_related(
            "item", "post", "requested_by", "decided_by", "issued_by"
        ),
        user=user,
    )
    return qs if user.has_perm(perms.APPROVE_SUPPLYREQUISITION) else qs.filter(requested_by=user)


@dataclass
class SupplyUsageRow:
    post: str
    item: str
    unit: str
    expected: int
    used: int
    post_id: int = 0
    item_id: int = 0

    @property
    def over(self) -> bool:
        return self.used > self.expected

    @property
    def percent(self) -> int | None:
        return round(100 * self.used / self.expected) if self.expected else None


def supply_usage(*, user: Any, malls: list[Mall], month: datetime.date) -> list[SupplyUsageRow]:
    """Use against expected per post and item for one month (two aggregate
    queries). Use is what was issued in the month; an item issued to a post
    without an expected use counts as over."""
    start, end = month_bounds(month)
    mall_ids = [m.pk for m in malls]
    rows: dict[tuple[int, int], SupplyUsageRow] = {}
    allowances = scope_to_user_malls(SupplyAllowance.objects.all(), user=user).filter(
        mall_id__in=mall_ids
    )
    for a in allowances.values(
        "post_id", "item_id", "post__name", "item__name", "item__unit", "monthly_quantity"
    ):
        rows[(a["post_id"], a["item_id"])] = SupplyUsageRow(
            a["post__name"],
            a["item__name"],
            a["item__unit"],
            a["monthly_quantity"],
            0,
            a["post_id"],
            a["item_id"],
        )
    issued = (
        scope_to_user_malls(SupplyRequisition.objects.all(), user=user)
        .filter(
            mall_id__in=mall_ids,
            state=SupplyRequisition.State.ISSUED,
            issued_at__gte=start,
            issued_at__lt=end,
        )
        .values("post_id", "item_id", "post__name", "item__name", "item__unit")
        .annotate(used=Sum("quantity"))
    )
    for r in issued:
        key = (r["post_id"], r["item_id"])
        if key not in rows:
            rows[key] = SupplyUsageRow(
                r["post__name"], r["item__name"], r["item__unit"], 0, 0, *key
            )
        rows[key].used = r["used"] or 0
    return sorted(rows.values(), key=lambda r: (r.post, r.item))


def supply_requisition_counts(*, user: Any, malls: list[Mall]) -> dict[str, int]:
    """Open requisitions by state (one query), for the dashboard."""
    counts = (
        scope_to_user_malls(SupplyRequisition.objects.all(), user=user)
        .filter(mall_id__in=[m.pk for m in malls], state__in=SupplyRequisition.OPEN_STATES)
        .values("state")
        .annotate(n=Count("pk"))
    )
    return {row["state"]: row["n"] for row in counts}
