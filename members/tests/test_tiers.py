"""Automatic tier upgrades and yearly reviews (members/tiers.py)."""

from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone

from mallservice.audit import Source, actor_context
from mallservice.services import system_actor_id
from members.models import Member, MemberEvent, TierReviewRun
from members.services.members import member_merge, member_set_tier
from members.services.points import points_earn
from members.services.tiers import tiers_evaluate, tiers_evaluate_mall
from members.tasks import evaluate_tiers
from members.tests.factories import MemberFactory

# 2026-11-27 01:00 in Shanghai: the beat's hour.
NIGHT = timezone.make_aware(datetime.datetime(2026, 11, 27, 1, 0))
THRESHOLDS = {  # code: (upgrade, keep), yuan in 12 months
    "normal": (0, 0),
    "silver": (5000, 3000),
    "gold": (20000, 15000),
    "diamond": (80000, 60000),
}


@pytest.fixture
def ladder(tiers, mall):
    from members.models import PointsPolicy

    # The tier rules are under test, not the receipt limits: big spenders'
    # receipts are booked at once.
    PointsPolicy.objects.create(
        mall=mall, receipt_max_amount=Decimal("10000000"), daily_max_points=10**9
    )
    for code, (upgrade, keep) in THRESHOLDS.items():
        tiers[code].upgrade_threshold, tiers[code].keep_threshold = upgrade, keep
        tiers[code].save()
    return tiers


def _member(mall, desk_user, tier, **fields):
    return MemberFactory(mall=mall, registered_by=desk_user, tier=tier, **fields)


def _spend(member, shop, desk_user, amount, days_ago, receipt=None):
    """A receipt of `amount` yuan `days_ago` days before NIGHT."""
    return points_earn(
        actor=desk_user,
        member=member,
        shop=shop,
        receipt_no=receipt or f"R{member.pk}-{days_ago}-{amount}",
        amount=Decimal(amount),
        now=NIGHT - datetime.timedelta(days=days_ago),
    )


def test_spend_reaching_a_higher_threshold_moves_the_member_up_once(mall, desk_user, shop, ladder):
    # given a 普通 member who spent 6000 yuan this year and 30000 two years ago
    member = _member(mall, desk_user, ladder["normal"])
    _spend(member, shop, desk_user, 6000, days_ago=40)
    _spend(member, shop, desk_user, 30000, days_ago=400)
    # when the nightly evaluation runs
    [run] = tiers_evaluate(now=NIGHT)
    # then only this year's spend counts: 银卡, recorded as an automatic change
    member.refresh_from_db()
    assert member.tier == ladder["silver"] and member.tier_changed_at == NIGHT
    assert run.upgraded == 1
    event = MemberEvent.objects.filter(pgh_obj=member, pgh_label="update").latest("pgh_id")
    assert event.tier_id == ladder["silver"].pk
    assert event.pgh_context["reason"] == "automatic"
    assert event.pgh_context["user"] == system_actor_id()
    events = MemberEvent.objects.filter(pgh_obj=member).count()
    # and a second run the same night changes nothing
    [again] = tiers_evaluate(now=NIGHT + datetime.timedelta(minutes=5))
    assert (again.upgraded, again.reviewed, again.downgraded) == (0, 0, 0)
    assert MemberEvent.objects.filter(pgh_obj=member).count() == events


def test_a_big_spender_goes_straight_to_the_highest_tier_reached(mall, desk_user, shop, ladder):
    member = _member(mall, desk_user, ladder["normal"])
    _spend(member, shop, desk_user, 85000, days_ago=3)
    tiers_evaluate(now=NIGHT)
    assert Member.objects.get(pk=member.pk).tier == ladder["diamond"]


def test_a_tier_without_an_upgrade_threshold_is_only_set_by_hand(mall, desk_user, shop, ladder):
    # given 钻石 has no upgrade threshold (0)
    ladder["diamond"].upgrade_threshold = 0
    ladder["diamond"].save()
    member = _member(mall, desk_user, ladder["normal"])
    _spend(member, shop, desk_user, 200000, days_ago=3)
    tiers_evaluate(now=NIGHT)
    # then the highest tier with a threshold is the one reached
    assert Member.objects.get(pk=member.pk).tier == ladder["gold"]


def test_the_spend_a_supervisor_decided_against_does_not_undo_their_change(
    mall, desk_user, supervisor_user, shop, ladder
):
    # given a member who spent 25000 yuan, put back to 银卡 by a supervisor
    member = _member(mall, desk_user, ladder["gold"])
    _spend(member, shop, desk_user, 25000, days_ago=30)
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        member_set_tier(
            actor=supervisor_user,
            member=member,
            tier=ladder["silver"],
            reason="退货后积分未扣",
            now=NIGHT - datetime.timedelta(days=10),
        )
    # when the evaluation runs, the spend before the change does not count
    tiers_evaluate(now=NIGHT)
    assert Member.objects.get(pk=member.pk).tier == ladder["silver"]
    # but new spend after it does
    _spend(member, shop, desk_user, 20000, days_ago=2)
    tiers_evaluate(now=NIGHT + datetime.timedelta(days=1))
    assert Member.objects.get(pk=member.pk).tier == ladder["gold"]


def test_yearly_review_moves_down_only_members_below_their_keep_threshold(
    mall, desk_user, shop, ladder
):
    a_year_ago = NIGHT - datetime.timedelta(days=365)
    # given three 金卡 members whose tier changed a year ago today (or tomorrow)
    low = _member(mall, desk_user, ladder["gold"], tier_changed_at=a_year_ago)
    _spend(low, shop, desk_user, 4000, days_ago=100)
    kept = _member(mall, desk_user, ladder["gold"], tier_changed_at=a_year_ago)
    _spend(kept, shop, desk_user, 16000, days_ago=100)
    not_yet = _member(
        mall, desk_user, ladder["gold"], tier_changed_at=a_year_ago + datetime.timedelta(days=1)
    )
    # and one who spent nothing, reviewed from a 钻石 tier
    idle = _member(mall, desk_user, ladder["diamond"], tier_changed_at=a_year_ago)
    # when the evaluation runs
    [run] = tiers_evaluate(now=NIGHT)
    # then the one below 15000 drops to the tier whose keep threshold they
    # meet (银卡, 3000), the idle one to 普通, the others stay
    assert Member.objects.get(pk=low.pk).tier == ladder["silver"]
    assert Member.objects.get(pk=idle.pk).tier == ladder["normal"]
    assert Member.objects.get(pk=kept.pk).tier == ladder["gold"]
    assert Member.objects.get(pk=not_yet.pk).tier == ladder["gold"]
    assert (run.reviewed, run.downgraded) == (3, 2)
    event = MemberEvent.objects.filter(pgh_obj=low, pgh_label="update").latest("pgh_id")
    assert event.tier_id == ladder["silver"].pk and event.pgh_context["reason"] == "automatic"
    # the review restarts the year: the next day and a rerun review nobody again
    assert Member.objects.get(pk=low.pk).tier_changed_at == NIGHT
    [again] = tiers_evaluate(now=NIGHT + datetime.timedelta(hours=2))
    assert (again.reviewed, again.downgraded) == (0, 0)
    # and the member due tomorrow is reviewed tomorrow
    [tomorrow] = tiers_evaluate(now=NIGHT + datetime.timedelta(days=1))
    assert tomorrow.reviewed == 1 and tomorrow.downgraded == 1
    assert Member.objects.get(pk=not_yet.pk).tier == ladder["normal"]


def test_reviews_missed_while_beat_was_stopped_are_caught_up(mall, desk_user, ladder):
    # given the last run was five days ago and a review fell three days ago
    TierReviewRun.objects.create(
        mall=mall,
        day=timezone.localdate(NIGHT) - datetime.timedelta(days=5),
        at=NIGHT - datetime.timedelta(days=5),
    )
    member = _member(
        mall,
        desk_user,
        ladder["silver"],
        tier_changed_at=NIGHT - datetime.timedelta(days=365 + 3),
    )
    # when beat runs again
    run = tiers_evaluate_mall(mall=mall, now=NIGHT)
    # then that review happens now
    assert (run.reviewed, run.downgraded) == (1, 1)
    assert Member.objects.get(pk=member.pk).tier == ladder["normal"]


def test_without_a_tier_change_the_review_falls_on_the_registration_anniversary(
    mall, desk_user, ladder
):
    member = _member(mall, desk_user, ladder["silver"])
    Member.objects.filter(pk=member.pk).update(
        registered_at=NIGHT - datetime.timedelta(days=2 * 365)
    )
    run = tiers_evaluate_mall(mall=mall, now=NIGHT)
    assert (run.reviewed, run.downgraded) == (1, 1)


def test_a_merged_duplicates_spend_counts_for_the_survivor(
    mall, desk_user, supervisor_user, shop, ladder
):
    survivor = _member(mall, desk_user, ladder["normal"])
    duplicate = _member(mall, desk_user, ladder["normal"])
    _spend(survivor, shop, desk_user, 3000, days_ago=20)
    _spend(duplicate, shop, desk_user, 2500, days_ago=20)
    member_merge(actor=supervisor_user, survivor=survivor, absorbed=duplicate)
    tiers_evaluate(now=NIGHT)
    assert Member.objects.get(pk=survivor.pk).tier == ladder["silver"]
    assert Member.objects.get(pk=duplicate.pk).tier == ladder["normal"]


def test_each_mall_uses_its_own_tiers(mall, other_mall, desk_user, shop, ladder):
    from members.tests.factories import TierFactory

    TierFactory(mall=other_mall, code="normal", rank=1)
    TierFactory(mall=other_mall, code="gold", rank=2, upgrade_threshold=100)
    member = _member(mall, desk_user, ladder["normal"])
    _spend(member, shop, desk_user, 1000, days_ago=1)
    runs = tiers_evaluate(now=NIGHT)
    assert {run.mall_id for run in runs} == {mall.pk, other_mall.pk}
    assert Member.objects.get(pk=member.pk).tier == ladder["normal"]


def test_the_beat_task_runs_as_the_system_actor(mall, desk_user, shop, ladder):
    member = _member(mall, desk_user, ladder["normal"])
    _spend(member, shop, desk_user, 5000, days_ago=1)
    # beat sends no actor: ScheduledTask names the system actor
    result = evaluate_tiers.apply(kwargs={})
    assert result.get() == 1
    event = MemberEvent.objects.filter(pgh_obj=member, pgh_label="update").latest("pgh_id")
    assert event.pgh_context["user"] == system_actor_id()
    assert event.pgh_context["source"] == Source.CELERY
    assert event.pgh_context["reason"] == "automatic"


@pytest.mark.django_db(transaction=True)
def test_a_manual_change_made_during_the_run_is_not_overwritten(
    mall, desk_user, supervisor_user, shop, ladder
):
    # given a member whose spend qualifies for 金卡
    member = _member(mall, desk_user, ladder["normal"])
    _spend(member, shop, desk_user, 25000, days_ago=3)
    locked, release = threading.Event(), threading.Event()

    def supervisor():
        # a supervisor's change, not yet committed when the run starts
        try:
            with transaction.atomic():
                member_set_tier(
                    actor=supervisor_user,
                    member=member,
                    tier=ladder["silver"],
                    reason="客户要求",
                    now=NIGHT,
                )
                locked.set()
                release.wait(5)
        finally:
            connection.close()

    thread = threading.Thread(target=supervisor)
    thread.start()
    assert locked.wait(5)
    timer = threading.Timer(0.5, release.set)
    timer.start()
    # when the evaluation runs meanwhile (it waits for the supervisor)
    tiers_evaluate(now=NIGHT + datetime.timedelta(seconds=1))
    thread.join()
    # then the supervisor's tier stands
    assert Member.objects.get(pk=member.pk).tier == ladder["silver"]
