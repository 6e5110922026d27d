from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from mallservice.services import system_actor_id
from rosters.models import OffPostRecord
from rosters.selectors.attendance import at_post_now
from rosters.services.attendance import clock_record
from rosters.services.off_post import off_post_flag_due, off_post_return, off_post_start
from rosters.services.roster import roster_policy_set
from rosters.tasks import off_post_dispatch
from rosters.tests.conftest import at, last_event

pytestmark = pytest.mark.django_db


def test_off_post_over_thirty_minutes_is_flagged_by_the_dispatcher(
    desk_user, colleague, mall, roster, next_monday
):
    # given desk staff off post at 10:00, covered by a colleague
    record = off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="去洗手间",
        covered_by=colleague,
        now=at(next_monday, 10),
    )
    # when the dispatcher runs at 10:29, nothing is flagged
    assert off_post_flag_due(now=at(next_monday, 10, 29)) == 0
    # when it runs at 10:31, the record is flagged, once
    assert off_post_flag_due(now=at(next_monday, 10, 31)) == 1
    assert off_post_flag_due(now=at(next_monday, 10, 32)) == 0
    record.refresh_from_db()
    assert record.flagged_at == at(next_monday, 10, 31)


def test_coming_back_late_flags_even_before_the_dispatcher(desk_user, mall, roster, next_monday):
    record = off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="不舒服",
        now=at(next_monday, 10),
    )
    record = off_post_return(actor=desk_user, record=record, now=at(next_monday, 10, 45))
    assert record.flagged_at == at(next_monday, 10, 45)
    assert record.minutes() == 45


def test_short_absence_is_not_flagged(desk_user, mall, roster, next_monday):
    record = off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="取文件",
        now=at(next_monday, 10),
    )
    record = off_post_return(actor=desk_user, record=record, now=at(next_monday, 10, 20))
    assert record.flagged_at is None


def test_the_limit_is_configurable(desk_user, supervisor_user, mall, roster, next_monday):
    roster_policy_set(actor=supervisor_user, mall=mall, off_post_limit_minutes=10)
    record = off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="x",
        now=at(next_monday, 10),
    )
    assert record.flag_due_at == at(next_monday, 10, 10)


def test_one_open_off_post_at_a_time(desk_user, mall, roster, next_monday):
    off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="x",
        now=at(next_monday, 10),
    )
    with pytest.raises(ValidationError) as exc:
        off_post_start(
            actor=desk_user,
            mall=mall,
            post=roster["posts"]["desk"],
            reason="y",
            now=at(next_monday, 10, 5),
        )
    assert exc.value.code == "already_off"


def test_beat_task_flags_with_the_system_actor(desk_user, mall, roster):
    from django.utils import timezone

    record = off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="x",
        now=timezone.now() - datetime.timedelta(minutes=40),
    )
    off_post_dispatch.delay()
    record.refresh_from_db()
    assert record.flagged_at is not None
    event = last_event(record)
    assert event.pgh_context["user"] == system_actor_id()
    assert event.pgh_context["source"] == "celery"
    assert OffPostRecord.objects.filter(flagged_at__isnull=True).count() == 0


def test_who_is_at_the_desk_now(
    published_week, desk_user, colleague, supervisor_user, mall, roster, next_monday
):
    # given desk_user on A clocked in, then off post
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(next_monday, 8, 25))
    board = {
        p["post"].code: p
        for p in at_post_now(user=supervisor_user, mall=mall, now=at(next_monday, 9))
    }
    assert board["desk"]["at_post"] == 1 and board["desk"]["short"]
    off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="x",
        covered_by=colleague,
        now=at(next_monday, 9, 5),
    )
    board = {
        p["post"].code: p
        for p in at_post_now(user=supervisor_user, mall=mall, now=at(next_monday, 9, 10))
    }
    assert board["desk"]["at_post"] == 0
    assert board["desk"]["entries"][0]["off_post"].covered_by == colleague
