"""The fault list's filters (django-filter), over the user's scoped list."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.faults.models import FaultReport, FaultType
from complaints.faults.selectors import fault_list
from complaints.filters import UnitFilter
from complaints.forms import UNIT_ORDER
from complaints.models import Department, SlaState
from mallservice.filters import DeskFilterSet, FilterForm
from mallservice.models import Floor, Unit
from mallservice.selectors import floor_list, unit_list


class FaultFilter(DeskFilterSet):
    # The fault's own number (报修单号), not a complaint's (issue 25).
    q = filters.CharFilter(
        field_name="reference",
        lookup_expr="icontains",
        max_length=30,
        label=pgettext_lazy("fault report", "reference number"),
    )
    open_only = filters.BooleanFilter(
        widget=forms.CheckboxInput, method="filter_open", label=_("open only")
    )
    repeats_only = filters.BooleanFilter(
        widget=forms.CheckboxInput, method="filter_repeats", label=_("repeats only")
    )
    state = filters.ChoiceFilter(
        choices=FaultReport.State.choices, empty_label=_("any step"), label=_("step")
    )
    fault_type = filters.ChoiceFilter(
        choices=FaultType.choices, empty_label=_("any type"), label=_("fault type")
    )
    handler_department = filters.ChoiceFilter(
        choices=Department.choices, empty_label=_("any department"), label=_("department")
    )
    floor = filters.ModelChoiceFilter(queryset=Floor.objects.none(), label=_("floor"))
    unit = UnitFilter(queryset=Unit.objects.none(), label=_("shop / counter / area"))
    sla_state = filters.ChoiceFilter(
        choices=SlaState.choices, empty_label=_("any SLA"), label=_("SLA")
    )

    class Meta:
        model = FaultReport
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=fault_list(user=user), user=user)
        self.filters["floor"].queryset = floor_list(user=user)
        self.filters["unit"].queryset = unit_list(user=user).order_by(*UNIT_ORDER)

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.live() if value else queryset

    def filter_repeats(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(is_repeat=True) if value else queryset
