"""The returns list's filters: the desk's filter form and the dashboard's
links (`?live=on`, `?mall=<id>`) read this FilterSet, over the user's
scoped list."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from desk.forms import DATE
from desk.models import ReturnCase
from desk.selectors import return_case_list
from mallservice.clock import day_bounds
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter

_HAN = re.compile(r"[\u3400-\u9fff]")


class ReturnCaseFilter(DeskFilterSet):
    q = filters.CharFilter(label=_("reference, receipt or customer"), method="filter_text")
    mall = MallFilter()
    status = filters.ChoiceFilter(
        choices=ReturnCase.Status.choices, empty_label=_("any status"), label=_("status")
    )
    live = filters.BooleanFilter(
        widget=forms.CheckboxInput, method="filter_live", label=_("not settled")
    )
    reason = filters.ChoiceFilter(
        choices=ReturnCase.Reason.choices, empty_label=_("any reason"), label=_("reason")
    )
    outcome = filters.ChoiceFilter(
        choices=ReturnCase.Outcome.choices, empty_label=_("any outcome"), label=_("outcome")
    )
    day_from = filters.DateFilter(widget=DATE, method="filter_from", label=_("from"))
    day_to = filters.DateFilter(widget=DATE, method="filter_to", label=_("to"))

    class Meta:
        model = ReturnCase
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=return_case_list(user=user), user=user)

    @property
    def qs(self) -> QuerySet[ReturnCase]:
        # The list shows no long text: it stays in the table.
        return (
            super()
            .qs.defer("customer_request", "outcome_note")
            .select_related(None)
            .select_related("unit", "unit__floor")
            .order_by("-created_at", "-pk")
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Chinese is the customer's name; anything else a reference or a
        receipt number, exactly."""
        text = value.strip()
        if not text:
            return queryset
        if _HAN.search(text):
            return queryset.filter(customer_name__contains=text)
        return queryset.filter(Q(reference__iexact=text) | Q(receipt_number=text))

    def filter_live(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.live() if value else queryset

    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__lt=day_bounds(value)[1])
