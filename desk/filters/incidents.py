"""The incident and release-pass lists' filters (django-filter), each over the user's
scoped list. The dashboard's, home page's and handover's links keep
working: `?status=live`, `?urgent=on`, `?day_from=…&day_to=…` (incidents),
`?status=requested` (passes), each with `?mall=<id>`."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from desk import selectors
from desk.forms import DATE
from desk.models import Incident, ReleasePass
from mallservice.clock import day_bounds
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter


class IncidentFilter(DeskFilterSet):
    q = filters.CharFilter(max_length=50, method="filter_text", label=_("reference or text"))
    mall = MallFilter()
    kind = filters.ChoiceFilter(
        choices=Incident.Kind.choices, empty_label=_("all kinds"), label=_("kind")
    )
    status = filters.ChoiceFilter(
        choices=[("live", _("not closed")), *Incident.Status.choices],
        empty_label=_("all"),
        method="filter_status",
        label=_("status"),
    )
    urgent = filters.BooleanFilter(
        widget=forms.CheckboxInput, method="filter_urgent", label=_("urgent only")
    )
    day_from = filters.DateFilter(widget=DATE, method="filter_from", label=_("from"))
    day_to = filters.DateFilter(widget=DATE, method="filter_to", label=_("to"))

    class Meta:
        model = Incident
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=selectors.incident_rows(user=user), user=user)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(
            Q(reference__iexact=text)
            | Q(description__icontains=text)
            | Q(people_involved__icontains=text)
        )

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.live() if value == "live" else queryset.filter(status=value)

    def filter_urgent(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(urgent=True) if value else queryset

    # Local days as time ranges, which the index on `occurred_at` serves.
    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(occurred_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(occurred_at__lt=day_bounds(value)[1])


class ReleasePassFilter(DeskFilterSet):
    mall = MallFilter()
    status = filters.ChoiceFilter(
        choices=ReleasePass.Status.choices, empty_label=_("all"), label=_("status")
    )

    class Meta:
        model = ReleasePass
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        queryset = selectors.release_pass_list(user=user).order_by("-created_at", "-pk")
        super().__init__(data, queryset=queryset, user=user)
