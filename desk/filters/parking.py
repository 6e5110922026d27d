"""The parking validations' list filters: a plate (as typed), a status."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from desk.filters import RecordedFilter
from desk.models import ParkingValidation
from desk.selectors.parking import parking_list
from desk.validators import normalise_plate
from mallservice.filters import FilterForm


class ParkingFilter(RecordedFilter):
    q = filters.CharFilter(label=_("number or plate"), method="filter_text")
    status = filters.ChoiceFilter(
        choices=ParkingValidation.Status.choices, empty_label=_("any status"), label=_("status")
    )

    class Meta:
        model = ParkingValidation
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=parking_list(user=user), user=user)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        try:
            return queryset.filter(plate=normalise_plate(text))
        except ValidationError:
            return queryset.filter(reference=text.upper())

    @property
    def qs(self) -> QuerySet:
        return super().qs.select_related(None).order_by("-created_at", "-pk")
