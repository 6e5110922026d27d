"""The mailroom lists' filters (django-filter), each over the user's scoped
list: the parcels (the dashboard links `?status=waiting`,
`?overdue=reminded|escalated`, `?mall=<id>`), the found items (`?view=`,
the home page and dashboard link `?view=nearing`) and the lending desk's
items out (`?show=overdue`). An invalid value filters nothing and shows
its error (`mallservice.filters.DeskFilterSet`)."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mailroom import selectors
from mailroom.models import FoundItem, Loan, Parcel
from mallservice.filters import DeskFilterSet, FilterForm, MallFilter


def _with_default(data: QueryDict | None, name: str, value: str) -> QueryDict:
    """`data` with `name` set to `value` when the link does not give it: a
    list opened from the menu shows its usual rows, not all of them."""
    data = data.copy() if data is not None else QueryDict(mutable=True)
    if not data.get(name):
        data[name] = value
    return data


class ParcelFilter(DeskFilterSet):
    q = filters.CharFilter(
        label=_("Find parcels"),
        max_length=60,
        method="filter_text",
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Pick-up code, tracking number or recipient"),
                "data-search-box": True,
                "autofocus": True,
            }
        ),
    )
    mall = MallFilter()
    status = filters.ChoiceFilter(
        choices=[*Parcel.Status.choices, ("all", _("all"))],
        empty_label=None,
        method="filter_status",
        label=_("Status"),
    )
    overdue = filters.ChoiceFilter(
        # The stages of `selectors.parcel_overdue_q`.
        choices=[("reminded", _("reminded")), ("escalated", _("escalated"))],
        empty_label=pgettext_lazy("overdue parcels", "any"),
        method="filter_overdue",
        label=_("overdue"),
    )

    class Meta:
        model = Parcel
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: QueryDict | None = None, *, user: Any) -> None:
        # The slim rows of the parcel search: the list shows the recipient only.
        queryset = selectors.parcel_search(user=user, waiting_only=False).order_by("-received_at")
        super().__init__(
            _with_default(data, "status", Parcel.Status.WAITING), queryset=queryset, user=user
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.parcel_text_match(queryset, value)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset if value == "all" else queryset.filter(status=value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(selectors.parcel_overdue_q(value))


class FoundItemFilter(DeskFilterSet):
    # The page's tabs (`VIEWS`) set `view`; the form only carries it along.
    VIEWS = [
        ("open", _("Held")),
        ("nearing", _("Nearing the retention limit")),
        ("expired", _("Retention over")),
        ("broadcast", _("Broadcast requested")),
        ("closed", _("Closed")),
    ]

    q = filters.CharFilter(
        label=_("Item number or description"),
        max_length=60,
        method="filter_text",
        widget=forms.TextInput(attrs={"type": "search", "data-search-box": True}),
    )
    mall = MallFilter()
    view = filters.ChoiceFilter(
        choices=VIEWS,
        widget=forms.HiddenInput,
        method="filter_view",
        label=pgettext_lazy("found items", "list"),
    )

    class Meta:
        model = FoundItem
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: QueryDict | None = None, *, user: Any) -> None:
        super().__init__(
            _with_default(data, "view", "open"),
            queryset=selectors.found_item_list(user=user),
            user=user,
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(description__icontains=text) | Q(number=text.upper()))

    def filter_view(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        held, expired = FoundItem.Status.HELD, FoundItem.Status.EXPIRED
        if value == "nearing":
            return queryset.filter(selectors.found_nearing_limit_q()).order_by("retention_until")
        if value == "expired":
            return queryset.filter(status=expired)
        if value == "closed":
            return queryset.exclude(status__in=[held, expired])
        if value == "broadcast":
            return queryset.filter(broadcast_requested=True, status=held)
        return queryset.filter(status=held)


class LoanFilter(DeskFilterSet):
    """The items out at the lending desk; its mall narrows the page's other
    tables too (`mall_filter`)."""

    mall = MallFilter()
    # The page's "only overdue" link sets `show`; the form carries it along.
    show = filters.ChoiceFilter(
        choices=[("overdue", _("overdue"))],
        widget=forms.HiddenInput,
        method="filter_show",
        label=_("Only overdue"),
    )

    class Meta:
        model = Loan
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: QueryDict | None = None, *, user: Any, now: datetime.datetime) -> None:
        super().__init__(data, queryset=selectors.loans_open(user=user), user=user)
        self.now = now

    def filter_show(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(due_at__lt=self.now)

    def mall_filter(self, queryset: QuerySet) -> QuerySet:
        """`queryset` narrowed to the chosen mall, as the items out are."""
        mall = self.form.cleaned_data.get("mall") if self.is_valid() else None
        return queryset.filter(mall=mall) if mall else queryset
