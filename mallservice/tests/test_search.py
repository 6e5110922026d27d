from __future__ import annotations

from django.urls import reverse

from mallservice.search import normalise_query
from mallservice.tests.factories import FloorFactory, UnitFactory


def test_scanner_and_ime_input_is_normalised():
    assert normalise_query(" １３８００１３８０００\n") == "13800138000"


def test_search_lists_matches_grouped_and_scoped_to_the_users_mall(
    client, desk_user, mall, other_mall
):
    floor = FloorFactory(mall=mall, code="2F")
    UnitFactory(floor=floor, mall=mall, name="喜茶", code="2F-201")
    UnitFactory(floor=floor, mall=mall, name="喜茶（二店）", code="2F-202")
    UnitFactory(floor=FloorFactory(mall=other_mall), mall=other_mall, name="喜茶（别家）")
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": "喜茶"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "喜茶（二店）" in body and "别家" not in body
    assert "商场目录" in body


def test_a_single_exact_hit_jumps_to_the_record(client, manager_user, mall):
    unit = UnitFactory(floor=FloorFactory(mall=mall), mall=mall, name="星巴克", code="1F-101")
    client.force_login(manager_user)
    response = client.get(reverse("search"), {"q": "1F-101"})
    assert response.status_code == 302
    assert response.url == f"/admin/mallservice/unit/{unit.pk}/change/"


def test_nothing_found_says_what_can_be_searched(client, desk_user):
    client.force_login(desk_user)
    body = client.get(reverse("search"), {"q": "zzzz"}).content.decode()
    assert "没有找到" in body
