"""The broadcast lists' filters (django-filter), each over the user's
scoped list. The dashboard's and home page's links keep working:
`?state=open`, `?police=overdue` (missing persons), `?state=pending_approval`
(announcements), `?state=missed&day=today` (routine log), `?live=now`,
`?state=awaiting` (screen messages), each with `?mall=<id>`."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from broadcasts import selectors
from broadcasts.models import Announcement, MissingPersonCase, RoutineAiring, ScreenMessage
from mallservice.clock import local_date
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter

# A screen-message state beside the model's: new messages and edits
# waiting for approval (the supervisor's home page links to it).
AWAITING = "awaiting"


def _state_filter(choices: Any, **kwargs: Any) -> filters.ChoiceFilter:
    return filters.ChoiceFilter(
        choices=choices, empty_label=_("All states"), label=_("state"), **kwargs
    )


class MissingCaseFilter(DeskFilterSet):
    mall = MallFilter()
    state = _state_filter(MissingPersonCase.State.choices)
    police = filters.ChoiceFilter(
        choices=[("overdue", _("Police call overdue"))],
        empty_label=pgettext_lazy("list filter", "any"),
        method="filter_police",
        label=_("police call"),
    )

    class Meta:
        model = MissingPersonCase
        fields: list[str] = []
        form = FilterForm

    def __init__(
        self, data: Any = None, *, user: Any, now: datetime.datetime | None = None
    ) -> None:
        super().__init__(data, queryset=selectors.missing_case_list(user=user), user=user)
        self.now = now or timezone.now()

    def filter_police(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(selectors.police_overdue_q(self.now))


class AnnouncementFilter(DeskFilterSet):
    mall = MallFilter()
    state = _state_filter(Announcement.State.choices)

    class Meta:
        model = Announcement
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=selectors.announcement_list(user=user), user=user)


class RoutineAiringFilter(DeskFilterSet):
    mall = MallFilter()
    state = _state_filter(RoutineAiring.State.choices)
    day = filters.ChoiceFilter(
        choices=[("today", _("today"))],
        empty_label=pgettext_lazy("list filter", "any day"),
        method="filter_day",
        label=_("day"),
    )

    class Meta:
        model = RoutineAiring
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        queryset = selectors.routine_airing_list(user=user).order_by("-due_at")
        super().__init__(data, queryset=queryset, user=user)

    def filter_day(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(day=local_date())


class ScreenMessageFilter(DeskFilterSet):
    mall = MallFilter()
    state = _state_filter(
        [(AWAITING, _("waiting for approval (new or edited)")), *ScreenMessage.State.choices],
        method="filter_state",
    )
    # A checkbox: the dashboard's `?live=now` reads as ticked.
    live = filters.BooleanFilter(
        widget=forms.CheckboxInput, method="filter_live", label=_("On screen now")
    )

    class Meta:
        model = ScreenMessage
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=selectors.screen_message_list(user=user), user=user)

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == AWAITING:
            return queryset.filter(selectors.awaiting_approval_q())
        return queryset.filter(state=value)

    def filter_live(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=selectors.live_message_ids(user=self.user))
