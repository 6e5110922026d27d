"""A figure in a mall's column links to that mall's rows, and lists keep
their filters from page to page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from mailroom.tests.factories import make_parcel
from mallservice.dashboard import build_panels

pytestmark = pytest.mark.django_db


def test_every_filtered_figure_of_a_mall_column_names_the_mall(manager_user, other_mall):
    panels = build_panels(user=manager_user, malls=[other_mall], now=timezone.now())
    urls = [f.url for panel in panels for f in panel.figures if urlsplit(f.url).query]
    assert urls  # the panels link somewhere
    for url in urls:
        assert parse_qs(urlsplit(url).query).get("mall") == [str(other_mall.pk)], url


def test_a_list_narrowed_to_one_mall_shows_only_its_rows(
    client, manager_user, desk_user, mall, other_mall
):
    own = make_parcel(actor=desk_user, mall=mall)
    foreign = make_parcel(actor=manager_user, mall=other_mall)
    client.force_login(manager_user)
    page = client.get(reverse("mailroom:parcel_list"), {"mall": other_mall.pk}).content.decode()
    assert foreign.tracking_number in page and own.tracking_number not in page
    both = client.get(reverse("mailroom:parcel_list")).content.decode()
    assert foreign.tracking_number in both and own.tracking_number in both


def test_a_mall_the_user_may_not_see_narrows_nothing_and_shows_nothing_of_it(
    client, desk_user, mall, other_mall, manager_user
):
    foreign = make_parcel(actor=manager_user, mall=other_mall)
    client.force_login(desk_user)
    page = client.get(reverse("mailroom:parcel_list"), {"mall": other_mall.pk}).content.decode()
    assert foreign.tracking_number not in page


def test_pagination_keeps_the_lists_filters():
    request = RequestFactory().get("/mailroom/", {"status": "waiting", "mall": "3", "page": "2"})
    rendered = Template("{% load mallservice_tags %}{% page_query 3 %}").render(
        Context({"request": request})
    )
    assert parse_qs(rendered.replace("&amp;", "&")) == {
        "status": ["waiting"],
        "mall": ["3"],
        "page": ["3"],
    }
