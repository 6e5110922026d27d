"""One search box for the counter (header of every page, focus with "/").

Each app answers for its own records by defining
`search(user, query) -> list[SearchHit]` in `<app>/search.py`, using its own
scoped selectors; the mall directory answers here. A single hit jumps
straight to the record; otherwise the hits are listed grouped by kind."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mallservice.hooks import app_hook_modules
from mallservice.selectors import unit_list

MAX_HITS_PER_KIND = 10


@dataclass(frozen=True)
class SearchHit:
    kind: str  # translated label of the group, e.g. 会员
    title: str
    url: str
    detail: str = ""
    # An exact key match (card number, reference, tracking number) wins over
    # partial matches when deciding whether to jump straight to a record.
    exact: bool = False


def normalise_query(raw: str) -> str:
    """What scanners and IMEs type: full-width digits and letters, stray
    spaces, a trailing Enter; control characters (a NUL byte cannot even be
    sent to PostgreSQL) are dropped."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C").strip()[:100]


def directory_search(user: Any, query: str) -> list[SearchHit]:
    if len(query) < 2:
        return []
    units = unit_list(user=user).filter(
        Q(name__icontains=query) | Q(code__iexact=query) | Q(tenant_name__icontains=query)
    )[:MAX_HITS_PER_KIND]
    return [
        SearchHit(
            kind=str(_("Mall directory")),
            title=unit.name,
            url=f"/admin/mallservice/unit/{unit.pk}/change/" if user.is_staff else "",
            detail=f"{unit.mall} · {unit.floor.code} · {unit.code}",
            exact=unit.code.lower() == query.lower(),
        )
        for unit in units
    ]


def search_all(user: Any, raw_query: str) -> dict[str, list[SearchHit]]:
    query = normalise_query(raw_query)
    if not query:
        return {}
    hits = directory_search(user, query)
    for module in app_hook_modules("search"):
        hits.extend(module.search(user, query))
    grouped: dict[str, list[SearchHit]] = {}
    for hit in hits:
        grouped.setdefault(hit.kind, []).append(hit)
    return grouped


def jump_target(grouped: dict[str, list[SearchHit]]) -> str | None:
    """The one record to open directly, if the query names exactly one."""
    hits = [hit for group in grouped.values() for hit in group if hit.url]
    exact = [hit for hit in hits if hit.exact]
    if len(exact) == 1:
        return exact[0].url
    if len(hits) == 1:
        return hits[0].url
    return None
