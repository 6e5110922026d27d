"""The roster's panels of the supervisor dashboard, one set per mall:

- right now: who is on shift at each post, who is off post and for how
  long, posts below their minimum staffing;
- attendance and roster: attendance exceptions this week, next week's
  roster missing or unpublished, swaps and leave awaiting approval,
  handovers not yet acknowledged, and the 30-day exceptions trend;
- office supplies: this month's use against expected use, items over;
- staff meals: today's meals ordered and the lists not sent after the
  cut-off.

Every figure comes from the app's selectors with a fixed number of queries
per mall (the attendance computation reads three tables once for 30 days)
and links to the filtered list behind it."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.dashboard import Chart, Figure, Panel, cached_trend, list_url
from mallservice.models import Mall
from rosters import permissions as perms
from rosters.meals.selectors import meal_day_state, meal_totals
from rosters.models import LeaveRequest, SupplyRequisition, SwapRequest, Week
from rosters.selectors.attendance import AttendanceDay, DayStatus, at_post_now, attendance_days
from rosters.selectors.handover import handover_list
from rosters.selectors.leave import leave_list
from rosters.selectors.off_post import off_post_now
from rosters.selectors.roster import week_list, week_start_of
from rosters.selectors.supplies import supply_requisition_counts, supply_usage
from rosters.selectors.swaps import swap_list

TREND_DAYS = 30


def panels(*, user: Any, malls: list[Mall], now: datetime.datetime) -> list[Panel]:
    if not user.has_perm(perms.VIEW_CLOCKEVENT):
        return []
    result: list[Panel] = []
    today = timezone.localdate(now)
    # This week's records, and yesterday's for an overnight shift still on
    # (a Monday): one read serves both panels.
    first = min(week_start_of(today), today - datetime.timedelta(days=1))
    for mall in malls:
        suffix = f" · {mall}" if len(malls) > 1 else ""
        days = attendance_days(user=user, mall=mall, start=first, end=today, now=now)
        result += [
            _right_now(user=user, mall=mall, now=now, suffix=suffix, days=days),
            _attendance(user=user, mall=mall, now=now, suffix=suffix, days=days),
            _supplies(user=user, mall=mall, now=now, suffix=suffix),
            _meals(mall=mall, now=now, suffix=suffix),
        ]
    return result


def _right_now(
    *, user: Any, mall: Mall, now: datetime.datetime, suffix: str, days: list[AttendanceDay]
) -> Panel:
    posts = at_post_now(user=user, mall=mall, now=now)
    # "On shift now" counts the people the attendance list behind it shows
    # on duty (clocked in, shift not over), not the roster's hours: someone
    # who clocked in at 08:20 for 08:30 is on duty on that list and was 0
    # here until 08:30.
    on_shift = len({d.assignment.staff_id for d in days if d.status == DayStatus.ON_DUTY})
    away = list(off_post_now(user=user, mall=mall).order_by("out_at"))
    short = [p for p in posts if p["short"]]
    offpost_url = list_url("rosters:offpost", [mall])
    panel = Panel(
        _("Right now") + suffix,
        order=10,
        figures=[
            Figure(_("On shift now"), on_shift, list_url("rosters:attendance", [mall])),
            Figure(
                _("Off post now"),
                len(away),
                offpost_url,
                level="warning" if away else "ok",
            ),
            Figure(
                _("Posts below minimum staffing"),
                len(short),
                offpost_url,
                level="danger" if short else "ok",
            ),
        ],
    )
    for entry in posts:
        names = [
            str(e["assignment"].staff)
            + ("" if e["clocked_in"] else " " + _("(not clocked in)"))
            + (" " + _("(off post)") if e["off_post"] else "")
            for e in entry["entries"]
        ]
        label = entry["post"].name
        if entry["short"]:
            label += " " + _("below minimum %(n)s") % {"n": entry["post"].min_staff}
        panel.rows.append((label, "、".join(names) or "—"))
    for record in away:
        minutes = record.minutes(now)
        panel.rows.append(
            (
                _("Off post: %(name)s (%(post)s)")
                % {"name": record.staff, "post": record.post.name},
                _("%(minutes)s min") % {"minutes": minutes},
            )
        )
    return panel


def _attendance(
    *, user: Any, mall: Mall, now: datetime.datetime, suffix: str, days: list[AttendanceDay]
) -> Panel:
    today = timezone.localdate(now)
    monday = week_start_of(today)
    this_week = sum(1 for day in days if day.is_exception and day.assignment.date >= monday)

    next_start = monday + datetime.timedelta(days=7)
    week = week_list(user=user).filter(mall=mall, week_start=next_start).first()
    if week is None:
        roster_state, roster_level = _("missing"), "danger"
    elif week.state != Week.State.PUBLISHED:
        roster_state, roster_level = _("not published"), "warning"
    else:
        roster_state, roster_level = _("published"), "ok"
    swaps = (
        swap_list(user=user).filter(mall=mall, state=SwapRequest.State.AWAITING_SUPERVISOR).count()
    )
    leave = leave_list(user=user).filter(mall=mall, state__in=LeaveRequest.OPEN_STATES).count()
    handovers = handover_list(user=user).filter(mall=mall, acknowledged_at__isnull=True).count()
    return Panel(
        _("Attendance and roster") + suffix,
        order=30,
        figures=[
            Figure(
                _("Attendance exceptions this week"),
                this_week,
                list_url(
                    "rosters:attendance",
                    [mall],
                    start=f"{monday:%Y-%m-%d}",
                    end=f"{today:%Y-%m-%d}",
                    exceptions=1,
                ),
                level="warning" if this_week else "ok",
            ),
            Figure(
                _("Next week's roster"),
                roster_state,
                list_url("rosters:week", [mall], date=f"{next_start:%Y-%m-%d}"),
                level=roster_level,
            ),
            Figure(
                _("Swaps awaiting approval"), swaps, list_url("rosters:swaps", [mall], pending=1)
            ),
            Figure(
                _("Leave awaiting approval"), leave, list_url("rosters:leave", [mall], pending=1)
            ),
            Figure(
                _("Handovers not acknowledged"),
                handovers,
                list_url("rosters:handovers", [mall], pending=1),
                level="warning" if handovers else "ok",
            ),
        ],
        charts=[
            cached_trend(
                "rosters-attendance",
                user=user,
                malls=[mall],
                now=now,
                build=lambda: _attendance_trend(user=user, mall=mall, now=now),
            )
        ],
    )


def _attendance_trend(*, user: Any, mall: Mall, now: datetime.datetime) -> Chart:
    today = timezone.localdate(now)
    first = today - datetime.timedelta(days=TREND_DAYS - 1)
    days = attendance_days(user=user, mall=mall, start=first, end=today, now=now)
    per_day = Counter(d.assignment.date for d in days if d.is_exception)
    trend_days = [first + datetime.timedelta(days=n) for n in range(TREND_DAYS)]
    return Chart(
        title=_("Attendance exceptions per day (30 days)"),
        kind="bar",
        labels=[f"{day:%m-%d}" for day in trend_days],
        datasets=[
            {
                "label": _("Attendance exceptions"),
                "data": [per_day.get(day, 0) for day in trend_days],
            }
        ],
    )


def _supplies(*, user: Any, mall: Mall, now: datetime.datetime, suffix: str) -> Panel:
    month = timezone.localdate(now).replace(day=1)
    rows = supply_usage(user=user, malls=[mall], month=month)
    over = [r for r in rows if r.over]
    used = sum(r.used for r in rows)
    expected = sum(r.expected for r in rows)
    waiting = supply_requisition_counts(user=user, malls=[mall])
    usage_url = list_url("rosters:supply_usage", [mall], month=f"{month:%Y-%m}")
    panel = Panel(
        _("Office supplies") + suffix,
        order=40,
        figures=[
            Figure(
                _("This month's use against expected"),
                f"{used} / {expected}",
                usage_url,
                level="warning" if expected and used > expected else "ok",
            ),
            Figure(
                _("Items over expected use"),
                len(over),
                usage_url + "&over=1",
                level="danger" if over else "ok",
            ),
            Figure(
                _("Requisitions awaiting approval"),
                waiting.get(SupplyRequisition.State.REQUESTED, 0),
                list_url("rosters:supplies", [mall], state=SupplyRequisition.State.REQUESTED),
            ),
        ],
    )
    for r in over:
        panel.rows.append((f"{r.post} · {r.item}", f"{r.used} / {r.expected} {r.unit}"))
    return panel


def _meals(*, mall: Mall, now: datetime.datetime, suffix: str) -> Panel:
    """Today's staff meals (three queries a mall)."""
    today = timezone.localdate(now)
    totals = meal_totals(mall=mall, day=today)
    states = meal_day_state(mall=mall, day=today, now=now).values()
    unsent = [s for s in states if s.past_cutoff and not s.sent and totals[s.meal]]
    meal_list = list_url("rosters:meal_list", [mall], date=f"{today:%Y-%m-%d}")
    return Panel(
        _("Staff meals") + suffix,
        order=45,
        figures=[
            Figure(
                _("Meals ordered today (lunch / dinner)"),
                f"{totals['lunch']} / {totals['dinner']}",
                meal_list,
            ),
            Figure(
                _("Meal lists past the cut-off, not sent"),
                len(unsent),
                meal_list,
                level="danger" if unsent else "ok",
            ),
        ],
    )
