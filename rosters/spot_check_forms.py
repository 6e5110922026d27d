"""The spot-check (查岗) forms and list filters: recording a check on a
phone at the posts, explaining an undeclared absence (离岗未报), and the
filters of its lists and of the flagged clock-ins (over the scoped
selectors)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mallservice.clock import day_bounds
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter
from mallservice.forms import SubmitOnceFormMixin
from rosters.models import ClockFlag, SpotCheck, UndeclaredAbsence
from rosters.selectors.clock_flags import clock_flag_list
from rosters.selectors.spot_checks import spot_check_list, undeclared_absence_list


class SpotCheckForm(SubmitOnceFormMixin, forms.Form):
    """Who was found. `present` is drawn by the page as one checkbox per
    rostered person, grouped by post; both lists accept any of the mall's
    staff, so a shift that ends while the form is open does not refuse it.
    `also_found` offers only `offered` (the staff not rostered now)."""

    present = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Found at post")
    )
    also_found = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Also found at a post (not on the roster now)"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, staff: QuerySet, offered: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = staff
        also_found = self.fields["also_found"]
        also_found.queryset = staff
        # Validated against every staff member, offered from the others.
        also_found.widget.choices = [(p.pk, str(p)) for p in offered]
        also_found.widget.attrs["class"] = "form-select"
        self.fields["note"].widget.attrs["class"] = "form-control"


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


DATE = forms.DateInput(attrs={"type": "date"})


class SpotCheckFilter(DeskFilterSet):
    mall = MallFilter()
    day = filters.DateFilter(widget=DATE, method="filter_day", label=_("date"))

    class Meta:
        model = SpotCheck
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=spot_check_list(user=user), user=user)

    def filter_day(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        start, end = day_bounds(value)
        return queryset.filter(at__gte=start, at__lt=end)


class UndeclaredAbsenceFilter(DeskFilterSet):
    """`?state=awaiting_explanation` (staff's home link), `?state=explained`
    (the supervisor's), `?mall=<id>`."""

    mall = MallFilter()
    state = filters.ChoiceFilter(
        choices=UndeclaredAbsence.State.choices, empty_label=_("All states"), label=_("state")
    )
    day = filters.DateFilter(widget=DATE, method="filter_day", label=_("date"))

    class Meta:
        model = UndeclaredAbsence
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=undeclared_absence_list(user=user), user=user)

    def filter_day(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        start, end = day_bounds(value)
        return queryset.filter(spot_check__at__gte=start, spot_check__at__lt=end)


class ClockFlagFilter(DeskFilterSet):
    """`?state=open` (the supervisor's home link), `?week=<a day>` for the
    weekly review, `?mall=<id>`."""

    mall = MallFilter()
    state = filters.ChoiceFilter(
        choices=ClockFlag.State.choices, empty_label=_("All states"), label=_("state")
    )
    week = filters.DateFilter(widget=DATE, method="filter_week", label=_("week of"))

    class Meta:
        model = ClockFlag
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=clock_flag_list(user=user), user=user)

    def filter_week(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        monday = value - datetime.timedelta(days=value.weekday())
        start = day_bounds(monday)[0]
        end = day_bounds(monday + datetime.timedelta(days=6))[1]
        return queryset.filter(clock_event__at__gte=start, clock_event__at__lt=end)
