"""The rosters lists' filters (django-filter) over the user's scoped lists.
The dashboard, the home page and the handover checklist link into them
(`?pending=1`, `?state=requested`, `?exceptions=1`, `?over=1`); a value the
form refuses filters nothing and shows its error.

A rosters page is about one mall (`MallScopedMixin` reads `?mall=`) and some
are about a day or a month: those are the page's own parameters, not
filters, and the filter form only carries them along so that filtering
stays on the same page."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mallservice.clock import day_bounds
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter
from rosters.models import (
    Assignment,
    ClockFlag,
    Handover,
    LeaveRequest,
    SpotCheck,
    SupplyAllowance,
    SupplyRequisition,
    SwapRequest,
    UndeclaredAbsence,
)
from rosters.selectors.attendance import AttendanceDay
from rosters.selectors.clock_flags import clock_flag_list
from rosters.selectors.spot_checks import spot_check_list, undeclared_absence_list
from rosters.selectors.supplies import SupplyUsageRow


class PageParam(filters.CharFilter):
    """A parameter of the page (its mall, day or month) that the view reads
    itself; the form holds the value the view settled on and filters
    nothing with it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)

    def filter(self, qs: Any, value: Any) -> Any:
        return qs


class OnlyFilter(filters.ChoiceFilter):
    """A switch such as `?pending=1`: "1" keeps the rows `method` keeps;
    anything else is refused by the form."""

    def __init__(self, *, only: Any, method: str) -> None:
        super().__init__(
            choices=[("1", only)], empty_label=_("all"), label=_("Show"), method=method
        )


class RosterFilterSet(DeskFilterSet):
    """`page` holds the page's own parameters as the view resolved them
    (`{"mall": mall.pk}`), shown in the form instead of what was typed."""

    mall = PageParam()

    class Meta:
        form = FilterForm

    def __init__(
        self, data: Any = None, *, queryset: QuerySet, user: Any, page: dict[str, Any]
    ) -> None:
        super().__init__(data, queryset=queryset, user=user)
        for name, value in page.items():
            self.filters[name].extra["initial"] = value
        if self.is_bound:
            self.data = self.data.copy()
            for name, value in page.items():
                self.data[name] = str(value)

    def applied(self, name: str) -> bool:
        """Whether the list is narrowed by filter `name`."""
        return self.is_valid() and self.form.cleaned_data.get(name) not in (None, "")


class RowsFilterSet(RosterFilterSet):
    """Filters over rows a selector computes (attendance days, use per
    item) instead of a queryset: each filter's method takes and returns a
    list. `qs` is the rows kept."""

    def __init__(self, data: Any = None, *, rows: list, user: Any, page: dict[str, Any]) -> None:
        super().__init__(data, queryset=self._meta.model.objects.none(), user=user, page=page)
        self.rows = rows

    @property
    def qs(self) -> list:  # type: ignore[override]
        if not self.is_valid():
            return self.rows
        rows = self.rows
        for name, value in self.form.cleaned_data.items():
            rows = self.filters[name].filter(rows, value)
        return rows


class HandoverFilter(RosterFilterSet):
    pending = OnlyFilter(only=_("not acknowledged"), method="filter_pending")

    class Meta(RosterFilterSet.Meta):
        model = Handover
        fields: list[str] = []

    def filter_pending(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(acknowledged_at__isnull=True)


class LeaveFilter(RosterFilterSet):
    pending = OnlyFilter(only=_("awaiting a decision"), method="filter_pending")

    class Meta(RosterFilterSet.Meta):
        model = LeaveRequest
        fields: list[str] = []

    def filter_pending(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(state__in=LeaveRequest.OPEN_STATES)


class SwapFilter(RosterFilterSet):
    # What the supervisor still decides: a swap the colleague has not yet
    # accepted is not theirs to approve.
    pending = OnlyFilter(only=_("awaiting a decision"), method="filter_pending")

    class Meta(RosterFilterSet.Meta):
        model = SwapRequest
        fields: list[str] = []

    def filter_pending(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(state=SwapRequest.State.AWAITING_SUPERVISOR)


class SupplyRequisitionFilter(RosterFilterSet):
    state = filters.ChoiceFilter(
        choices=SupplyRequisition.State.choices, empty_label=_("any state"), label=_("State")
    )

    class Meta(RosterFilterSet.Meta):
        model = SupplyRequisition
        fields: list[str] = []


class AttendanceFilter(RowsFilterSet):
    # The page's day or range (`?date=`, `?start=&end=`), carried as the
    # range the view settled on.
    start = PageParam()
    end = PageParam()
    exceptions = OnlyFilter(only=_("exceptions only"), method="filter_exceptions")

    class Meta(RosterFilterSet.Meta):
        model = Assignment
        fields: list[str] = []

    def filter_exceptions(
        self, rows: list[AttendanceDay], name: str, value: str
    ) -> list[AttendanceDay]:
        return [r for r in rows if r.is_exception]


class SupplyUsageFilter(RowsFilterSet):
    month = PageParam(widget=forms.TextInput(attrs={"type": "month"}), label=_("Month"))
    over = OnlyFilter(only=_("only items over expected use"), method="filter_over")

    class Meta(RosterFilterSet.Meta):
        model = SupplyAllowance
        fields: list[str] = []

    def filter_over(
        self, rows: list[SupplyUsageRow], name: str, value: str
    ) -> list[SupplyUsageRow]:
        return [r for r in rows if r.over]


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
