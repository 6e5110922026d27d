"""Walk-in services (前台其他服务): the desk's one-click tally."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from desk.models import WalkInCategory, WalkInService


def walkin_record(
    *,
    actor: Any,
    category: WalkInCategory,
    token: str,
    now: datetime.datetime | None = None,
) -> None:
    """Count one service of `category` at its mall: a single INSERT. A
    second click carrying the same button token is ignored (the unique
    token, ON CONFLICT DO NOTHING), so a double click counts once."""
    WalkInService.objects.bulk_create(
        [
            WalkInService(
                mall_id=category.mall_id,
                category=category,
                at=now or timezone.now(),
                by=actor,
                token=token,
            )
        ],
        ignore_conflicts=True,
    )


DEFAULT_CATEGORIES = [
    # (code, name, icon): Chinese names, as the staff say them; the admin edits them.
    ("enquiry", "问询", "question-circle"),
    ("directions", "指路", "signpost-split"),
    ("gift_wrap", "礼品包装", "gift"),
    ("phone_charge", "手机充电", "battery-charging"),
    ("umbrella", "雨伞借还", "umbrella"),
    ("wheelchair", "轮椅借还", "person-wheelchair"),
    ("stroller", "婴儿车借还", "cart"),
    ("first_aid", "急救药品", "bandaid"),
]


def walkin_categories_ensure(*, mall: Any) -> None:
    """The default categories of a new mall (existing codes kept)."""
    WalkInCategory.objects.bulk_create(
        [
            WalkInCategory(mall=mall, code=code, name=name, icon=icon, order=index * 10)
            for index, (code, name, icon) in enumerate(DEFAULT_CATEGORIES)
        ],
        ignore_conflicts=True,
    )
