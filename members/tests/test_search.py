"""Members in the counter's one search box (issue 8)."""

from __future__ import annotations

from django.urls import reverse

from members.services.cards import card_issue
from members.tests.factories import MemberFactory


def test_a_card_number_jumps_to_its_member(client, desk_user, member, stock):
    card = card_issue(actor=desk_user, member=member, number="8800000007")
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": card.number})
    assert response.status_code == 302
    assert response.url == reverse("members:detail", args=[member.pk])


def test_a_full_phone_jumps_to_its_member(client, desk_user, member):
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": "138 1234 5678"})
    assert response.status_code == 302
    assert response.url == reverse("members:detail", args=[member.pk])


def test_the_last_four_digits_list_the_members_with_phones_masked(client, desk_user, mall, member):
    MemberFactory(mall=mall, registered_by=desk_user, name="李四", phone="13999995678")
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": "5678"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "王小明" in body and "李四" in body
    assert "138****5678" in body and "13812345678" not in body


def test_a_chinese_name_lists_the_members_it_matches(client, desk_user, mall, member):
    MemberFactory(mall=mall, registered_by=desk_user, name="王小红", phone="13700001111")
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": "王小"})
    assert response.status_code == 200
    titles = {hit.title for hits in response.context["grouped"].values() for hit in hits}
    assert {"王小明", "王小红"} <= titles


def test_desk_staff_get_no_members_of_another_mall(client, desk_user, other_mall, mall, member):
    other = MemberFactory(
        mall=other_mall, registered_by=desk_user, name="王小红", phone="13700005678"
    )
    client.force_login(desk_user)
    for query in ("13700005678", "王小红", "5678"):
        response = client.get(reverse("search"), {"q": query})
        # "5678" is also the tail of this mall's member: the box jumps there
        if response.status_code == 302:
            assert response.url == reverse("members:detail", args=[member.pk])
            continue
        titles = {hit.title for hits in response.context["grouped"].values() for hit in hits}
        assert "王小红" not in titles
    assert other.pk != member.pk


def test_staff_without_the_members_permission_get_no_members(client, broadcaster_user, member):
    client.force_login(broadcaster_user)
    response = client.get(reverse("search"), {"q": "13812345678"})
    assert response.status_code == 200
    assert "王小明" not in response.content.decode()
