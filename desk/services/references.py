"""Reference numbers per mall, series and year (SJ-2026-00042)."""

from __future__ import annotations

from desk.models import ReferenceCounter
from mallservice.counters import counter_next
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
    the transaction that saves the record: concurrent desks queue on the
    counter row and each gets its own number (a rolled-back save gives its
    number back; `mallservice.counters`)."""
    number = counter_next(ReferenceCounter, mall=mall, series=series, year=year)
    return f"{PREFIXES[series]}-{year}-{number:05d}"
