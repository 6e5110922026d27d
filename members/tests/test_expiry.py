"""Points expiry (members/expiry.py): FIFO lots, the nightly ledger lines,
the "expiring soon" figure and the campaign segment."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from mallservice.audit import Source
from mallservice.services import system_actor_id
from members.models import Campaign, Member, MemberEvent, PointsEntry
from members.selectors import points_expiring
from members.services.campaigns import campaign_segment
from members.services.expiry import points_expire_due
from members.services.points import points_earn, points_redeem
from members.tasks import expire_points
from members.tests.factories import CampaignFactory, GiftFactory, MemberFactory


def _at(day: str, hour: int = 14) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


def _earn(member, shop, user, points, at, receipt=None):
    return points_earn(
        actor=user,
        member=member,
        shop=shop,
        receipt_no=receipt or f"R{member.pk}-{at:%Y%m%d%H%M}-{points}",
        amount=Decimal(points),
        now=at,
    )


def _assert_ledger_consistent(member):
    member.refresh_from_db()
    total = PointsEntry.objects.filter(member=member).aggregate(s=Sum("points"))["s"] or 0
    assert member.points_balance == total >= 0
    last = PointsEntry.objects.filter(member=member).order_by("-pk").first()
    assert last is None or last.balance_after == member.points_balance


def test_points_expire_after_24_months_oldest_first(member, shop, desk_user, mall):
    # given 100 points earned on 2024-10-01, 50 on 2025-06-01, and a gift of
    # 70 points redeemed on 2025-08-01 (it used the oldest points first)
    _earn(member, shop, desk_user, 100, _at("2024-10-01"))
    _earn(member, shop, desk_user, 50, _at("2025-06-01"))
    gift = GiftFactory(mall=mall, points_cost=70, stock=5)
    points_redeem(actor=desk_user, member=member, gift=gift, now=_at("2025-08-01"))
    # when the nightly run passes 2026-10-01, the last day of the first 100
    assert points_expire_due(now=_at("2026-10-01", 23)) == {"members": 0, "points": 0}
    result = points_expire_due(now=_at("2026-10-02", 0))
    # then what was left of them (30) expires, as a ledger line by the system
    assert result == {"members": 1, "points": 30}
    line = PointsEntry.objects.get(member=member, kind=PointsEntry.Kind.EXPIRE)
    assert line.points == -30 and line.balance_after == 50
    assert line.actor_id == system_actor_id()
    _assert_ledger_consistent(member)
    # a second run the same night writes nothing
    assert points_expire_due(now=_at("2026-10-02", 1)) == {"members": 0, "points": 0}
    # and the 50 from 2025-06-01 expire after 2027-06-01
    assert points_expire_due(now=_at("2027-06-02", 0))["points"] == 50
    _assert_ledger_consistent(member)
    assert Member.objects.get(pk=member.pk).points_balance == 0


def test_the_balance_change_is_in_the_members_history_with_its_reason(member, shop, desk_user):
    _earn(member, shop, desk_user, 80, _at("2024-01-10"))
    points_expire_due(now=_at("2026-11-27", 1))
    event = MemberEvent.objects.filter(pgh_obj=member, pgh_label="update").latest("pgh_id")
    assert event.points_balance == 0
    assert event.pgh_context["reason"] == "points_expiry"
    assert event.pgh_context["user"] == system_actor_id()


def test_the_beat_task_expires_as_the_system_actor(member, shop, desk_user):
    _earn(member, shop, desk_user, 40, timezone.now() - datetime.timedelta(days=800))
    assert expire_points.apply(kwargs={}).get() == 40
    event = MemberEvent.objects.filter(pgh_obj=member, pgh_label="update").latest("pgh_id")
    assert event.pgh_context["source"] == Source.CELERY
    assert event.pgh_context["user"] == system_actor_id()


def test_expiring_soon_counts_what_fifo_left_and_the_last_day(member, shop, desk_user, mall):
    now = _at("2026-11-27")
    # given lots whose last days are 2026-12-10 and 2027-01-20, one far off,
    # and 100 points already redeemed (taken from the oldest lot)
    _earn(member, shop, desk_user, 150, _at("2024-12-10"))
    _earn(member, shop, desk_user, 60, _at("2025-01-20"))
    _earn(member, shop, desk_user, 500, _at("2026-06-01"))
    gift = GiftFactory(mall=mall, points_cost=100, stock=5)
    points_redeem(actor=desk_user, member=member, gift=gift, now=_at("2025-03-01"))
    # then within 30 days 50 expire by 2026-12-10; within 90 days 110 by 2027-01-20
    assert points_expiring(member=member, now=now, days=30) == (50, datetime.date(2026, 12, 10))
    assert points_expiring(member=member, now=now, days=90) == (110, datetime.date(2027, 1, 20))
    # and nothing within 10 days
    assert points_expiring(member=member, now=now, days=10) is None


def test_the_member_page_shows_points_expiring_soon(client, member, shop, desk_user):
    # given points earned 700 days ago (valid 730 days or so)
    _earn(member, shop, desk_user, 120, timezone.now() - datetime.timedelta(days=700))
    last_day = timezone.localdate(timezone.now() - datetime.timedelta(days=700))
    last_day = last_day.replace(year=last_day.year + 2)
    client.force_login(desk_user)
    response = client.get(reverse("members:detail", args=[member.pk]))
    page = response.content.decode()
    assert 'data-testid="points-expiring"' in page
    assert "120" in page and last_day.isoformat() in page


def test_a_points_reminder_can_target_members_with_points_expiring_soon(
    mall, desk_user, shop, tiers
):
    day = datetime.date(2026, 11, 27)
    soon = MemberFactory(mall=mall, registered_by=desk_user)
    _earn(soon, shop, desk_user, 300, _at("2024-12-10"))  # last day 2026-12-10
    later = MemberFactory(mall=mall, registered_by=desk_user)
    _earn(later, shop, desk_user, 300, _at("2025-06-10"))  # last day 2027-06-10
    used = MemberFactory(mall=mall, registered_by=desk_user)
    _earn(used, shop, desk_user, 300, _at("2024-12-10"))
    _earn(used, shop, desk_user, 300, _at("2026-01-10"))
    gift = GiftFactory(mall=mall, points_cost=300, stock=5)
    points_redeem(actor=desk_user, member=used, gift=gift, now=_at("2025-01-01"))
    campaign = CampaignFactory(
        mall=mall, kind=Campaign.Kind.POINTS, expiring_within_days=30, starts_on=day
    )
    assert set(campaign_segment(campaign=campaign, day=day)) == {soon}
    campaign.expiring_within_days = 200
    assert set(campaign_segment(campaign=campaign, day=day)) == {soon, later}


def test_campaign_form_saves_the_expiring_days(client, supervisor_user, mall, tiers):
    client.force_login(supervisor_user)
    response = client.post(
        reverse("members:campaign_new"),
        {
            "name": "积分到期提醒",
            "kind": "points",
            "script": "您好……",
            "min_balance": "0",
            "expiring_within_days": "-3",
            "period_days": "30",
            "window_start": "10:00",
            "window_end": "20:00",
            "max_attempts": "3",
            "retry_minutes": "60",
            "starts_on": "2026-11-27",
            "is_active": "on",
        },
    )
    # a negative number is shown next to the field, not a 500
    assert response.status_code == 200
    assert response.context["form"].errors["expiring_within_days"]
    response = client.post(
        reverse("members:campaign_new"),
        {
            **{k: v[0] for k, v in response.context["form"].data.lists()},
            "expiring_within_days": "60",
        },
    )
    assert response.status_code == 302
    assert Campaign.objects.get(name="积分到期提醒").expiring_within_days == 60


@pytest.mark.django_db(transaction=True)
def test_expiry_keeps_the_balance_equal_to_the_ledger_under_concurrent_requests(
    mall, desk_user, tiers
):
    from mallservice.tests.factories import FloorFactory, UnitFactory

    # given a member with 500 expired points and 100 valid ones
    member = MemberFactory(mall=mall, registered_by=desk_user)
    shop = UnitFactory(floor=FloorFactory(mall=mall), mall=mall)
    gift = GiftFactory(mall=mall, points_cost=30, stock=100)
    _earn(member, shop, desk_user, 500, timezone.now() - datetime.timedelta(days=900), "old")
    _earn(member, shop, desk_user, 100, timezone.now() - datetime.timedelta(days=10), "new")
    barrier = threading.Barrier(12)

    def work(i):
        try:
            barrier.wait()
            if i == 0:
                points_expire_due()
            elif i % 2:
                _earn(member, shop, desk_user, 10, timezone.now(), f"R{i}")
            else:
                points_redeem(actor=desk_user, member=member, gift=gift)
        except ValidationError:
            pass
        finally:
            connection.close()

    # when the nightly expiry runs while the desk earns and redeems
    threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then the balance is the ledger's sum and the last line's balance
    _assert_ledger_consistent(member)
    # and exactly what FIFO left of the old lot expired: 500 minus the
    # redemptions booked before the expiry line (they used it first)
    line = PointsEntry.objects.get(member=member, kind=PointsEntry.Kind.EXPIRE)
    redeemed_before = (
        PointsEntry.objects.filter(member=member, kind="redeem", pk__lt=line.pk).aggregate(
            s=Sum("points")
        )["s"]
        or 0
    )
    assert line.points == -(500 + redeemed_before)
    assert points_expire_due() == {"members": 0, "points": 0}
