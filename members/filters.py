"""The supervisor's call list's filters (django-filter), over the user's
scoped calls: the dashboard's figures link `?show=due_today|done_today|
overdue` and `?mall=<id>`; a campaign or a staff member narrows it too. An
invalid value filters nothing and shows its error
(`mallservice.filters.DeskFilterSet`)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.filters import DeskFilterSet, FilterForm, MallFilter
from mallservice.models import User
from mallservice.selectors import staff_list
from members import selectors
from members.models import CallTask, Campaign


class CallTaskFilter(DeskFilterSet):
    # The page's pills set `show`; the form only carries it along.
    SHOWS = [
        ("due_today", _("Due today")),
        ("done_today", _("Done today")),
        ("overdue", _("Overdue")),
    ]

    show = filters.ChoiceFilter(
        choices=SHOWS, widget=forms.HiddenInput, method="filter_show", label=_("Follow-up calls")
    )
    mall = MallFilter()
    campaign = filters.ModelChoiceFilter(queryset=Campaign.objects.none(), label=_("Campaign"))
    assignee = filters.ModelChoiceFilter(queryset=User.objects.none(), label=_("Staff"))

    class Meta:
        model = CallTask
        fields: list[str] = []
        form = FilterForm

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        user: Any,
        now: datetime.datetime | None = None,
    ) -> None:
        queryset = selectors.call_task_list(user=user).order_by("due_at", "pk")
        super().__init__(data, queryset=queryset, user=user)
        self.now = now or timezone.now()
        self.filters["campaign"].queryset = selectors.campaign_list(user=user)
        self.filters["assignee"].queryset = staff_list(user=user)

    def filter_show(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(selectors.call_filter_q(value, self.now))
