"""The mall's own SLA counts its days of other hours: closed on 除夕 2026,
short 春节 hours, a promotion night open late."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest

from complaints.models import SlaState
from complaints.services.escalation import escalations_dispatch
from complaints.tests.factories import make_complaint
from mallservice.workdays.services import mall_day_hours_set

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
T = datetime.time


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def hours(manager, mall, day, opens=None, closes=None, reason="春节"):
    mall_day_hours_set(
        actor=manager,
        mall=mall,
        day=day,
        closed=opens is None,
        opens_at=opens,
        closes_at=closes,
        reason=reason,
    )


def test_a_complaint_the_evening_before_spring_festival_waits_for_the_reopening(
    desk_user, manager_user, mall, shop
):
    # given the mall is closed on 除夕 (16 Feb 2026) and open 12:00–18:00 on 初一
    hours(manager_user, mall, datetime.date(2026, 2, 16), reason="除夕闭店")
    hours(manager_user, mall, datetime.date(2026, 2, 17), T(12), T(18))
    # when a complaint is taken at 21:00 the evening before (response: 2 opening hours)
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(2, 15, 21))
    # then one hour counts that night and the second from noon on 初一
    assert complaint.response_due_at == at(2, 17, 13)
    # and on the first morning of the holiday nothing is overdue
    escalations_dispatch(now=at(2, 17, 10, 30))
    complaint.refresh_from_db()
    assert not complaint.response_breached
    assert complaint.sla_state == SlaState.ON_TRACK


def test_a_promotion_night_counts_its_extended_hours(desk_user, manager_user, mall, shop):
    # given a 双十二 night sale until 02:00 on 12 December 2026
    hours(manager_user, mall, datetime.date(2026, 12, 12), T(10), T(2), reason="双十二夜场")
    # when a complaint is taken at 21:30 (response: 2 opening hours)
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(12, 12, 21, 30))
    # then it is due at 23:30 the same night, not the next morning
    assert complaint.response_due_at == at(12, 12, 23, 30)
