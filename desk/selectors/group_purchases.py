"""Reads of group purchases, scoped to the user's malls."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce

from desk.models import GroupPurchase, GroupPurchaseQuote
from mallservice.clock import month_bounds
from mallservice.selectors import scope_to_user_malls


def group_purchase_list(*, user: Any) -> QuerySet[GroupPurchase]:
    return scope_to_user_malls(GroupPurchase.objects.select_related("mall"), user=user)


def group_purchase_quotes(*, purchase: GroupPurchase) -> QuerySet[GroupPurchaseQuote]:
    return purchase.quotes.select_related("by").order_by("at", "pk")


def group_purchase_month(
    *, user: Any, month: datetime.date, mall: Any = None
) -> QuerySet[GroupPurchase]:
    """Marketing's month: the orders handed over in `month` (local time),
    with their delivery and payment, oldest first."""
    start, end = month_bounds(month)
    qs = group_purchase_list(user=user).filter(ordered_at__gte=start, ordered_at__lt=end)
    if mall is not None:
        qs = qs.filter(mall=mall)
    return qs.order_by("ordered_at", "pk")


def group_purchase_month_totals(*, purchases: QuerySet[GroupPurchase]) -> dict[str, Any]:
    """Orders, face value and quoted total of the month (one query)."""
    return purchases.order_by().aggregate(
        orders=Count("pk"),
        face_total=Coalesce(Sum(F("face_value") * F("quantity")), 0),
        quoted_total=Coalesce(Sum("quoted_total"), Decimal(0)),
    )
