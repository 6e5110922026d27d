"""The dashboard in Chromium (issue 25: it was 5,528 px tall with an
unreadable 8-line chart): every panel's key figures on the first screen of
a 1366x768 desk PC, the details below, many-series charts as small
multiples; on a 390 px phone nothing runs off the side."""

from __future__ import annotations

import pytest

from complaints.models import Category
from complaints.tests.factories import make_complaint
from mallservice.tests.factories import FloorFactory, UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_mall(mall, desk_user):
    """A complaint of every category (eight series) on three floors."""
    floors = [FloorFactory(mall=mall, code=f"{n}F", name=f"{n}层", level=n) for n in (1, 2, 3)]
    shops = [UnitFactory(mall=mall, floor=floor) for floor in floors]
    make_complaint(actor=desk_user, mall=mall, unit=shops[0])  # creates the categories
    for n, category in enumerate(Category.objects.filter(mall=mall)):
        make_complaint(actor=desk_user, mall=mall, unit=shops[n % 3], category=category)
    return mall


def _open_dashboard(page, live_server):
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("[data-testid=summary-tile]")
    page.wait_for_function("document.querySelectorAll('canvas[data-drawn]').length > 0")


def test_the_summary_fits_a_desk_screen_and_charts_are_small_multiples(
    login, page, live_server, supervisor_user, busy_mall
):
    # given a supervisor at a 1366x768 desk PC
    login(supervisor_user)

    _open_dashboard(page, live_server)

    # then every panel with figures has its tile, all above the fold
    tiles = page.locator("[data-testid=summary-tile]")
    panels_with_figures = page.locator(
        "[data-testid=dashboard-panel]:has([data-testid=figure])"
    ).count()
    assert tiles.count() == panels_with_figures >= 10
    bottoms = [tiles.nth(i).bounding_box() for i in range(tiles.count())]
    assert max(box["y"] + box["height"] for box in bottoms) <= 768
    assert page.get_by_text("未结投诉").first.is_visible()
    # the eight categories are eight small charts, not eight crossing lines
    multiples = page.locator("[data-testid=chart-multiples]").first
    assert multiples.locator("canvas[data-drawn]").count() >= 8
    # a summary figure links to its list, like the figure in the details
    first = page.locator("[data-testid=summary-figure]", has_text="未结投诉").first
    assert first.get_attribute("href").startswith("/complaints/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_the_dashboard_fits_a_phone(login, page, live_server, supervisor_user, busy_mall):
    page.set_viewport_size({"width": 390, "height": 844})
    login(supervisor_user)

    _open_dashboard(page, live_server)

    # nothing runs off the side; the summary comes first, two tiles abreast
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    tiles = page.locator("[data-testid=summary-tile]")
    first, second = tiles.nth(0).bounding_box(), tiles.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] + second["width"] <= 390
    panel = page.locator("[data-testid=dashboard-panel]").first.bounding_box()
    last_tile = tiles.nth(tiles.count() - 1).bounding_box()
    assert last_tile["y"] < panel["y"]
    for canvas in page.locator("canvas[data-drawn]").all():
        box = canvas.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
