"""The CCTV review list's filters: the desk's filter form and the
dashboard's links (`?status=requested`, `?mall=<id>`) read this FilterSet,
over the user's scoped list."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from desk.forms import DATE
from desk.models import FootageReview
from desk.selectors import footage_review_list
from mallservice.clock import day_bounds
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter

_HAN = re.compile(r"[\u3400-\u9fff]")


class FootageReviewFilter(DeskFilterSet):
    q = filters.CharFilter(label=_("reference or requester"), method="filter_text")
    mall = MallFilter()
    status = filters.ChoiceFilter(
        choices=FootageReview.Status.choices, empty_label=_("any status"), label=_("status")
    )
    requester_kind = filters.ChoiceFilter(
        choices=FootageReview.RequesterKind.choices,
        empty_label=_("anyone"),
        label=_("requested by"),
    )
    reason = filters.ChoiceFilter(
        choices=FootageReview.Reason.choices, empty_label=_("any reason"), label=_("reason")
    )
    day_from = filters.DateFilter(widget=DATE, method="filter_from", label=_("from"))
    day_to = filters.DateFilter(widget=DATE, method="filter_to", label=_("to"))

    class Meta:
        model = FootageReview
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=footage_review_list(user=user), user=user)

    @property
    def qs(self) -> QuerySet[FootageReview]:
        # The list shows no long text: it stays in the table.
        return (
            super()
            .qs.defer("reason_detail", "findings")
            .select_related(None)
            .order_by("-created_at", "-pk")
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Chinese is the requester's name; anything else a reference."""
        text = value.strip()
        if not text:
            return queryset
        if _HAN.search(text):
            return queryset.filter(requester_name__contains=text)
        return queryset.filter(reference__iexact=text)

    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__lt=day_bounds(value)[1])
