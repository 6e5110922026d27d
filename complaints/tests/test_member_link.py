"""A complaint linked to a member: found by card or phone at intake, tier
from the member, shown both ways, kept through a members merge."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pghistory.models import Events

from complaints.models import Complaint
from complaints.services.desk import desk_config_ensure
from complaints.tests.factories import at, make_complaint
from mallservice.audit import Source, actor_context
from members.services import card_batch_receive, card_issue, member_merge
from members.tests.factories import MemberFactory, TierFactory


@pytest.fixture
def gold_member(mall, desk_user):
    TierFactory(mall=mall, code="normal", name="普通", rank=1)  # the base tier
    gold = TierFactory(mall=mall, code="gold", name="金卡", rank=3)
    return MemberFactory(
        mall=mall, registered_by=desk_user, tier=gold, name="王小明", phone="13812345678"
    )


@pytest.fixture
def carded_member(gold_member, mall, desk_user):
    card_batch_receive(actor=desk_user, mall=mall, code="B-1", first_number=8800000001, count=2)
    card_issue(actor=desk_user, member=gold_member, number="8800000001")
    return gold_member


def _intake(client, mall, **fields):
    desk_config_ensure(mall=mall)
    data = {
        "mall": mall.pk,
        "channel": "desk",
        "category": mall.category_set.get(code="parking").pk,
        "severity": "normal",
        "description": "停车费多收",
        **fields,
    }
    return client.post(reverse("complaints:create"), data)


def test_linked_member_gives_the_tier_and_tightens_the_sla(desk_user, mall, shop, gold_member):
    # given an ordinary complaint for comparison
    normal = make_complaint(actor=desk_user, mall=mall, unit=shop)
    # when the desk links a gold member (and types a different tier by mistake)
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        linked = make_complaint(
            actor=desk_user, mall=mall, unit=shop, member=gold_member, member_tier="normal"
        )
    # then the complaint records the member and the member's tier code
    assert linked.member == gold_member
    assert linked.member_tier == "gold"
    assert linked.resolution_due_at < normal.resolution_due_at
    event = Events.objects.tracks(linked).order_by("pgh_id").first()
    assert event.pgh_data["member_id"] == gold_member.pk
    assert event.pgh_context["user"] == desk_user.pk


def test_without_a_member_the_tier_may_still_be_given(desk_user, mall, shop):
    TierFactory(mall=mall, code="gold", name="金卡", rank=3)
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop, member_tier="Gold")
    assert complaint.member is None and complaint.member_tier == "gold"


def test_member_fills_an_empty_name_and_phone(desk_user, mall, shop, gold_member):
    complaint = make_complaint(
        actor=desk_user,
        mall=mall,
        unit=shop,
        member=gold_member,
        complainant_name="",
        complainant_phone="",
    )
    assert complaint.complainant_name == "王小明"
    assert complaint.complainant_phone == "13812345678"


def test_member_of_another_mall_is_refused(desk_user, mall, other_mall, shop):
    stranger = MemberFactory(mall=other_mall, registered_by=desk_user, phone="13900001111")
    with pytest.raises(ValidationError) as exc:
        make_complaint(actor=desk_user, mall=mall, unit=shop, member=stranger)
    assert "member" in exc.value.message_dict
    assert not Complaint.objects.exists()


def test_intake_finds_the_member_by_card_number(client, desk_user, mall, carded_member):
    # given a member holding card 8800000001
    client.force_login(desk_user)
    # when the desk scans the card and leaves the name empty
    response = _intake(client, mall, member_lookup="8800000001")
    # then the complaint is the member's, with their name and tier
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.member == carded_member
    assert complaint.complainant_name == "王小明" and complaint.member_tier == "gold"


def test_intake_finds_the_member_by_full_mobile(client, desk_user, mall, gold_member):
    client.force_login(desk_user)
    response = _intake(client, mall, member_lookup="138-1234-5678", complainant_name="王先生")
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.member == gold_member and complaint.complainant_name == "王先生"


@pytest.mark.parametrize("lookup", ["5678", "王小明", "13800000000"])
def test_intake_refuses_an_ambiguous_or_unknown_lookup(
    client, desk_user, mall, gold_member, lookup
):
    client.force_login(desk_user)
    response = _intake(client, mall, member_lookup=lookup, complainant_name="王先生")
    assert response.status_code == 200
    assert "member_lookup" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_intake_does_not_find_a_member_of_another_mall(client, desk_user, mall, other_mall):
    MemberFactory(mall=other_mall, registered_by=desk_user, phone="13900001111")
    client.force_login(desk_user)
    response = _intake(client, mall, member_lookup="13900001111", complainant_name="王先生")
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_intake_offers_the_malls_tiers_without_a_member(
    client, desk_user, mall, other_mall, gold_member
):
    # given tiers in the desk's mall (normal, gold) and in a mall it cannot see
    TierFactory(mall=other_mall, code="black", name="黑卡", rank=9)
    client.force_login(desk_user)
    # then the intake form offers the desk's mall's tiers only
    form = client.get(reverse("complaints:create")).context["form"]
    assert [code for code, _name in form.fields["member_tier"].choices] == ["", "normal", "gold"]
    # and a chosen tier is recorded; one not offered is refused next to the field
    response = _intake(client, mall, complainant_name="李女士", member_tier="black")
    assert response.status_code == 200 and "member_tier" in response.context["form"].errors
    response = _intake(client, mall, complainant_name="李女士", member_tier="gold")
    assert response.status_code == 302
    assert Complaint.objects.get().member_tier == "gold"


def test_intake_without_name_or_member_asks_for_the_name(client, desk_user, mall):
    client.force_login(desk_user)
    response = _intake(client, mall)
    assert response.status_code == 200
    assert "complainant_name" in response.context["form"].errors


def test_detail_shows_the_member_masked_with_a_link(client, desk_user, mall, shop, gold_member):
    complaint = make_complaint(
        actor=desk_user, mall=mall, unit=shop, member=gold_member, complainant_phone=""
    )
    client.force_login(desk_user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert reverse("members:detail", args=[gold_member.pk]) in page
    assert "138****5678" in page and "13812345678" not in page
    assert "金卡" in page


def test_member_page_lists_their_complaints_in_few_queries(
    client, desk_user, mall, shop, gold_member, django_assert_max_num_queries
):
    # given three complaints of the member and one of somebody else
    mine = [
        make_complaint(actor=desk_user, mall=mall, unit=shop, member=gold_member, now=at(27, h))
        for h in (11, 12, 13)
    ]
    other = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(27, 14))
    client.force_login(desk_user)
    # when the desk opens the member page (a fixed number of queries)
    with django_assert_max_num_queries(22):
        page = client.get(reverse("members:detail", args=[gold_member.pk])).content.decode()
    # then it lists the member's complaints only
    for complaint in mine:
        assert complaint.reference in page
    assert other.reference not in page


def test_merge_moves_the_duplicates_complaints_to_the_survivor(
    desk_user, supervisor_user, mall, shop, gold_member
):
    # given a duplicate member with a complaint
    duplicate = MemberFactory(mall=mall, registered_by=desk_user, name="王小明")
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop, member=duplicate)
    # when a supervisor merges the duplicate into the member
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        merge = member_merge(actor=supervisor_user, survivor=gold_member, absorbed=duplicate)
    # then the complaint now belongs to the survivor, recorded with the actor
    complaint.refresh_from_db()
    assert complaint.member == gold_member
    assert merge.snapshot["complaints_moved"] == 1
    event = Events.objects.tracks(complaint).order_by("-pgh_id").first()
    assert event.pgh_data["member_id"] == gold_member.pk
    assert event.pgh_context["user"] == supervisor_user.pk
