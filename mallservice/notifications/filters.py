"""The outbox pages' filters: mall and channel, over the page's scoped
selector (`DeskFilterSet`)."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from mallservice.filters import DeskFilterSet, FilterForm, MallFilter
from mallservice.notifications.models import Message


class MessageFilter(DeskFilterSet):
    mall = MallFilter()
    channel = filters.ChoiceFilter(
        choices=Message.Channel.choices, empty_label=_("any channel"), label=_("channel")
    )

    class Meta:
        model = Message
        fields: list[str] = []
        form = FilterForm
