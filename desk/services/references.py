"""Reference numbers per mall, series and year (SJ-2026-00042)."""

from __future__ import annotations

from django.db.models import F

from desk.models import ReferenceCounter
from mallservice.models import Mall

PREFIXES = {
    ReferenceCounter.Series.INCIDENT: "SJ",  # 事件
    ReferenceCounter.Series.RELEASE_PASS: "FX",  # 放行
    ReferenceCounter.Series.RETURN_CASE: "TH",  # 退换
    ReferenceCounter.Series.FOOTAGE_REVIEW: "JK",  # 监控
    ReferenceCounter.Series.INVOICE: "FP",  # 发票
    ReferenceCounter.Series.PARKING: "TC",  # 停车
    ReferenceCounter.Series.GROUP_PURCHASE: "TG",  # 团购
}


def reference_next(*, mall: Mall, series: str, year: int) -> str:
    """The next reference of `series` in `mall` for `year`. Call it inside
    the transaction that saves the record: the counter row is created if
    missing (ON CONFLICT DO NOTHING), then locked, so concurrent desks
    queue on it and each gets its own number (a rolled-back save gives its
    number back)."""
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(mall=mall, series=series, year=year, last_number=0)],
        ignore_conflicts=True,
    )
    counter = ReferenceCounter.objects.select_for_update().get(mall=mall, series=series, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"{PREFIXES[series]}-{year}-{counter.last_number:05d}"
