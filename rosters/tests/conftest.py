from __future__ import annotations

import contextlib
import datetime

import pytest
from django.utils import timezone
from pghistory.models import Events

from mallservice.audit import Source, actor_context
from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from rosters.services.roster import assignment_set, week_get_or_create, week_publish
from rosters.tests.factories import roster_setup

TZ = timezone.get_default_timezone()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)), TZ)


def last_event(obj):
    return Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id").first()


@contextlib.contextmanager
def acting(user):
    """Run services as `user` from the web, the way the middleware does."""
    with actor_context(actor_id=user.pk, source=Source.WEB):
        yield


@pytest.fixture
def colleague(mall):
    return make_staff(role=Role.DESK, mall=mall, username="desk2", display_name="刘佳")


@pytest.fixture
def roster(mall, desk_user, colleague, broadcaster_user):
    shifts, posts = roster_setup(mall, qualified=[desk_user, colleague, broadcaster_user])
    return {"shifts": shifts, "posts": posts}


@pytest.fixture
def next_monday():
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)


@pytest.fixture
def published_week(mall, roster, supervisor_user, desk_user, colleague, next_monday):
    """Next week published: desk_user on A at the desk Mon–Fri, colleague on
    C at the desk Mon–Fri."""
    with acting(supervisor_user):
        for i in range(5):
            day = next_monday + datetime.timedelta(days=i)
            assignment_set(
                actor=supervisor_user,
                mall=mall,
                staff=desk_user,
                date=day,
                shift_type=roster["shifts"]["A"],
                post=roster["posts"]["desk"],
            )
            assignment_set(
                actor=supervisor_user,
                mall=mall,
                staff=colleague,
                date=day,
                shift_type=roster["shifts"]["C"],
                post=roster["posts"]["desk"],
            )
        week = week_get_or_create(actor=supervisor_user, mall=mall, day=next_monday)
        week_publish(actor=supervisor_user, week=week)
    week.refresh_from_db()
    return week


@pytest.fixture
def today_roster(mall, roster, supervisor_user, desk_user, colleague):
    """This week published with desk_user on A and colleague on C today."""
    today = timezone.localdate()
    with acting(supervisor_user):
        for person, code in ((desk_user, "A"), (colleague, "C")):
            assignment_set(
                actor=supervisor_user,
                mall=mall,
                staff=person,
                date=today,
                shift_type=roster["shifts"][code],
                post=roster["posts"]["desk"],
            )
        week = week_get_or_create(actor=supervisor_user, mall=mall, day=today)
        week_publish(actor=supervisor_user, week=week)
    return today
