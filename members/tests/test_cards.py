from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import translation

from mallservice.audit import Source, actor_context
from members.models import Card, CardEvent, Member
from members.services.cards import (
    card_batch_receive,
    card_confirm_entered,
    card_freeze,
    card_issue,
    card_reissue,
    card_report_lost,
)
from members.services.points import points_adjust
from members.tests.factories import MemberFactory


def test_card_goes_from_stock_to_issued_to_entered_and_names_the_actor(member, stock, desk_user):
    # given a registered member and a batch of blank cards
    # when the desk issues the next card and later confirms it is entered
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        card = card_issue(actor=desk_user, member=member)
        assert card.number == "8800000001" and card.status == Card.Status.ISSUED
        card = card_confirm_entered(actor=desk_user, card=card)
    # then the card is active and each step is in its history with the actor
    assert card.status == Card.Status.ACTIVE
    events = CardEvent.objects.filter(pgh_obj=card).order_by("pgh_id")
    assert [e.status for e in events][-2:] == ["issued", "active"]
    assert events.last().pgh_context["user"] == desk_user.pk


def test_scanned_card_number_is_issued_and_a_used_one_is_refused(member, stock, desk_user, mall):
    card = card_issue(actor=desk_user, member=member, number=" 8800000007 ")
    assert card.number == "8800000007"
    other = MemberFactory(mall=mall, registered_by=desk_user)
    with pytest.raises(ValidationError) as exc:
        card_issue(actor=desk_user, member=other, number="8800000007")
    assert exc.value.error_dict["number"][0].code == "card_not_in_stock"


def test_a_member_holds_one_current_card(member, stock, desk_user):
    card_issue(actor=desk_user, member=member)
    with pytest.raises(ValidationError) as exc:
        card_issue(actor=desk_user, member=member)
    assert exc.value.code == "already_has_card"


def test_lost_card_is_frozen_then_reissued_with_tier_and_balance_and_never_reused(
    member, stock, desk_user, supervisor_user, mall, tiers
):
    # given an active card and a balance
    card = card_confirm_entered(actor=desk_user, card=card_issue(actor=desk_user, member=member))
    points_adjust(actor=supervisor_user, member=member, points=300, reason="开卡礼")
    # when it is reported lost, frozen and reissued
    card_report_lost(actor=desk_user, card=card)
    card_freeze(actor=desk_user, card=card)
    new = card_reissue(actor=desk_user, card=card)
    # then the old card is replaced, the new one carries tier and points over
    card.refresh_from_db()
    assert card.status == Card.Status.REPLACED
    assert new.replaces == card and new.number != card.number
    member = Member.objects.get(pk=member.pk)
    assert member.tier == tiers["gold"] and member.points_balance == 300
    # and the old number can never be issued again
    other = MemberFactory(mall=mall, registered_by=desk_user)
    with pytest.raises(ValidationError):
        card_issue(actor=desk_user, member=other, number=card.number)


def test_reissue_needs_a_frozen_card(member, stock, desk_user):
    card = card_confirm_entered(actor=desk_user, card=card_issue(actor=desk_user, member=member))
    with pytest.raises(ValidationError) as exc:
        card_reissue(actor=desk_user, card=card)
    assert exc.value.code == "invalid_transition"


def test_card_numbers_are_unique_across_batches(mall, desk_user, stock):
    with pytest.raises(ValidationError):
        card_batch_receive(actor=desk_user, mall=mall, code="B2", first_number=8800000010, count=5)


@pytest.mark.django_db(transaction=True)
def test_two_desks_issuing_at_the_same_moment_never_get_the_same_number(mall, desk_user):
    # given eight members and a stock of blank cards
    card_batch_receive(actor=desk_user, mall=mall, code="B", first_number=1000, count=20)
    members = [MemberFactory(mall=mall, registered_by=desk_user) for _ in range(8)]
    barrier = threading.Barrier(len(members))
    issued, errors = [], []

    def issue(m):
        try:
            barrier.wait()
            issued.append(card_issue(actor=desk_user, member=m).number)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    # when eight desks issue "the next card" at once
    threads = [threading.Thread(target=issue, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then every member got a card and no number was given twice
    assert errors == []
    assert len(issued) == 8 and len(set(issued)) == 8
    assert Card.objects.filter(status=Card.Status.ISSUED).count() == 8


@pytest.mark.django_db(transaction=True)
def test_two_desks_scanning_the_same_card_number_at_once_issue_it_once(mall, desk_user):
    card_batch_receive(actor=desk_user, mall=mall, code="B", first_number=5000, count=2)
    members = [MemberFactory(mall=mall, registered_by=desk_user) for _ in range(4)]
    barrier = threading.Barrier(len(members))
    issued, refused = [], []

    def issue(m):
        try:
            barrier.wait()
            issued.append(card_issue(actor=desk_user, member=m, number="0000005000").member_id)
        except ValidationError:
            refused.append(m.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(m,)) for m in members]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(issued) == 1 and len(refused) == 3
    assert Card.objects.get(number="0000005000").member_id == issued[0]


def test_after_a_lost_report_issuing_says_freeze_then_reissue(client, member, stock, desk_user):
    # given a card reported lost (挂失)
    card = card_confirm_entered(actor=desk_user, card=card_issue(actor=desk_user, member=member))
    card_report_lost(actor=desk_user, card=card)
    # when the desk tries to issue a new card
    with pytest.raises(ValidationError) as exc:
        card_issue(actor=desk_user, member=member)
    # then it is told the next step of the path, not to report it lost again
    assert exc.value.code == "already_has_card"
    with translation.override("zh-hans"):
        message = exc.value.messages[0]
    assert "请先冻结，再补卡" in message and "如需换卡请先挂失" not in message
    # and the member page shows the hint instead of the issue form
    client.force_login(desk_user)
    page = client.get(
        reverse("members:detail", args=[member.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert 'data-testid="card-hint"' in page and 'data-testid="card-issue"' not in page
    assert "该会员已有会员卡；如需换卡请先挂失" not in page


def test_reissue_takes_the_new_card_scanned_at_the_counter(client, member, stock, desk_user):
    # given a frozen card
    card = card_confirm_entered(actor=desk_user, card=card_issue(actor=desk_user, member=member))
    card_freeze(actor=desk_user, card=card)
    client.force_login(desk_user)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    assert 'data-testid="card-reissue-number"' in page
    # when the desk scans the card it hands over into 补卡
    response = client.post(
        reverse("members:card_reissue", args=[card.pk]), {"number": "8800000015"}
    )
    # then that card is the member's new card
    assert response.status_code == 302
    assert response.url == reverse("members:detail", args=[member.pk])
    new = Card.objects.get(member=member, status=Card.Status.ISSUED)
    assert new.number == "8800000015" and new.replaces_id == card.pk


def test_a_refused_card_action_changes_nothing_and_says_why(client, member, stock, desk_user):
    # given an active card
    card = card_confirm_entered(actor=desk_user, card=card_issue(actor=desk_user, member=member))
    client.force_login(desk_user)
    # when 补卡 is posted for it (only a frozen card is reissued)
    response = client.post(reverse("members:card_reissue", args=[card.pk]), follow=True)
    # then the member page says so and the card is unchanged
    assert response.redirect_chain[-1][0] == reverse("members:detail", args=[member.pk])
    assert list(response.context["messages"])[0].level_tag == "error"
    card.refresh_from_db()
    assert card.status == Card.Status.ACTIVE


def test_irreversible_card_and_gift_actions_ask_first(client, member, stock, desk_user):
    from members.tests.factories import GiftFactory

    GiftFactory(mall=member.mall)
    card = card_confirm_entered(actor=desk_user, card=card_issue(actor=desk_user, member=member))
    client.force_login(desk_user)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    for url in (
        reverse("members:card_lost", args=[card.pk]),
        reverse("members:card_freeze", args=[card.pk]),
        reverse("members:redeem", args=[member.pk]),
    ):
        form = page[page.rindex("<form", 0, page.index(f'action="{url}"')) :].split(">", 1)[0]
        assert "data-confirm=" in form, url
    card_freeze(actor=desk_user, card=card)
    page = client.get(reverse("members:detail", args=[member.pk])).content.decode()
    url = reverse("members:card_reissue", args=[card.pk])
    form = page[page.rindex("<form", 0, page.index(f'action="{url}"')) :].split(">", 1)[0]
    assert "data-confirm=" in form
