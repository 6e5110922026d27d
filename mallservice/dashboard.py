"""The supervisor's review dashboard, assembled from the apps.

Each app contributes in `<app>/dashboard.py`:

    def panels(*, user, malls, now) -> list[Panel]

built from aggregate queries only (the page's query count must not grow with
the data), every figure linking to the filtered list behind it. Trend charts
are `Chart`s on a panel, drawn by the vendored Chart.js.

The page shows a one-screen summary first — every panel's key figures, at
most SUMMARY_FIGURES each, those asking for attention always among them —
and the panels in full below it (`summary_tiles`, `panel_details`). A line
chart of more series than MAX_LINES is drawn as small multiples, one small
chart per series on a shared scale (`chart_specs`): eight crossing lines
cannot be read apart."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from mallservice.cache_shapes import shape
from mallservice.hooks import app_hook_modules
from mallservice.models import Mall


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | float | str
    url: str = ""
    # "ok", "warning" or "danger": how the figure is coloured.
    level: str = "ok"


@dataclass(frozen=True)
class Chart:
    title: str
    kind: str  # "line" or "bar"
    labels: list[str]
    datasets: list[dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.kind,
            "data": {"labels": self.labels, "datasets": self.datasets},
            "title": self.title,
        }


@dataclass
class Panel:
    title: str
    order: int = 100
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, value) details


def list_url(view_name: str, malls: list[Mall], **filters: Any) -> str:
    """The list behind a figure, filtered as the figure counts; when the
    figure is one mall's (a mall's column), the list is that mall's too."""
    if len(malls) == 1:
        filters = {"mall": malls[0].pk, **filters}
    query = urlencode(filters)
    return f"{reverse(view_name)}?{query}" if query else reverse(view_name)


# Thirty days of trend move by the hour, not by the minute: a trend chart is
# built at most once in this many seconds per user, mall column and language,
# while the figures beside it are counted afresh at every refresh — except
# those whose rule is itself counted in days (`cached_slow_figure`).
TREND_CACHE_SECONDS = 5 * 60


def cached_trend(
    name: str, *, user: Any, malls: list[Mall], now: datetime.datetime, build: Callable[[], Chart]
) -> Chart:
    """The chart `build` makes, from the cache when built lately."""
    return _cached(f"trend:{shape(Chart)}:{name}", user=user, malls=malls, now=now, build=build)


def cached_slow_figure(
    name: str, *, user: Any, malls: list[Mall], now: datetime.datetime, build: Callable[[], int]
) -> int:
    """A count whose rule is measured in days ("registered more than three
    days ago and still without a card"), from the cache when counted in the
    last TREND_CACHE_SECONDS: minutes of lag change nothing about what it
    says, and such a count can cost more than the rest of its panel."""
    return _cached(f"figure:{name}", user=user, malls=malls, now=now, build=build)


def _cached(
    name: str, *, user: Any, malls: list[Mall], now: datetime.datetime, build: Callable[[], Any]
) -> Any:
    """What `build` returns, kept TREND_CACHE_SECONDS per name, user, mall
    column, local day and language."""
    key = ":".join(
        [
            "dashboard",
            name,
            str(user.pk),
            ",".join(str(mall.pk) for mall in malls),
            f"{timezone.localdate(now)}",
            get_language() or "",
        ]
    )
    entry = cache.get(key)
    if entry is None or not 0 <= (now - entry[0]).total_seconds() < TREND_CACHE_SECONDS:
        entry = (now, build())
        cache.set(key, entry, TREND_CACHE_SECONDS)
    return entry[1]


def build_panels(*, user: Any, malls: list[Mall], now: datetime.datetime) -> list[Panel]:
    panels: list[Panel] = []
    for module in app_hook_modules("dashboard"):
        panels.extend(module.panels(user=user, malls=malls, now=now))
    return sorted(panels, key=lambda panel: panel.order)


# The one-screen summary (issue 25: the dashboard was 5,528 px tall): a
# panel's first figures, those asking for attention always among them.
SUMMARY_FIGURES = 6
# More lines than this on one chart are split into small multiples.
MAX_LINES = 3
LEVEL_RANK = {"ok": 0, "warning": 1, "danger": 2}


@dataclass(frozen=True)
class SummaryTile:
    title: str
    anchor: str  # the panel's place in the details below
    figures: list[Figure]
    more: int  # figures only in the details
    level: str  # the most urgent of the panel's figures


@dataclass(frozen=True)
class PanelDetail:
    panel: Panel
    anchor: str
    charts: list[dict[str, Any]]  # as drawn, see chart_specs


def _anchor(prefix: str, index: int) -> str:
    return f"panel-{prefix}-{index}"


def key_figures(figures: list[Figure], limit: int = SUMMARY_FIGURES) -> list[Figure]:
    """At most `limit` figures in the panel's order: the urgent first
    (danger, then warning), the rest by their place in the panel."""
    ranked = sorted(range(len(figures)), key=lambda i: (-LEVEL_RANK.get(figures[i].level, 0), i))[
        :limit
    ]
    return [figures[i] for i in sorted(ranked)]


def summary_tiles(panels: list[Panel], *, prefix: str = "0") -> list[SummaryTile]:
    """One tile per panel that has figures, in the panels' order."""
    tiles = []
    for index, panel in enumerate(panels):
        if not panel.figures:
            continue
        shown = key_figures(panel.figures)
        tiles.append(
            SummaryTile(
                title=panel.title,
                anchor=_anchor(prefix, index),
                figures=shown,
                more=len(panel.figures) - len(shown),
                level=max(
                    (f.level for f in panel.figures), key=lambda level: LEVEL_RANK.get(level, 0)
                ),
            )
        )
    return tiles


def chart_specs(chart: Chart) -> list[dict[str, Any]]:
    """What dashboard.js draws for `chart`: the chart itself, or — a line
    chart of more than MAX_LINES series — one small chart per series, the
    busiest first, all on the same scale so their heights compare."""
    spec = chart.as_json()
    datasets = chart.datasets
    if chart.kind != "line" or len(datasets) <= MAX_LINES:
        return [{**spec, "small": False}]
    peak = max((v for d in datasets for v in d.get("data", []) if v is not None), default=0)
    busiest = sorted(datasets, key=lambda d: -sum(v or 0 for v in d.get("data", [])))
    return [
        {
            "type": chart.kind,
            "data": {"labels": chart.labels, "datasets": [dataset]},
            "title": str(dataset.get("label", "")),
            "group": chart.title,
            "small": True,
            "max": peak,
        }
        for dataset in busiest
    ]


def panel_details(panels: list[Panel], *, prefix: str = "0") -> list[PanelDetail]:
    return [
        PanelDetail(
            panel=panel,
            anchor=_anchor(prefix, index),
            charts=[spec for chart in panel.charts for spec in chart_specs(chart)],
        )
        for index, panel in enumerate(panels)
    ]
