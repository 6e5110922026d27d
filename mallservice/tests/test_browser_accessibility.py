"""Measured in Chromium (issue 25): the navigation's text contrast as
rendered, and the skip link as a keyboard user meets it."""

from __future__ import annotations

import re

import pytest

from mallservice.tests.test_accessibility import AA_NORMAL_TEXT, contrast_ratio

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _hex(css_colour: str) -> str:
    red, green, blue = (int(v) for v in re.findall(r"\d+", css_colour)[:3])
    return f"#{red:02x}{green:02x}{blue:02x}"


def test_navigation_contrast_and_skip_link_in_the_browser(
    login, page, live_server, supervisor_user
):
    login(supervisor_user)
    # the navbar's links, as the browser paints them, against its background
    colours = page.evaluate(
        """() => {
          const nav = document.querySelector("nav.navbar");
          const links = nav.querySelectorAll(".nav-link, .navbar-brand");
          return {
            background: getComputedStyle(nav).backgroundColor,
            text: Array.from(links).map((link) => getComputedStyle(link).color),
          };
        }"""
    )
    assert len(colours["text"]) >= 3
    for colour in colours["text"]:
        assert "rgba" not in colour, colour  # no see-through text
        assert contrast_ratio(_hex(colour), _hex(colours["background"])) >= AA_NORMAL_TEXT
    # the first Tab lands on the skip link, shown; Enter moves to the content
    page.keyboard.press("Tab")
    skip = page.locator("[data-testid=skip-link]")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible() and skip.inner_text() == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
