"""Complaints in the counter search box: reference, full phone, last four
digits; masked phone in the results; only the user's malls."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.search import search
from complaints.tests.factories import at, make_complaint
from mallservice.roles import Role
from mallservice.tests.factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_malls(desk_user, mall, other_mall):
    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="desk-other")
    own = make_complaint(
        actor=desk_user, mall=mall, complainant_phone="13812345678", now=at(27, 10)
    )
    own_2 = make_complaint(
        actor=desk_user, mall=mall, complainant_phone="13900005678", now=at(27, 11)
    )
    other = make_complaint(
        actor=other_desk, mall=other_mall, complainant_phone="13812345678", now=at(27, 10)
    )
    return own, own_2, other


def test_a_reference_jumps_straight_to_the_complaint(client, desk_user, two_malls):
    own, _own_2, _other = two_malls
    client.force_login(desk_user)
    # when the desk types the reference, in lower case as a scanner might send
    response = client.get(reverse("search"), {"q": own.reference.lower()})
    # then the complaint opens
    assert response.status_code == 302
    assert response.url == reverse("complaints:detail", args=[own.pk])


def test_last_four_digits_list_every_match_with_the_phone_masked(client, desk_user, two_malls):
    own, own_2, _other = two_malls
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": "5678"})
    body = response.content.decode()
    assert response.status_code == 200
    assert own.reference in body and own_2.reference in body
    assert "138****5678" in body and "13812345678" not in body


def test_a_full_phone_finds_the_complaints_of_that_customer_only(desk_user, two_malls):
    own, _own_2, _other = two_malls
    hits = search(desk_user, "138 1234 5678")
    assert [h.title.split(" · ")[0] for h in hits] == [own.reference]
    assert hits[0].detail.count("138****5678") == 1


def test_another_malls_complaints_are_not_found(desk_user, two_malls):
    _own, _own_2, other = two_malls
    other_url = reverse("complaints:detail", args=[other.pk])
    # the other mall shares the reference format and the phone number
    for query in (other.reference, "13812345678", "5678"):
        assert other_url not in {hit.url for hit in search(desk_user, query)}


def test_a_manager_of_every_mall_finds_both(manager_user, two_malls):
    assert len(search(manager_user, "13812345678")) == 2


def test_a_broadcaster_without_the_complaints_permission_finds_nothing(broadcaster_user, two_malls):
    assert search(broadcaster_user, "5678") == []


def test_short_or_odd_queries_find_nothing_and_never_fail(desk_user, two_malls):
    for query in ("56", "abc", "TS-", "%%%", "1" * 40):
        assert search(desk_user, query) == []
