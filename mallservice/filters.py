"""The list filters' kit (django-filter). Each app's lists filter through a
`DeskFilterSet` in `<app>/filters.py`, over the app's scoped selector; the
list page, its export and the dashboard's links read the same FilterSet.
`components/_filter_form.html` draws the form, `filter_query` keeps the
filters on the pagination and export links."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from mallservice.forms import BootstrapWidgetsMixin
from mallservice.models import DailyReport, Mall
from mallservice.selectors import daily_report_list, mall_list


class FilterForm(BootstrapWidgetsMixin, forms.Form):
    pass


class MallFilter(filters.ModelChoiceFilter):
    """`?mall=<id>`: one of the user's malls (`DeskFilterSet` fills the
    choices); the dashboard links a mall's figures to its rows with it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Mall.objects.none())
        kwargs.setdefault("label", _("mall"))
        super().__init__(*args, **kwargs)


class DeskFilterSet(filters.FilterSet):
    """A list filter over the user's records: `queryset` is the app's scoped
    selector for `user`. A filter form with an invalid value (a hand-edited
    link) filters nothing rather than half the filters; the form shows what
    was wrong. A `MallFilter` offers the user's malls."""

    def __init__(self, data: Any = None, *, queryset: QuerySet, user: Any) -> None:
        super().__init__(data or None, queryset=queryset)
        self.user = user
        for spec in self.filters.values():
            if isinstance(spec, MallFilter):
                spec.queryset = mall_list(user=user)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if not self.form.is_valid():
            return queryset
        return super().filter_queryset(queryset)


def filter_query(data: QueryDict) -> str:
    """The query string of a filtered list without its page number: for the
    pagination, export and print links."""
    query = data.copy()
    query.pop("page", None)
    return query.urlencode()


class DailyReportFilter(DeskFilterSet):
    """The desk's daily reports: a mall, a range of days."""

    mall = MallFilter()
    day_from = filters.DateFilter(
        field_name="day",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("from"),
    )
    day_to = filters.DateFilter(
        field_name="day",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
        label=_("to"),
    )

    class Meta:
        model = DailyReport
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=daily_report_list(user=user), user=user)
