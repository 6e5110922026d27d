from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mallservice.audit import Source, actor_context
from mallservice.models import SensitiveAccess
from members.models import Card, Member, MemberEvent, PointsEntry
from members.selectors import member_search
from members.services.cards import card_issue
from members.services.members import member_merge, member_register
from members.services.points import points_adjust
from members.tests.factories import MemberFactory


def test_register_normalises_the_mobile_and_records_consent(mall, desk_user, tiers):
    # when the desk registers a member typing a full-width number with +86
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        member = member_register(
            actor=desk_user,
            mall=mall,
            phone="+86 １３８-1234-5678",
            name="李娜",
            consent_callback=True,
        )
    # then the number is stored as 11 digits, the lowest tier applies, the
    # consent carries date and staff, and the history names the actor
    assert member.phone == "13812345678" and member.tier == tiers["normal"]
    assert member.consent_callback_by == desk_user and member.consent_callback_at
    event = MemberEvent.objects.get(pgh_obj=member, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk


def test_same_phone_is_refused_and_same_name_and_birthday_is_flagged(mall, desk_user, member):
    with pytest.raises(ValidationError) as exc:
        member_register(actor=desk_user, mall=mall, phone="138 1234 5678", name="别人")
    assert exc.value.error_dict["phone"][0].code == "duplicate_phone"
    with pytest.raises(ValidationError) as exc:
        member_register(actor=desk_user, mall=mall, phone="12345", name="别人")
    assert exc.value.error_dict["phone"][0].code == "invalid_mobile"
    member.birthday = datetime.date(1990, 5, 1)
    member.save()
    twin = member_register(
        actor=desk_user,
        mall=mall,
        phone="13900000001",
        name="王小明",
        birthday=datetime.date(1990, 5, 1),
    )
    assert twin.possible_duplicate_of == member


def test_search_by_card_phone_last_four_and_chinese_name(
    member, mall, other_mall, desk_user, stock
):
    card = card_issue(actor=desk_user, member=member)
    MemberFactory(mall=other_mall, registered_by=desk_user, name="王小明", phone="13712345678")
    assert list(member_search(user=desk_user, query=card.number)) == [member]
    assert list(member_search(user=desk_user, query="13812345678")) == [member]
    # the other mall's member with the same last four and name is not visible
    assert list(member_search(user=desk_user, query="5678")) == [member]
    assert list(member_search(user=desk_user, query="王小")) == [member]
    assert list(member_search(user=desk_user, query="王小明")) == [member]
    assert list(member_search(user=desk_user, query="小明")) == []  # two: a prefix
    assert list(member_search(user=desk_user, query="王")) == []


def _namesakes(mall, desk_user, given: str, count: int, **fields) -> None:
    """`count` members whose names start with `given`, phones 1390000000n."""
    for i in range(count):
        MemberFactory(
            mall=mall,
            registered_by=desk_user,
            name=given + "甲乙丙丁戊己庚辛壬癸子丑寅卯辰"[i],
            phone=f"1390000{i:04d}",
            **fields,
        )


def test_search_page_masks_phones_and_uses_few_queries(
    client, mall, desk_user, django_assert_max_num_queries
):
    _namesakes(mall, desk_user, "张晓", 15)
    client.force_login(desk_user)
    # one character is not a search; two are
    response = client.get(reverse("members:search"), {"q": "张"})
    assert 'data-testid="member-results"' not in response.content.decode()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("members:search"), {"q": "张晓"})
    body = response.content.decode()
    assert body.count("/members/") >= 15
    assert "139****0001" in body and "13900000001" not in body


def test_scanned_card_number_jumps_to_the_member(client, member, desk_user, stock):
    card = card_issue(actor=desk_user, member=member)
    client.force_login(desk_user)
    response = client.get(reverse("members:search"), {"q": card.number})
    assert response.status_code == 302
    assert response.url == reverse("members:detail", args=[member.pk])


HTMX = {"HX-Request": "true"}


def test_the_search_form_gets_the_results_alone(
    client, mall, other_mall, desk_user, tiers, django_assert_max_num_queries
):
    # given three members whose names start 李娜 (one gold), and one in another mall
    _namesakes(mall, desk_user, "李娜", 2, tier=None)
    MemberFactory(mall=other_mall, registered_by=desk_user, name="李娜丁", phone="13600000000")
    MemberFactory(
        mall=mall, registered_by=desk_user, name="李娜", phone="13700000000", tier=tiers["gold"]
    )
    client.force_login(desk_user)
    client.get(reverse("members:search"))  # the user's access, cached from here on
    # when the search form asks through HTMX: the user and the search
    with django_assert_max_num_queries(2):
        response = client.get(reverse("members:search"), {"q": "李娜"}, headers=HTMX)
    # then the answer is the results, not the page around them
    body = response.content.decode()
    assert 'data-testid="member-results"' in body and "<nav" not in body
    for member in Member.objects.filter(name__startswith="李娜"):
        link = f'href="{reverse("members:detail", args=[member.pk])}"'
        assert (link in body) == (member.mall == mall)
    assert "139****0001" in body and "13900000001" not in body
    assert "金卡" in body and "—" in body  # the gold member; the others have no tier


def test_a_card_scanned_into_the_form_sends_the_browser_to_the_member(
    client, member, desk_user, stock
):
    card = card_issue(actor=desk_user, member=member)
    client.force_login(desk_user)
    response = client.get(reverse("members:search"), {"q": card.number}, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("members:detail", args=[member.pk])


def test_back_to_a_forgotten_search_gets_the_whole_page(client, member, mall, desk_user):
    # htmx asks for the whole page when its history cache no longer has it
    MemberFactory(mall=mall, registered_by=desk_user, name="赵敏", phone="13912345678")
    client.force_login(desk_user)
    response = client.get(
        reverse("members:search"),
        {"q": "5678"},
        headers={**HTMX, "HX-History-Restore-Request": "true"},
    )
    body = response.content.decode()
    assert "<nav" in body and 'data-testid="member-results"' in body


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_an_over_long_search_says_so_below_the_box(client, member, desk_user, headers):
    client.force_login(desk_user)
    response = client.get(
        reverse("members:search"),
        {"q": "1" * 41},
        headers={**headers, "Accept-Language": "zh-hans"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="member-search-error"' in body and "40" in body
    assert 'data-testid="member-results"' not in body


def test_revealing_the_full_number_is_logged(client, member, desk_user):
    client.force_login(desk_user)
    detail = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert "138****5678" in detail and "13812345678" not in detail
    response = client.post(reverse("members:reveal", args=[member.pk]))
    assert "13812345678" in response.content.decode()
    log = SensitiveAccess.objects.get()
    assert log.actor == desk_user and log.kind == "reveal" and log.object_id == str(member.pk)


def test_register_form_shows_service_errors_next_to_the_field(client, member, desk_user):
    client.force_login(desk_user)
    response = client.post(
        reverse("members:register"),
        {"phone": "13812345678", "name": "某人", "source": "desk"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()


def test_merge_moves_cards_points_and_marks_the_duplicate(
    mall, desk_user, supervisor_user, member, stock
):
    duplicate = MemberFactory(mall=mall, registered_by=desk_user, name="王小明")
    card_issue(actor=desk_user, member=duplicate)
    points_adjust(actor=supervisor_user, member=duplicate, points=120, reason="补录")
    points_adjust(actor=supervisor_user, member=member, points=30, reason="补录")
    with pytest.raises(ValidationError):
        member_merge(actor=desk_user, survivor=member, absorbed=duplicate)
    merge = member_merge(actor=supervisor_user, survivor=member, absorbed=duplicate)
    member.refresh_from_db()
    duplicate.refresh_from_db()
    assert member.points_balance == 150 and duplicate.points_balance == 0
    assert duplicate.status == Member.Status.MERGED and duplicate.merged_into == member
    assert Card.objects.filter(member=member).count() == 1
    assert merge.points_moved == 120 and merge.cards_moved == 1
    # nothing lost: the duplicate's ledger lines are all still there
    assert PointsEntry.objects.filter(member=duplicate).count() == 2


def test_manual_tier_change_needs_a_supervisor_and_keeps_the_reason(
    member, desk_user, supervisor_user, tiers
):
    from members.services.members import member_set_tier

    with pytest.raises(ValidationError) as exc:
        member_set_tier(actor=desk_user, member=member, tier=tiers["diamond"], reason="老客户")
    assert exc.value.code == "needs_supervisor"
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        member_set_tier(
            actor=supervisor_user, member=member, tier=tiers["diamond"], reason="老客户"
        )
    event = MemberEvent.objects.filter(pgh_obj=member, pgh_label="update").latest("pgh_id")
    assert event.tier_id == tiers["diamond"].pk
    assert event.pgh_context["reason"] == "老客户"
    assert event.pgh_context["user"] == supervisor_user.pk


def test_supervision_page_uses_few_queries(
    client, mall, desk_user, supervisor_user, tiers, django_assert_max_num_queries
):
    from members.services.campaigns import campaign_plan
    from members.tests.conftest import NOON
    from members.tests.factories import CampaignFactory

    campaign = CampaignFactory(mall=mall)
    for _ in range(10):
        MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])
    campaign_plan(campaign=campaign, now=NOON)
    client.force_login(supervisor_user)
    # a fixed number of queries whatever the number of calls (no N+1)
    with django_assert_max_num_queries(17):
        response = client.get(reverse("members:supervision"))
    assert response.status_code == 200
    assert campaign.name in response.content.decode()


def test_a_birthday_in_the_future_is_refused_next_to_the_field(client, mall, desk_user, tiers):
    client.force_login(desk_user)
    # when the desk types a birthday in 2030
    response = client.post(
        reverse("members:register"),
        {"phone": "13955556666", "name": "钱七", "source": "desk", "birthday": "2030-05-01"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    # then the form comes back with the error on the birthday, nothing saved
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["birthday"]] == [
        "birthday_in_future"
    ]
    assert not Member.objects.filter(phone="13955556666").exists()


@pytest.mark.parametrize(
    "typed", ["５６７８", "１３８１２３４５６７８", "１３８ １２３４ ５６７８"]
)
def test_full_width_digits_typed_with_an_ime_find_the_member(client, member, desk_user, typed):
    client.force_login(desk_user)
    response = client.get(reverse("members:search"), {"q": typed})
    if response.status_code == 302:
        assert response.url == reverse("members:detail", args=[member.pk])
    else:
        assert "王小明" in response.content.decode()
    # a full number typed full-width is a logged full-number search like any other
    if len(typed.replace(" ", "")) == 11:
        assert SensitiveAccess.objects.filter(actor=desk_user, field="phone_search").exists()


def test_the_chinese_member_page_shows_names_not_codes(
    client, mall, desk_user, supervisor_user, member, tiers
):
    # given a member whose duplicate with points was merged into them
    duplicate = MemberFactory(
        mall=mall, registered_by=desk_user, name="王小明", phone="13700000001"
    )
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        points_adjust(actor=supervisor_user, member=duplicate, points=50, reason="开卡礼")
        member_merge(actor=supervisor_user, survivor=member, absorbed=duplicate)
    client.force_login(desk_user)
    page = client.get(
        reverse("members:detail", args=[member.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    # then the tier is its name and the merge lines carry no English code
    assert "金卡" in page and ">gold<" not in page
    assert "merge →" not in page and "merge ←" not in page
