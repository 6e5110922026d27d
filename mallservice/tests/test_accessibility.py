"""Accessibility of the kernel's pages (issue 25): the navigation's text
contrast meets WCAG AA (4.5:1; Bootstrap's navbar-dark on bg-primary
measured 2.36:1), every page starts with a skip link to its main content,
and every form control of a kernel page has a label. axe is not vendored:
the contrast is computed from the CSS colours, the rest from the HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

AA_NORMAL_TEXT = 4.5
NAVBAR_TEXT_COLOURS = (
    "--bs-navbar-color",
    "--bs-navbar-hover-color",
    "--bs-navbar-active-color",
    "--bs-navbar-brand-color",
)


def relative_luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(foreground), relative_luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def _css_rule(selector: str) -> dict[str, str]:
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    match = re.search(re.escape(selector) + r"\s*\{(.*?)\}", css, re.DOTALL)
    assert match, f"{selector} not in app.css"
    return {
        name.strip(): value.strip()
        for name, value in (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    }


def test_the_contrast_ratio_is_computed_as_wcag_defines_it():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    # Bootstrap's navbar-dark link colour, rgba(255,255,255,.55) over #0d6efd
    assert contrast_ratio("#92befe", "#0d6efd") == pytest.approx(2.36, abs=0.01)


def test_navigation_text_has_at_least_aa_contrast():
    rule = _css_rule(".app-navbar")
    background = rule["background-color"]
    for name in NAVBAR_TEXT_COLOURS:
        assert contrast_ratio(rule[name], background) >= AA_NORMAL_TEXT, name
    base = (Path(settings.BASE_DIR) / "templates" / "base.html").read_text()
    navbar = re.search(r"<nav [^>]*>", base).group(0)
    assert "app-navbar" in navbar and "bg-primary" not in navbar


class _PageScan(HTMLParser):
    """The first link of the body, the ids, and the form controls with
    whether something labels them."""

    CONTROLS = {"input", "select", "textarea"}
    UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}

    def __init__(self):
        super().__init__()
        self.first_link: str | None = None
        self.in_body = False
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.label_depth = 0
        self.controls: list[tuple[str, dict[str, str | None], bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "body":
            self.in_body = True
        elif tag == "a" and self.in_body and self.first_link is None:
            self.first_link = attributes.get("href")
        elif tag == "label":
            self.label_depth += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in self.CONTROLS and attributes.get("type") not in self.UNLABELLED_TYPES:
            self.controls.append((tag, attributes, self.label_depth > 0))

    def handle_endtag(self, tag):
        if tag == "label":
            self.label_depth -= 1

    def unlabelled(self) -> list[dict]:
        return [
            attributes
            for _tag, attributes, inside_label in self.controls
            if not inside_label
            and not attributes.get("aria-label")
            and not attributes.get("aria-labelledby")
            and attributes.get("id") not in self.label_for
        ]


def _scan(response) -> _PageScan:
    scan = _PageScan()
    scan.feed(response.content.decode())
    return scan


KERNEL_PAGES = [
    ("home", lambda world: reverse("home")),
    ("profile", lambda world: reverse("profile")),
    ("password", lambda world: reverse("password_change")),
    ("search", lambda world: reverse("search") + "?q=zzzz"),
    ("staff", lambda world: reverse("staff_list")),
    ("staff name", lambda world: reverse("staff_rename", args=[world["desk"].pk])),
    ("dashboard", lambda world: reverse("dashboard")),
    ("daily reports", lambda world: reverse("daily_reports")),
    ("calendar", lambda world: reverse("calendar")),
    ("calendar year", lambda world: reverse("calendar_year")),
    ("calendar hours", lambda world: reverse("calendar_hours")),
    ("not found", lambda world: "/no-such-page/"),
]


@pytest.mark.parametrize("name, url", KERNEL_PAGES, ids=[name for name, _url in KERNEL_PAGES])
def test_every_kernel_page_starts_with_a_skip_link_and_labels_its_controls(
    client, manager_user, desk_user, name, url
):
    client.force_login(manager_user)

    response = client.get(url({"desk": desk_user}))

    assert response.status_code == (404 if name == "not found" else 200)
    scan = _scan(response)
    assert scan.first_link == "#main-content"
    assert "main-content" in scan.ids
    assert scan.unlabelled() == [], name


def test_the_login_page_starts_with_a_skip_link_and_labels_its_controls(client):
    scan = _scan(client.get(reverse("login")))
    assert scan.first_link == "#main-content" and "main-content" in scan.ids
    assert scan.unlabelled() == []
    assert {"id_username", "id_password"} <= scan.label_for


def test_the_scan_finds_an_unlabelled_control():
    scan = _PageScan()
    scan.feed(
        '<body><a href="#x">x</a><input name="q"><label>名称 <input name="n"></label>'
        '<label for="p">P</label><input id="p"><input type="hidden" name="h"></body>'
    )
    assert [c["name"] for c in scan.unlabelled()] == ["q"]
