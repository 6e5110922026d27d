"""A found item's "lost item found" broadcast goes through the broadcasts
app: queued with the item, linked to it, cancelled when the item leaves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from broadcasts.models import Announcement, AnnouncementAiring, AnnouncementKind
from broadcasts.services import announcement_air
from mailroom import services
from mailroom.models import FoundItem
from mailroom.services import lost_found
from mailroom.tests.factories import SIGNATURE_PNG, make_found_item
from mallservice.audit import Source, actor_context

pytestmark = pytest.mark.django_db


def _release(item, actor):
    claim = services.claim_log(
        actor=actor,
        item=item,
        claimant_name="失主",
        claimant_phone="13800138000",
        id_last4="1234",
        proof_description="钱包里有两张银行卡",
    )
    services.claim_verify(actor=actor, claim=claim, approved=True, note="银行卡姓名相符")
    return services.claim_release(actor=actor, claim=claim, signature_png=SIGNATURE_PNG)


def test_ticking_broadcast_at_intake_queues_the_announcement(desk_user, mall, shop):
    # given a wallet found in a shop by a named finder with a phone
    # when the desk logs it and ticks "request a lost-item broadcast"
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        item = make_found_item(
            actor=desk_user,
            mall=mall,
            found_unit=shop,
            finder_name="保洁 张阿姨",
            finder_phone="13912345678",
            description="黑色男士钱包，内有银行卡两张",
            broadcast_requested=True,
        )
    # then a queued lost-item announcement with its repeats is linked to it
    announcement = item.announcement
    assert announcement.kind == AnnouncementKind.LOST_ITEM
    assert announcement.state == Announcement.State.QUEUED
    assert announcement.mall == mall and announcement.requested_by == desk_user
    assert announcement.airings.count() == 3
    # read out in Chinese: the kind of item, where, and the desk to come to
    assert "钱包" in announcement.script and shop.name in announcement.script
    assert "客服台" in announcement.script
    # never the finder's name or phone, nor the description a claimant must give
    for secret in ("张阿姨", "13912345678", "银行卡"):
        assert secret not in announcement.script
        assert secret not in str(announcement.fields)
    # and both rows are attributed to the desk
    assert Events.objects.tracks(announcement).first().pgh_context["user"] == desk_user.pk
    assert Events.objects.tracks(item).last().pgh_context["user"] == desk_user.pk


def test_no_broadcast_without_the_tick(desk_user, mall):
    item = make_found_item(actor=desk_user, mall=mall)
    assert item.announcement is None and not item.broadcast_requested
    assert not Announcement.objects.exists()


def test_a_refused_announcement_leaves_no_found_item(desk_user, mall, monkeypatch):
    # given the broadcast service refusing the request
    def refuse(**kwargs):
        raise ValidationError("no", code="not_allowed")

    monkeypatch.setattr(lost_found, "announcement_request", refuse)
    # when the desk logs an item asking for a broadcast
    with pytest.raises(ValidationError):
        make_found_item(actor=desk_user, mall=mall, broadcast_requested=True)
    # then nothing was saved: one transaction
    assert not FoundItem.objects.exists()


def test_broadcast_requested_later_from_the_item_page(client, desk_user, mall):
    # given an item logged without a broadcast
    item = make_found_item(actor=desk_user, mall=mall)
    client.force_login(desk_user)
    # when the desk asks for it on the item page
    url = reverse("mailroom:found_broadcast", args=[item.pk])
    response = client.post(url)
    # then the announcement is queued and linked
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.broadcast_requested and item.announcement.state == Announcement.State.QUEUED
    page = client.get(reverse("mailroom:found_detail", args=[item.pk])).content.decode()
    assert item.announcement.get_state_display() in page
    # and asking again while it is on air is refused, not a second announcement
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Announcement.objects.count() == 1


def test_item_of_another_mall_cannot_be_announced_from_here(client, desk_user, other_mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="desk-elsewhere")
    item = make_found_item(actor=other_desk, mall=other_mall)
    client.force_login(desk_user)
    response = client.post(reverse("mailroom:found_broadcast", args=[item.pk]))
    assert response.status_code == 404
    assert not Announcement.objects.exists()


def test_release_to_the_owner_cancels_the_remaining_repeats(desk_user, broadcaster_user, mall):
    # given an announced item whose first repeat has been aired
    item = make_found_item(actor=desk_user, mall=mall, broadcast_requested=True)
    announcement_air(actor=broadcaster_user, announcement=item.announcement)
    # when the owner takes the item
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        _release(item, desk_user)
    # then the announcement is cancelled, by the desk, and only the aired repeat stays
    announcement = Announcement.objects.get(pk=item.announcement_id)
    assert announcement.state == Announcement.State.CANCELLED
    assert announcement.cancelled_by == desk_user
    assert item.number in announcement.cancel_reason
    states = list(announcement.airings.order_by("sequence").values_list("state", flat=True))
    assert states == ["aired", "dropped", "dropped"]
    event = Events.objects.tracks(announcement).order_by("-pgh_id").first()
    assert event.pgh_context["user"] == desk_user.pk


def test_release_after_all_repeats_aired_leaves_the_announcement_done(
    desk_user, broadcaster_user, mall
):
    item = make_found_item(actor=desk_user, mall=mall, broadcast_requested=True)
    for _ in range(3):
        announcement_air(actor=broadcaster_user, announcement=item.announcement, now=timezone.now())
    _release(item, desk_user)
    announcement = Announcement.objects.get(pk=item.announcement_id)
    assert announcement.state == Announcement.State.DONE
    assert not AnnouncementAiring.objects.filter(state="dropped").exists()
