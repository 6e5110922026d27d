"""The SLA clock in opening hours, with pauses, at fixed times."""

import datetime

from complaints import sla
from complaints.tests.factories import at

HOURS = sla.OpeningHours(opens_at=datetime.time(10), closes_at=datetime.time(22))


def test_clock_counts_only_opening_hours_across_the_night():
    # given a start one hour before closing
    # when 3 hours of opening time are added
    due = sla.add_business_minutes(at(27, 21), 180, HOURS)
    # then one hour is used tonight and two tomorrow morning
    assert due == at(28, 12)


def test_clock_started_after_closing_begins_at_next_opening():
    assert sla.add_business_minutes(at(27, 23), 30, HOURS) == at(28, 10, 30)
    assert sla.add_business_minutes(at(27, 8), 0, HOURS) == at(27, 10)


def test_business_minutes_between_skips_the_closed_night():
    assert sla.business_minutes_between(at(27, 21), at(28, 11), HOURS) == 120
    assert sla.business_minutes_between(at(28, 11), at(27, 21), HOURS) == 0


def test_pause_moves_the_due_time_by_the_opening_time_spent_paused():
    # given a due time of 15:00, paused at 12:00 (3 hours left)
    due = at(27, 15)
    # when resumed the next day at 11:00
    new_due = sla.shift_after_pause(due, paused_at=at(27, 12), resumed_at=at(28, 11), hours=HOURS)
    # then the 3 hours left run from 11:00
    assert new_due == at(28, 14)


def test_pause_does_not_forgive_an_already_overdue_case():
    due = at(27, 11)
    assert (
        sla.shift_after_pause(due, paused_at=at(27, 12), resumed_at=at(27, 15), hours=HOURS) == due
    )


def test_vip_tier_tightens_targets_and_mall_rows_win():
    normal = sla.targets_for("normal")
    vip = sla.targets_for("normal", "gold", vip=True)
    assert vip.resolution_minutes == normal.resolution_minutes // 2
    own = sla.Targets(10, 20, 5)
    assert sla.targets_for("urgent", "gold", vip=True, overrides={("urgent", "gold"): own}) == own
    assert sla.targets_for("urgent", "", overrides={("urgent", ""): own}) == own


def test_round_the_clock_ignores_opening_hours():
    always = sla.OpeningHours.round_the_clock()
    assert sla.add_business_minutes(at(27, 23), 60, always) == at(28, 0)


def test_escalation_plan_warns_before_breach_and_reaches_manager_at_twice():
    plan = sla.escalation_plan(start=at(27, 10), targets=sla.Targets(60, 120, 30), hours=HOURS)
    assert plan == {"warning": at(27, 11, 30), "supervisor": at(27, 12), "manager": at(27, 14)}
