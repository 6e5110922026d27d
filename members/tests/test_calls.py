from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from mallservice.audit import Source, actor_context
from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from members.models import CallAttempt, CallTask, CallTaskEvent, Member
from members.selectors import call_assignees_for
from members.services.calls import call_record_outcome
from members.services.campaigns import campaign_plan
from members.tests.conftest import NOON
from members.tests.factories import CampaignFactory, MemberFactory


@pytest.fixture
def vip_world(mall, desk_user, tiers):
    campaign = CampaignFactory(mall=mall, min_tier=tiers["gold"])
    gold = [MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"]) for _ in range(4)]
    MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["silver"])  # not targeted
    no_consent = MemberFactory(
        mall=mall, registered_by=desk_user, tier=tiers["diamond"], consent_callback=False
    )
    dnc = MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"], do_not_call=True)
    return {"campaign": campaign, "gold": gold, "no_consent": no_consent, "dnc": dnc}


def test_planner_run_twice_creates_no_duplicate_and_counts_skipped(vip_world, desk_user):
    campaign = vip_world["campaign"]
    # when the planner runs twice the same day
    first = campaign_plan(campaign=campaign, now=NOON)
    second = campaign_plan(campaign=campaign, now=NOON)
    # then four calls exist, once, and the skipped members are counted
    assert first.created == 4 and second.created == 0 and second.already_planned == 4
    assert first.skipped_no_consent == 1 and first.skipped_do_not_call == 1
    assert CallTask.objects.filter(campaign=campaign).count() == 4
    assert set(CallTask.objects.values_list("assignee", flat=True)) == {desk_user.pk}
    # and in the next period the same members are planned again
    later = campaign_plan(campaign=campaign, now=NOON + datetime.timedelta(days=90))
    assert later.created == 4


@pytest.mark.django_db(transaction=True)
def test_two_planners_at_once_create_each_call_once(mall, desk_user, tiers):
    campaign = CampaignFactory(mall=mall)
    for _ in range(30):
        MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])
    barrier = threading.Barrier(3)

    def plan():
        try:
            barrier.wait()
            campaign_plan(campaign=campaign, now=NOON)
        finally:
            connection.close()

    threads = [threading.Thread(target=plan) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert CallTask.objects.filter(campaign=campaign).count() == 30


def test_assignee_is_the_least_loaded_active_desk_staff(mall, desk_user, vip_world):
    second = make_staff(role=Role.DESK, mall=mall, username="desk-b")
    make_staff(role=Role.SUPERVISOR, mall=mall, username="sup-b")
    inactive = make_staff(role=Role.DESK, mall=mall, username="desk-gone")
    inactive.is_active = False
    inactive.save()
    CallTask.objects.create(
        mall=mall,
        campaign=vip_world["campaign"],
        member=vip_world["gold"][0],
        period=datetime.date(2020, 1, 1),
        due_at=NOON,
        assignee=desk_user,
    )
    assert call_assignees_for(mall_id=mall.pk, day=NOON.date()) == [second, desk_user]


def _task(vip_world):
    campaign_plan(campaign=vip_world["campaign"], now=NOON)
    return CallTask.objects.filter(campaign=vip_world["campaign"]).order_by("pk").first()


def test_no_answer_retries_after_the_interval_then_gives_up(vip_world, desk_user):
    task = _task(vip_world)
    # when nobody answers
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        call_record_outcome(actor=desk_user, task=task, outcome="no_answer", now=NOON)
    task.refresh_from_db()
    # then the call is due again an hour later, still open
    assert task.status == CallTask.Status.PENDING and task.attempts == 1
    assert task.due_at == NOON + datetime.timedelta(minutes=60)
    assert CallTaskEvent.objects.filter(pgh_obj=task).last().pgh_context["user"] == desk_user.pk
    call_record_outcome(actor=desk_user, task=task, outcome="busy", now=NOON)
    # and after the maximum attempts it gives up
    call_record_outcome(actor=desk_user, task=task, outcome="no_answer", now=NOON)
    task.refresh_from_db()
    assert task.status == CallTask.Status.GAVE_UP and task.attempts == 3
    assert CallAttempt.objects.filter(task=task).count() == 3


def test_retry_after_the_window_moves_to_next_morning(vip_world, desk_user):
    task = _task(vip_world)
    evening = NOON.replace(hour=19, minute=30)
    call_record_outcome(actor=desk_user, task=task, outcome="busy", now=evening)
    task.refresh_from_db()
    assert task.due_at == NOON.replace(day=28, hour=10, minute=0)


def test_no_call_outside_the_calling_window(vip_world, desk_user):
    task = _task(vip_world)
    with pytest.raises(ValidationError) as exc:
        call_record_outcome(
            actor=desk_user, task=task, outcome="connected", now=NOON.replace(hour=21)
        )
    assert exc.value.code == "outside_window"


def test_opted_out_puts_the_member_on_do_not_call_and_skips_later_plans(vip_world, desk_user):
    task = _task(vip_world)
    call_record_outcome(actor=desk_user, task=task, outcome="opted_out", note="不要再打", now=NOON)
    member = Member.objects.get(pk=task.member_id)
    assert member.do_not_call
    run = campaign_plan(campaign=vip_world["campaign"], now=NOON + datetime.timedelta(days=90))
    assert run.skipped_do_not_call == 2 and run.created == 3


def test_call_back_creates_a_task_at_that_time(vip_world, desk_user):
    task = _task(vip_world)
    at = NOON + datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        call_record_outcome(actor=desk_user, task=task, outcome="call_back", now=NOON)
    call_record_outcome(actor=desk_user, task=task, outcome="call_back", callback_at=at, now=NOON)
    follow = CallTask.objects.get(parent=task)
    assert follow.due_at == at and follow.origin == CallTask.Origin.CALLBACK
    assert follow.status == CallTask.Status.PENDING


def test_my_calls_today_lists_only_mine_in_few_queries(
    client, vip_world, desk_user, django_assert_max_num_queries
):
    from django.utils import timezone

    campaign_plan(campaign=vip_world["campaign"], now=timezone.now().replace(hour=2))
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("members:my_calls"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="call-open"') == 4
    assert "13812345678" not in response.content.decode()


def test_a_long_list_of_calls_is_shown_fifty_at_a_time_oldest_first(
    client, mall, desk_user, tiers, django_assert_max_num_queries
):
    from django.utils import timezone

    # given 60 open calls for the desk user, the oldest overdue since last week
    campaign = CampaignFactory(mall=mall)
    start = timezone.now() - datetime.timedelta(days=7)
    for i in range(60):
        CallTask.objects.create(
            mall=mall,
            campaign=campaign,
            member=MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"]),
            period=campaign.starts_on,
            due_at=start + datetime.timedelta(hours=i),
            assignee=desk_user,
        )
    client.force_login(desk_user)
    # when they open "my calls today"
    with django_assert_max_num_queries(13):
        response = client.get(reverse("members:my_calls"))
    # then the first page shows the 50 oldest, counts all 60 and links the next page
    page = response.content.decode()
    assert page.count('data-testid="call-open"') == 50
    assert 'data-testid="my-calls-count"' in page and "60" in page
    oldest = CallTask.objects.order_by("due_at").first()
    assert reverse("members:call_detail", args=[oldest.pk]) in page
    second = client.get(reverse("members:my_calls") + "?page=2").content.decode()
    assert second.count('data-testid="call-open"') == 10


def test_promotion_segment_by_birthday_month_and_last_visit(mall, desk_user, tiers):
    campaign = CampaignFactory(
        mall=mall, kind="promotion", birthday_month=5, visited_within_days=30
    )
    recent = NOON - datetime.timedelta(days=3)
    target = MemberFactory(
        mall=mall, registered_by=desk_user, birthday=datetime.date(1990, 5, 2), last_visit_at=recent
    )
    MemberFactory(  # born in May, but not seen for a year
        mall=mall,
        registered_by=desk_user,
        birthday=datetime.date(1990, 5, 3),
        last_visit_at=NOON - datetime.timedelta(days=365),
    )
    MemberFactory(  # seen recently, born in June
        mall=mall, registered_by=desk_user, birthday=datetime.date(1990, 6, 3), last_visit_at=recent
    )
    run = campaign_plan(campaign=campaign, now=NOON)
    assert run.created == 1
    assert CallTask.objects.get().member == target


def test_beat_planner_task_runs_as_the_system_actor(vip_world):
    from mallservice.services import system_actor_id
    from members.tasks import plan_calls

    plan_calls.delay()
    task = CallTask.objects.first()
    event = CallTaskEvent.objects.get(pgh_obj=task, pgh_label="insert")
    assert event.pgh_context["user"] == system_actor_id()
    assert event.pgh_context["source"] == Source.CELERY


def test_supervisor_creates_a_campaign_on_its_page(client, mall, supervisor_user, desk_user, tiers):
    from members.models import Campaign, CampaignEvent

    data = {
        "name": "双十二大型促销通知",
        "kind": "promotion",
        "script": "您好……",
        "min_tier": tiers["silver"].pk,
        "min_balance": 0,
        "period_days": 30,
        "window_start": "10:00",
        "window_end": "20:00",
        "max_attempts": 2,
        "retry_minutes": 30,
        "starts_on": "2026-12-01",
        "is_active": "on",
    }
    client.force_login(desk_user)
    assert client.post(reverse("members:campaign_new"), data).status_code == 403
    client.force_login(supervisor_user)
    # a window that ends before it starts is shown on the form
    bad = client.post(reverse("members:campaign_new"), {**data, "window_end": "09:00"})
    assert bad.status_code == 200 and Campaign.objects.count() == 0
    response = client.post(reverse("members:campaign_new"), data)
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.mall == mall and campaign.min_tier == tiers["silver"]
    event = CampaignEvent.objects.get(pgh_obj=campaign, pgh_label="insert")
    assert event.pgh_context["user"] == supervisor_user.pk


def test_the_planner_gives_a_person_at_most_the_day_s_cap(monkeypatch, mall, desk_user, tiers):
    from members.services import campaigns

    # given a cap of 3 calls a person a day, one desk person and 5 VIPs
    monkeypatch.setattr(campaigns, "CALLS_PER_STAFF_PER_DAY", 3)
    campaign = CampaignFactory(mall=mall, min_tier=tiers["gold"])
    for _ in range(5):
        MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])
    # when the planner runs twice that day
    first = campaign_plan(campaign=campaign, now=NOON)
    again = campaign_plan(campaign=campaign, now=NOON)
    # then the person holds 3 calls, not 5
    assert first.created == 3 and again.created == 0
    assert CallTask.objects.filter(assignee=desk_user).count() == 3
    # and the next day, with two calls made, the rest are planned
    for task in CallTask.objects.order_by("pk")[:2]:
        call_record_outcome(actor=desk_user, task=task, outcome="connected", now=NOON)
    tomorrow = campaign_plan(campaign=campaign, now=NOON + datetime.timedelta(days=1))
    assert tomorrow.created == 2
    assert CallTask.objects.filter(campaign=campaign).count() == 5


def test_a_member_gets_one_call_a_day_whatever_the_campaigns(mall, desk_user, tiers):
    # given two campaigns that both pick the same VIPs
    first = CampaignFactory(mall=mall, min_tier=tiers["gold"], name="生日")
    second = CampaignFactory(mall=mall, min_tier=tiers["gold"], name="促销")
    vips = [MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"]) for _ in range(3)]
    # when both plan the same day
    assert campaign_plan(campaign=first, now=NOON).created == 3
    run = campaign_plan(campaign=second, now=NOON)
    # then nobody is called twice: the second campaign waits
    assert run.created == 0
    for vip in vips:
        assert CallTask.objects.filter(member=vip).count() == 1
    # and once the first campaign's calls are closed, it calls them on another day
    for task in CallTask.objects.all():
        call_record_outcome(actor=desk_user, task=task, outcome="connected", now=NOON)
    assert campaign_plan(campaign=second, now=NOON).created == 0
    assert campaign_plan(campaign=second, now=NOON + datetime.timedelta(days=1)).created == 3


def test_a_wrong_number_closes_the_member_s_calls_in_every_campaign(mall, desk_user, tiers):
    # given a member with an open call in two campaigns (a callback and a plan)
    member = MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])
    first = CampaignFactory(mall=mall, min_tier=tiers["gold"])
    second = CampaignFactory(mall=mall, min_tier=tiers["gold"])
    task = CallTask.objects.create(
        mall=mall,
        campaign=first,
        member=member,
        period=first.starts_on,
        due_at=NOON,
        assignee=desk_user,
    )
    other = CallTask.objects.create(
        mall=mall,
        campaign=second,
        member=member,
        period=second.starts_on,
        due_at=NOON,
        assignee=desk_user,
    )
    # when the first call finds the number wrong (号码错误)
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        call_record_outcome(actor=desk_user, task=task, outcome="wrong_number", now=NOON)
    # then the other campaign's call is closed too, and nobody is asked to call it
    other.refresh_from_db()
    assert other.status == CallTask.Status.GAVE_UP and other.last_outcome == "wrong_number"
    assert other.closed_at == NOON
    assert CallTaskEvent.objects.filter(pgh_obj=other).last().pgh_context["user"] == desk_user.pk
    assert not CallTask.objects.filter(member=member, status=CallTask.Status.PENDING).exists()


def test_the_call_page_reveals_the_number_on_request_and_logs_it(client, vip_world, desk_user):
    from mallservice.models import SensitiveAccess

    task = _task(vip_world)
    client.force_login(desk_user)
    # given the call page, the number masked with a reveal button
    page = client.get(reverse("members:call_detail", args=[task.pk])).content.decode()
    phone = task.member.phone
    assert phone not in page and 'data-testid="reveal-phone"' in page
    assert reverse("members:reveal", args=[task.member_id]) in page
    # when the caller reveals it
    response = client.post(reverse("members:reveal", args=[task.member_id]))
    # then the full number is shown, and the read is logged
    assert phone in response.content.decode()
    log = SensitiveAccess.objects.get()
    assert log.actor == desk_user and log.kind == "reveal"
    assert log.object_id == str(task.member_id)
