"""Pages of the desk's long lists (complaints, the phone log, fault reports,
parcels, found items) without counting them.

Django's Paginator runs COUNT(*) over the whole filtered list on every page
view to know the number of pages; over a mall's half a million complaints
that count costs more than the page itself, and the pagination widget
(`components/_pagination.html`) only shows previous / this page / next. So a
page here is fetched with one row more than it shows (that row says whether
a next page exists), and never counted.

Deep pages stay cheap too: the page's ids are picked first by a query that
the list's index answers on its own (`ORDER BY … OFFSET … LIMIT`), and only
those rows are joined to their related rows — not the thousands skipped.
One query (the ids a subquery of it) whatever the page size or depth."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet


class Page(Sequence):
    """The part of Django's `Page` the templates use, without a total."""

    def __init__(self, object_list: list[Any], number: int, *, more: bool) -> None:
        self.object_list = object_list
        self.number = number
        self._more = more

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(raw: str | None) -> int:
    """A page number from the query string; anything else is page 1."""
    try:
        return max(1, int(raw or 1))
    except (TypeError, ValueError):
        return 1


# PostgreSQL's OFFSET and LIMIT are bigints: a page number that puts them
# past this is past the end of any list, answered without a query.
_MAX_ROW = 2**63 - 1


def page_of(queryset: QuerySet, raw_number: str | None, per_page: int) -> Page:
    """Page `raw_number` of the ordered `queryset`, `per_page` rows a page.
    A number past the end gives an empty page that links back."""
    number = page_number(raw_number)
    offset = (number - 1) * per_page
    if offset + per_page + 1 > _MAX_ROW:
        return Page([], number, more=False)
    ids = queryset.values("pk")[offset : offset + per_page + 1]
    rows = list(queryset.filter(pk__in=ids))
    return Page(rows[:per_page], number, more=len(rows) > per_page)
