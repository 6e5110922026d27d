"""The complaint list's filters (django-filter): the desk's filter form, the
export of what it shows, and the dashboard's links (`?live=on`,
`?sla_state=overdue`, `?legal=late`, `?compensation=requested`, `?mall=<id>`) read the
same FilterSet, over the user's scoped list."""

from __future__ import annotations

import datetime
import re
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import selectors
from complaints.forms import UNIT_ORDER, UnitChoiceField
from complaints.models import (
    Category,
    Channel,
    Compensation,
    Complaint,
    SlaState,
    Status,
    StatusCategory,
)
from mallservice.clock import day_bounds
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter
from mallservice.models import Floor, Unit
from mallservice.selectors import floor_list, unit_list


class UnitFilter(filters.ModelChoiceFilter):
    field_class = UnitChoiceField


_HAN = re.compile(r"[\u3400-\u9fff]")


class ComplaintFilter(DeskFilterSet):
    q = filters.CharFilter(label=_("reference or name"), method="filter_text")
    mall = MallFilter()
    status_category = filters.ChoiceFilter(
        choices=StatusCategory.choices, empty_label=_("any status"), label=_("status")
    )
    live = filters.BooleanFilter(
        widget=forms.CheckboxInput, method="filter_live", label=_("still open (open or paused)")
    )
    status = filters.ModelChoiceFilter(queryset=Status.objects.none(), label=_("status for staff"))
    state = filters.ChoiceFilter(
        choices=Complaint.State.choices, empty_label=_("any step"), label=_("step")
    )
    category = filters.ModelChoiceFilter(queryset=Category.objects.none(), label=_("category"))
    floor = filters.ModelChoiceFilter(queryset=Floor.objects.none(), label=_("floor"))
    unit = UnitFilter(queryset=Unit.objects.none(), label=_("shop"))
    handler = filters.CharFilter(
        field_name="handler_name", lookup_expr="icontains", label=_("handler")
    )
    channel = filters.ChoiceFilter(
        choices=Channel.choices, empty_label=_("any channel"), label=_("channel")
    )
    sla_state = filters.ChoiceFilter(
        choices=[*SlaState.choices, ("overdue", _("overdue (any level)"))],
        empty_label=_("any SLA"),
        method="filter_sla",
        label=_("SLA"),
    )
    legal = filters.ChoiceFilter(
        choices=[
            ("any", _("with a legal deadline")),
            ("late", _("open past the legal deadline")),
        ],
        empty_label=_("any legal deadline"),
        method="filter_legal",
        label=_("legal deadline"),
    )
    compensation = filters.ChoiceFilter(
        choices=Compensation.State.choices,
        empty_label=_("any compensation"),
        method="filter_compensation",
        label=_("compensation"),
    )
    received_from = filters.DateFilter(
        widget=forms.DateInput(attrs={"type": "date"}), method="filter_from", label=_("from")
    )
    received_to = filters.DateFilter(
        widget=forms.DateInput(attrs={"type": "date"}), method="filter_to", label=_("to")
    )

    class Meta:
        model = Complaint
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=selectors.complaint_list(user=user), user=user)
        choices = {
            "status": selectors.status_list(user=user),
            "category": selectors.category_list(user=user),
            "floor": floor_list(user=user),
            "unit": unit_list(user=user).filter(kind="shop").order_by(*UNIT_ORDER),
        }
        for name, queryset in choices.items():
            self.filters[name].queryset = queryset

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Each form of the free text through its own index: Chinese is the
        complainant's name (two characters: names starting with them, which
        a trigram index cannot serve; more: names containing them),
        anything else a reference or part of one."""
        text = value.strip()
        if not text:
            return queryset
        if _HAN.search(text):
            if len(text) <= 2:
                return queryset.filter(complainant_name__startswith=text)
            return queryset.filter(complainant_name__contains=text)
        return queryset.filter(reference__icontains=text)

    def filter_live(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.live() if value else queryset

    def filter_sla(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "overdue":
            return queryset.filter(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED])
        return queryset.filter(sla_state=value)

    def filter_legal(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        with_deadline = queryset.filter(legal_due_on__isnull=False)
        if value == "late":
            return with_deadline.live().filter(legal_due_on__lt=timezone.localdate())
        return with_deadline

    def filter_compensation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        asked = Compensation.objects.filter(state=value).values("complaint_id")
        return queryset.filter(pk__in=asked)

    # Local days as time ranges: `received_at__date` would compare a
    # computed date, which no index serves.
    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(received_at__gte=day_bounds(value)[0])

    def filter_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(received_at__lt=day_bounds(value)[1])
