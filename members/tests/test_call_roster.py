"""Follow-up calls go to the desk staff rostered that day (rosters app)."""

from __future__ import annotations

from mallservice.audit import Source, actor_context
from mallservice.models import User
from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from members.models import CallTask
from members.selectors import call_assignees_for
from members.services.campaigns import campaign_plan
from members.tests.conftest import NOON
from members.tests.factories import CampaignFactory, MemberFactory
from rosters import services as rosters
from rosters.tests.factories import roster_setup


def _roster(mall, supervisor, staff, *, day, publish=True):
    shifts, posts = roster_setup(mall, qualified=[staff])
    with actor_context(actor_id=supervisor.pk, source=Source.WEB):
        assignment = rosters.assignment_set(
            actor=supervisor,
            mall=mall,
            staff=staff,
            date=day,
            shift_type=shifts["B"],
            post=posts["desk"],
        )
        if publish:
            rosters.week_publish(actor=supervisor, week=assignment.week)


def test_calls_go_to_the_desk_staff_on_shift_that_day(mall, desk_user, supervisor_user, tiers):
    # given two desk staff, only the second rostered (published) on the day
    rostered = make_staff(role=Role.DESK, mall=mall, username="desk-rostered")
    _roster(mall, supervisor_user, rostered, day=NOON.date())
    campaign = CampaignFactory(mall=mall, min_tier=tiers["gold"])
    for _ in range(3):
        MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])
    # when the planner runs that day
    assert call_assignees_for(mall_id=mall.pk, day=NOON.date()) == [rostered]
    run = campaign_plan(campaign=campaign, now=NOON)
    # then every call is the rostered person's
    assert run.created == 3
    assert set(CallTask.objects.values_list("assignee", flat=True)) == {rostered.pk}


def test_a_draft_roster_or_another_day_does_not_count(mall, desk_user, supervisor_user):
    # given a colleague rostered only in a draft (unpublished) week
    drafted = make_staff(role=Role.DESK, mall=mall, username="desk-draft")
    _roster(mall, supervisor_user, drafted, day=NOON.date(), publish=False)
    # then nobody is on shift: every active desk person may be given calls
    assert set(call_assignees_for(mall_id=mall.pk, day=NOON.date())) == {desk_user, drafted}


def test_without_a_roster_every_active_desk_person_gets_calls(mall, desk_user, tiers):
    # given no roster at all and two desk staff (one inactive)
    second = make_staff(role=Role.DESK, mall=mall, username="desk-second")
    gone = make_staff(role=Role.DESK, mall=mall, username="desk-gone")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    campaign = CampaignFactory(mall=mall, min_tier=tiers["gold"])
    for _ in range(4):
        MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])
    # when the planner runs
    campaign_plan(campaign=campaign, now=NOON)
    # then the calls are shared by the active desk staff
    assignees = set(CallTask.objects.values_list("assignee", flat=True))
    assert assignees == {desk_user.pk, second.pk}


def test_no_calls_for_staff_off_that_day_or_on_approved_leave(
    mall, desk_user, supervisor_user, tiers
):
    import datetime

    from rosters.models import LeaveRequest

    # given a published roster where the only desk person on shift is on
    # approved leave that day, and a colleague who is not rostered
    rostered = make_staff(role=Role.DESK, mall=mall, username="desk-on-leave")
    _roster(mall, supervisor_user, rostered, day=NOON.date())
    LeaveRequest.objects.create(
        mall=mall,
        staff=rostered,
        kind=LeaveRequest.Kind.SICK,
        start_date=NOON.date(),
        end_date=NOON.date() + datetime.timedelta(days=1),
        state=LeaveRequest.State.APPROVED,
        supervisor=supervisor_user,
        reason="病假",
    )
    campaign = CampaignFactory(mall=mall, min_tier=tiers["gold"])
    for _ in range(3):
        MemberFactory(mall=mall, registered_by=desk_user, tier=tiers["gold"])
    # when the planner runs that day
    assert call_assignees_for(mall_id=mall.pk, day=NOON.date()) == []
    run = campaign_plan(campaign=campaign, now=NOON)
    # then nobody off duty gets calls: they wait for a day with staff
    assert run.created == 0 and not CallTask.objects.exists()
