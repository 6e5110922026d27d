from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from mallservice.dashboard import TREND_CACHE_SECONDS, Chart, cached_slow_figure, cached_trend
from mallservice.roles import Role
from mallservice.testing import OWN, PermissionCase, check_permission_case


def _dashboard(world, side):
    return reverse("dashboard")


@pytest.mark.parametrize(
    "case",
    [
        PermissionCase(Role.DESK, _dashboard, OWN, 403),
        PermissionCase(Role.BROADCASTER, _dashboard, OWN, 403),
        PermissionCase(Role.SUPERVISOR, _dashboard, OWN, 200),
        PermissionCase(Role.MANAGER, _dashboard, OWN, 200),
    ],
    ids=str,
)
def test_dashboard_is_for_supervisors_and_managers(client, permission_world, case):
    check_permission_case(client, permission_world, case)


def test_a_supervisor_cannot_switch_to_another_mall(client, supervisor_user, other_mall):
    client.force_login(supervisor_user)
    response = client.get(reverse("dashboard"), {"mall": other_mall.pk})
    assert [c["malls"] for c in response.context["columns"]] == [[supervisor_user.mall]]


def test_a_manager_sees_all_malls_side_by_side(client, manager_user, mall, other_mall):
    client.force_login(manager_user)
    response = client.get(reverse("dashboard"), {"mall": "all"})
    columns = [c["malls"] for c in response.context["columns"]]
    assert sorted(columns, key=lambda c: c[0].pk) == [[mall], [other_mall]]


def test_the_htmx_refresh_returns_only_the_panels(client, supervisor_user):
    client.force_login(supervisor_user)
    response = client.get(reverse("dashboard"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "每分钟刷新" in body


def _chart(n: int) -> Chart:
    return Chart(title=f"build {n}", kind="line", labels=[], datasets=[])


@pytest.mark.parametrize(
    "cached, made",
    [(cached_trend, _chart), (cached_slow_figure, lambda n: n)],
    ids=["trend chart", "slow figure"],
)
def test_a_cached_panel_part_is_rebuilt_only_after_its_cache_time(
    cached, made, supervisor_user, manager_user, mall, other_mall
):
    built: list[str] = []

    def build():
        built.append("x")
        return made(len(built))

    start = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)

    def part(user, malls, at):
        return cached("t", user=user, malls=malls, now=at, build=build)

    # a refresh within the cache time reuses what was built
    assert part(supervisor_user, [mall], start) == made(1)
    assert part(supervisor_user, [mall], start + datetime.timedelta(seconds=60)) == made(1)
    # another mall column and another user each get their own
    assert part(supervisor_user, [other_mall], start) == made(2)
    assert part(manager_user, [mall], start) == made(3)
    # after the cache time it is built again
    later = start + datetime.timedelta(seconds=TREND_CACHE_SECONDS + 1)
    assert part(supervisor_user, [mall], later) == made(4)


def test_a_chart_and_a_figure_of_the_same_name_are_kept_apart(supervisor_user, mall):
    at = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)
    chart = cached_trend("x", user=supervisor_user, malls=[mall], now=at, build=lambda: _chart(1))
    figure = cached_slow_figure("x", user=supervisor_user, malls=[mall], now=at, build=lambda: 7)
    assert chart == _chart(1) and figure == 7


def _figure(n: int, level: str = "ok"):
    from mallservice.dashboard import Figure

    return Figure(label=f"f{n}", value=n, level=level)


def test_the_summary_keeps_a_panels_urgent_figures_within_its_first_few():
    from mallservice.dashboard import SUMMARY_FIGURES, Panel, summary_tiles

    # given a panel of ten figures, the ninth overdue, and a panel of none
    figures = [_figure(n, "danger" if n == 8 else "ok") for n in range(10)]
    panels = [Panel("breakdown"), Panel("complaints", figures=figures)]

    tiles = summary_tiles(panels)

    # then one tile for the panel with figures, linking to its details
    (tile,) = tiles
    assert tile.title == "complaints" and tile.anchor == "panel-0-1"
    assert len(tile.figures) == SUMMARY_FIGURES and tile.more == 10 - SUMMARY_FIGURES
    # the overdue figure is among them, the panel's order kept
    assert [f.value for f in tile.figures] == [0, 1, 2, 3, 4, 8]
    assert tile.level == "danger"


def test_a_line_chart_of_many_series_becomes_small_multiples_on_one_scale():
    from mallservice.dashboard import MAX_LINES, chart_specs

    series = [{"label": f"c{n}", "data": [n, 0, 2 * n]} for n in range(8)]
    chart = Chart(title="per category", kind="line", labels=["a", "b", "c"], datasets=series)

    specs = chart_specs(chart)

    assert len(specs) == 8 and all(spec["small"] for spec in specs)
    assert [spec["title"] for spec in specs][:2] == ["c7", "c6"]  # the busiest first
    assert {spec["max"] for spec in specs} == {14}  # one scale for all
    assert {spec["group"] for spec in specs} == {"per category"}
    few = Chart(title="t", kind="line", labels=["a"], datasets=series[:MAX_LINES])
    assert [spec["small"] for spec in chart_specs(few)] == [False]


def test_the_page_shows_the_summary_before_the_details(client, supervisor_user):
    client.force_login(supervisor_user)

    body = client.get(reverse("dashboard")).content.decode()

    summary = body.index('data-testid="dashboard-summary"')
    assert summary < body.index('data-testid="dashboard-panel"')
    assert body.count('data-testid="summary-tile"') >= 8
