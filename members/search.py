"""Members in the counter's search box: a card number or a full mobile
number names one member (jump straight there); the last four digits or a
Chinese name list the candidates, phones masked. The members app's own
counter-search selector decides what matches."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from mallservice.masking import mask_phone
from mallservice.search import MAX_HITS_PER_KIND, SearchHit
from members.permissions import VIEW_MEMBER
from members.selectors import member_search_rows


def search(user: Any, query: str) -> list[SearchHit]:
    if not user.has_perm(VIEW_MEMBER):
        return []
    # Full-width digits typed with a Chinese input method count as digits.
    text = unicodedata.normalize("NFKC", query).replace(" ", "")
    members = list(member_search_rows(user=user, query=text)[:MAX_HITS_PER_KIND])
    # Four digits are the tail of many phones and a name is never unique;
    # anything else the selector matched is a full phone or a card number.
    is_key = text.isdigit() and len(text) != 4
    return [
        SearchHit(
            kind=_("Members"),
            title=member["name"],
            url=reverse("members:detail", args=[member["pk"]]),
            detail=" · ".join(
                part for part in (mask_phone(member["phone"]), member["tier_name"] or "") if part
            ),
            exact=is_key and len(members) == 1,
        )
        for member in members
    ]
