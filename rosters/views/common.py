"""What every rosters page shares: the page's mall, dates from the query
string, and the way back to a list after a button on one of its rows."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.generic import TemplateView

from mallservice.views import DeskView, MallScopedMixin, ServiceActionView


# Days a page may be asked about: a year like 0001 or 9999 would overflow
# the previous/next-day links.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)


def parse_day(value: Any, default: datetime.date) -> datetime.date:
    """A `YYYY-MM-DD` parameter, or `default` when it is missing, wrong or
    outside the years a roster can concern."""
    try:
        day = parse_date(value or "")
    except ValueError:
        return default
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else default


def parse_month(value: Any) -> datetime.date:
    """The first day of a `YYYY-MM` parameter's month, else of this month."""
    return parse_day(f"{value}-01" if value else "", timezone.localdate().replace(day=1))


def mall_url(name: str, mall: Any, **params: Any) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"mall": getattr(mall, "pk", mall), **params}.items())
    return f"{reverse(name)}?{query}"


class RosterPage(MallScopedMixin, DeskView, TemplateView):
    """A rosters page about one mall (`self.mall`)."""

    def mall_url(self, name: str, **params: Any) -> str:
        return mall_url(name, self.mall, **params)


class RecordActionView(ServiceActionView):
    """A button on one row of a rosters list: back to that list, at the
    record's mall."""

    list_url_name = ""

    def get_success_url(self) -> str:
        return mall_url(self.list_url_name, self.object.mall_id)
