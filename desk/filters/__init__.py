"""The desk registers' list filters (django-filter), one module a register;
each list page, its export and the dashboard's links read the same
FilterSet over the register's scoped selector."""

from __future__ import annotations

import datetime

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mallservice.clock import day_bounds
from mallservice.filters import DeskFilterSet, MallFilter

DATE = forms.DateInput(attrs={"type": "date"})


class RecordedFilter(DeskFilterSet):
    """What every register's list offers: its malls, and the days the
    records were made (local days as time ranges, so the index serves
    them)."""

    mall = MallFilter()
    day_from = filters.DateFilter(widget=DATE, method="filter_from", label=_("from"))
    day_to = filters.DateFilter(widget=DATE, method="filter_to", label=_("to"))

    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(created_at__lt=day_bounds(value)[1])
