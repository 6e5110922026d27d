"""Another mall's members (issue 16 item 6, issue 23 §3): membership is per
mall, so registering or importing a number gives the same answer whether or
not it is a member of another mall, and nothing the desk sees names a
member of another mall."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from members.models import Member, MemberImport
from members.services import member_find_duplicate, member_import_upload, member_register
from members.tests.factories import MemberFactory

NUMBER = "13912340000"
BIRTHDAY = datetime.date(1990, 5, 1)


@pytest.fixture
def elsewhere(other_mall):
    """A member of the other mall with NUMBER, named 李雷, born BIRTHDAY."""
    clerk = make_staff(role=Role.DESK, mall=other_mall, username="desk-elsewhere")
    return MemberFactory(
        mall=other_mall, registered_by=clerk, phone=NUMBER, name="李雷", birthday=BIRTHDAY
    )


def test_registering_a_number_of_another_malls_member_simply_works(mall, desk_user, elsewhere):
    member = member_register(actor=desk_user, mall=mall, phone=NUMBER, name="韩梅梅")

    assert member.mall == mall and member.phone == NUMBER
    assert Member.objects.filter(phone=NUMBER).count() == 2


def test_the_same_number_twice_in_one_mall_is_still_refused(mall, desk_user, elsewhere):
    member_register(actor=desk_user, mall=mall, phone=NUMBER, name="韩梅梅")

    with pytest.raises(ValidationError) as refused:
        member_register(actor=desk_user, mall=mall, phone=NUMBER, name="韩梅梅")
    assert refused.value.error_dict["phone"][0].code == "duplicate_phone"
    # and the database itself holds the rule
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(mall=mall, registered_by=desk_user, phone=NUMBER)


def test_the_register_page_answers_alike_whether_or_not_the_number_is_elsewhere(
    client, mall, desk_user, elsewhere
):
    client.force_login(desk_user)
    response = client.post(
        reverse("members:register"), {"phone": NUMBER, "name": "韩梅梅", "source": "desk"}
    )
    assert response.status_code == 302
    assert "already registered" not in response.content.decode()
    assert "已登记" not in response.content.decode()
    assert Member.objects.filter(mall=mall, phone=NUMBER).exists()


def test_an_import_row_with_another_malls_number_is_valid(
    mall, desk_user, elsewhere, django_capture_on_commit_callbacks
):
    content = f"姓名,手机\n韩梅梅,{NUMBER}\n".encode()

    with django_capture_on_commit_callbacks(execute=True):
        record = member_import_upload(
            actor=desk_user, mall=mall, filename="register.csv", content=content
        )
    record = MemberImport.objects.get(pk=record.pk)

    assert record.status == MemberImport.Status.CHECKED
    assert record.valid_rows == 1 and record.errors == []


def test_a_namesake_of_another_mall_is_no_possible_duplicate(mall, desk_user, elsewhere):
    assert member_find_duplicate(mall=mall, name="李雷", birthday=BIRTHDAY) is None

    member = member_register(
        actor=desk_user, mall=mall, phone="13912340001", name="李雷", birthday=BIRTHDAY
    )
    assert member.possible_duplicate_of is None
    # a namesake in the same mall still is one
    again = member_register(
        actor=desk_user, mall=mall, phone="13912340002", name="李雷", birthday=BIRTHDAY
    )
    assert again.possible_duplicate_of == member


def test_search_by_number_finds_only_the_users_mall(client, mall, desk_user, elsewhere):
    from members.selectors import member_search

    assert not member_search(user=desk_user, query=NUMBER).exists()
    own = member_register(actor=desk_user, mall=mall, phone=NUMBER, name="韩梅梅")
    assert list(member_search(user=desk_user, query=NUMBER)) == [own]


def test_a_manager_merging_by_number_gets_the_member_of_the_same_mall(
    client, mall, manager_user, desk_user, elsewhere
):
    survivor = member_register(actor=desk_user, mall=mall, phone="13912340003", name="韩梅梅")
    duplicate = member_register(actor=desk_user, mall=mall, phone=NUMBER, name="韩梅梅")
    client.force_login(manager_user)

    client.post(reverse("members:merge", args=[survivor.pk]), {"other_phone": NUMBER})

    duplicate.refresh_from_db()
    elsewhere.refresh_from_db()
    assert duplicate.status == Member.Status.MERGED
    assert elsewhere.status == Member.Status.ACTIVE
