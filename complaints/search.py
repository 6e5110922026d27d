"""Complaints in the counter search box: a reference number (an exact match
jumps to the complaint), the complainant's full phone number or its last
four digits (shown masked). Scoped through `complaint_list`, so only the
user's malls answer.

A fault report (报修) would answer here too once a fault model exists; none
does on this branch."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models.functions import Right
from django.urls import reverse
from django.utils.translation import gettext as _

from complaints.permissions import VIEW_COMPLAINT
from complaints.selectors import complaint_list
from mallservice.masking import mask_phone
from mallservice.search import MAX_HITS_PER_KIND, SearchHit
from mallservice.validators import normalise_mobile

# TS-20261127-003; the prefix is per mall (DeskSettings.reference_prefix).
_REFERENCE = re.compile(r"^[A-Za-z]{1,8}-?\d{8}-?\d{1,5}$")


def search(user: Any, query: str) -> list[SearchHit]:
    if not user.has_perm(VIEW_COMPLAINT):
        return []
    qs = complaint_list(user=user)
    exact_reference = False
    if _REFERENCE.match(query):
        qs = qs.filter(reference__iexact=query)
        exact_reference = True
    elif query.isdigit() and len(query) == 4:
        # The expression of the index on the last four digits.
        qs = qs.annotate(last4=Right("complainant_phone", 4)).filter(last4=query)
    else:
        try:
            phone = normalise_mobile(query)
        except ValidationError:
            # Part of a reference typed at the counter ("20261127-003").
            if len(query) < 6:
                return []
            qs = qs.filter(reference__icontains=query)
        else:
            qs = qs.filter(complainant_phone=phone)
    kind = _("Complaints")
    return [
        SearchHit(
            kind=kind,
            title=f"{c.reference} · {c.complainant_name}",
            url=reverse("complaints:detail", args=[c.pk]),
            detail=" · ".join(
                part
                for part in (str(c.mall), mask_phone(c.complainant_phone), c.status.name)
                if part
            ),
            exact=exact_reference,
        )
        for c in qs.order_by("-received_at", "-pk")[:MAX_HITS_PER_KIND]
    ]
