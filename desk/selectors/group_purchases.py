"""Reads of group purchases, scoped to the user's malls."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

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
