"""The group purchases' list filters."""

from __future__ import annotations

import re
from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from desk.filters import RecordedFilter
from desk.models import GroupPurchase
from desk.selectors.group_purchases import group_purchase_list
from mallservice.filters import FilterForm

REFERENCE = re.compile(r"^TG-\d{4}-\d{5}$", re.IGNORECASE)


class GroupPurchaseFilter(RecordedFilter):
    q = filters.CharFilter(label=_("number or company"), method="filter_text")
    status = filters.ChoiceFilter(
        choices=[
            ("live", _("not finished")),
            ("with_marketing", _("with marketing, not paid")),
            *GroupPurchase.Status.choices,
        ],
        empty_label=_("any status"),
        method="filter_status",
        label=_("status"),
    )
    product = filters.ChoiceFilter(
        choices=GroupPurchase.Product.choices, empty_label=_("any product"), label=_("product")
    )

    class Meta:
        model = GroupPurchase
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=group_purchase_list(user=user), user=user)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        if REFERENCE.match(text):
            return queryset.filter(reference=text.upper())
        return queryset.filter(company__icontains=text)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "live":
            return queryset.filter(status__in=GroupPurchase.LIVE)
        if value == "with_marketing":
            return queryset.filter(status__in=GroupPurchase.WITH_MARKETING)
        return queryset.filter(status=value)

    @property
    def qs(self) -> QuerySet:
        return super().qs.order_by("-created_at", "-pk")
