"""Demo rosters: shift types and posts in each mall, a published roster for
this week and next, a swap waiting for the supervisor, leave, clock-ins,
an off-post absence over 30 minutes, inspections, a training session,
handovers, office supplies and staff meal orders (员工订餐)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from mallservice.models import Mall, User
from rosters.meals.services import (
    meal_change_request_approve,
    meal_change_request_create,
    meal_order_set,
    meal_sheet_send,
)
from rosters.models import Assignment, Meal, Week
from rosters.selectors.roster import week_start_of
from rosters.services.attendance import clock_pin_set, clock_record
from rosters.services.handover import handover_acknowledge, handover_create
from rosters.services.inspections import inspection_record
from rosters.services.leave import leave_request_approve, leave_request_create
from rosters.services.off_post import off_post_flag_due, off_post_start
from rosters.services.roster import (
    assignment_set,
    post_create,
    post_qualify,
    shift_type_create,
    week_get_or_create,
    week_publish,
)
from rosters.services.supplies import (
    supply_allowance_set,
    supply_item_create,
    supply_requisition_approve,
    supply_requisition_create,
    supply_requisition_issue,
)
from rosters.services.swaps import swap_request_accept, swap_request_create
from rosters.services.training import training_session_record

SHIFTS = [
    ("A", "早班", datetime.time(8, 30), datetime.time(14, 30)),
    ("B", "中班", datetime.time(11, 0), datetime.time(18, 0)),
    ("C", "晚班", datetime.time(14, 30), datetime.time(21, 0)),
]
POSTS = [("desk", "前台客服台", 2), ("broadcast", "播音室", 1), ("mailroom", "收发室", 1)]
TEAMS = [
    (0, "supervisor1", ["desk1", "desk2", "desk3"], ["broadcaster1"]),
    (1, "supervisor2", ["desk4", "desk5"], ["broadcaster2"]),
]


def seed(*, malls: list[Mall], staff: dict[str, User], rng: random.Random, now: Any) -> None:
    for mall_index, supervisor_name, desk_names, broadcaster_names in TEAMS:
        _seed_mall(
            mall=malls[mall_index],
            supervisor=staff[supervisor_name],
            desk=[staff[n] for n in desk_names],
            broadcasters=[staff[n] for n in broadcaster_names],
            rng=rng,
            now=now,
        )


def _seed_mall(
    *,
    mall: Mall,
    supervisor: User,
    desk: list[User],
    broadcasters: list[User],
    rng: random.Random,
    now: datetime.datetime,
) -> None:
    shifts = {
        code: shift_type_create(
            actor=supervisor, mall=mall, code=code, name=name, start=start, end=end
        )
        for code, name, start, end in SHIFTS
    }
    posts = {
        code: post_create(actor=supervisor, mall=mall, code=code, name=name, min_staff=n)
        for code, name, n in POSTS
    }
    for person in desk:
        for code in ("desk", "mailroom"):
            post_qualify(actor=supervisor, post=posts[code], staff=person)
    for person in broadcasters:
        for code in ("desk", "broadcast"):
            post_qualify(actor=supervisor, post=posts[code], staff=person)
    for i, person in enumerate([*desk, *broadcasters]):
        person.staff_no = person.staff_no or f"K{mall.pk}{i + 1:02d}"
        person.save(update_fields=["staff_no"])
        clock_pin_set(actor=person, staff=person, mall=mall, pin="1234")

    # This week and next: desk staff rotate desk A / desk C / mailroom B,
    # broadcasters work B in the broadcast room; one day off each in turn.
    today = timezone.localdate(now)
    this_monday = week_start_of(today)
    rotation = [("desk", "A"), ("desk", "C"), ("mailroom", "B")]
    for week_offset in (0, 7):
        monday = this_monday + datetime.timedelta(days=week_offset)
        for d in range(7):
            day = monday + datetime.timedelta(days=d)
            for i, person in enumerate(desk):
                if (d + 2 * i) % 7 == 6:
                    continue
                post, shift = rotation[(d + i) % 3]
                _assign(supervisor, mall, person, day, shifts[shift], posts[post])
            for person in broadcasters:
                if d != 6:
                    _assign(supervisor, mall, person, day, shifts["B"], posts["broadcast"])
        week = week_get_or_create(actor=supervisor, mall=mall, day=monday)
        week_publish(
            actor=supervisor, week=week, now=now - datetime.timedelta(days=10 - week_offset)
        )

    # A swap next week, accepted by the colleague, waiting for the supervisor.
    next_monday = this_monday + datetime.timedelta(days=7)
    candidates = list(
        Assignment.objects.filter(mall=mall, date__gte=next_monday, staff__in=desk)
        .select_related("week", "post", "mall")
        .order_by("date", "staff_id")
    )
    done = False
    for mine in candidates:
        for theirs in candidates:
            if done or mine.staff_id == theirs.staff_id or mine.date != theirs.date:
                continue
            try:
                swap = swap_request_create(
                    actor=mine.staff,
                    mine=mine,
                    theirs=theirs,
                    reason="家里有事，想换个班次",
                    now=now,
                )
                swap_request_accept(actor=theirs.staff, swap=swap, now=now)
                done = True
            except ValidationError:
                continue

    # Leave: long annual leave waiting for supervisor and manager; a sick
    # day filed after the fact and approved.
    leave_request_create(
        actor=desk[-1],
        mall=mall,
        kind="annual",
        start_date=today + datetime.timedelta(days=20),
        end_date=today + datetime.timedelta(days=24),
        reason="回老家探亲",
        now=now,
    )
    sick = leave_request_create(
        actor=desk[0],
        mall=mall,
        kind="sick",
        start_date=today - datetime.timedelta(days=1),
        end_date=today - datetime.timedelta(days=1),
        reason="发烧，已就医",
        now=now,
    )
    leave_request_approve(actor=supervisor, leave=sick, now=now)

    # Clock-ins for shifts that have started, a little early or late.
    for assignment in Assignment.objects.filter(
        mall=mall, starts_at__lte=now, date__gte=this_monday
    ).order_by("starts_at"):
        if assignment.staff_id == desk[0].pk and assignment.date == sick.start_date:
            continue
        clock_in = assignment.starts_at + datetime.timedelta(minutes=rng.randint(-10, 15))
        if clock_in > now:
            continue
        try:
            clock_record(staff=assignment.staff, mall=mall, kind="in", now=clock_in)
            clock_out = assignment.ends_at + datetime.timedelta(minutes=rng.randint(-8, 10))
            if clock_out <= now and rng.random() > 0.05:
                clock_record(staff=assignment.staff, mall=mall, kind="out", now=clock_out)
        except ValidationError:
            continue

    # Off post for 40 minutes and not back: flagged to the supervisor.
    off_post_start(
        actor=desk[0],
        mall=mall,
        post=posts["desk"],
        reason="身体不适，去医务室",
        covered_by=desk[1],
        now=now - datetime.timedelta(minutes=40),
    )
    off_post_flag_due(now=now)

    # Daily inspections of the past few days and one training session.
    for back in range(1, 4):
        for person in desk:
            inspection_record(
                actor=supervisor,
                mall=mall,
                staff=person,
                date=today - datetime.timedelta(days=back),
                discipline=rng.randint(3, 5),
                attitude=rng.randint(3, 5),
                appearance=rng.randint(4, 5),
                skills=rng.randint(3, 5),
                note=rng.choice(["", "微笑服务到位", "仪容需注意", "业务熟练"]),
            )
    training_session_record(
        actor=supervisor,
        mall=mall,
        topic="投诉处理与服务礼仪",
        date=today.replace(day=1),
        trainer=str(supervisor),
        attendees=[*desk, *broadcasters],
    )
    _seed_handovers(mall=mall, desk=desk, posts=posts, now=now)
    _seed_supplies(mall=mall, supervisor=supervisor, desk=desk, posts=posts, rng=rng, now=now)
    _seed_meals(mall=mall, supervisor=supervisor, desk=desk, rng=rng, now=now)


def _seed_handovers(*, mall: Mall, desk: list[User], posts: dict, now: datetime.datetime) -> None:
    """Yesterday evening's handover, taken over the next morning; this
    morning's, still waiting for the afternoon shift."""
    yesterday = handover_create(
        actor=desk[1],
        mall=mall,
        post=posts["desk"],
        note="3 号服务台的打印机卡纸，已报工程部。",
        now=now - datetime.timedelta(hours=16),
    )
    handover_acknowledge(
        actor=desk[0], handover=yesterday, now=now - datetime.timedelta(hours=15, minutes=50)
    )
    handover_create(
        actor=desk[0],
        mall=mall,
        post=posts["desk"],
        note="王女士下午会来取遗失的雨伞；投诉回访名单已打印放在抽屉里。",
        now=now - datetime.timedelta(minutes=20),
    )


SUPPLIES = [
    ("pen", "签字笔", "支", {"desk": 20, "mailroom": 10, "broadcast": 5}),
    ("paper", "A4 打印纸", "包", {"desk": 4, "mailroom": 2}),
    ("receipt-roll", "小票打印纸", "卷", {"desk": 12}),
    ("battery", "5 号电池", "节", {"broadcast": 8, "desk": 4}),
    ("tape", "封箱胶带", "卷", {"mailroom": 6}),
]


def _seed_supplies(
    *,
    mall: Mall,
    supervisor: User,
    desk: list[User],
    posts: dict,
    rng: random.Random,
    now: datetime.datetime,
) -> None:
    """Items with each post's expected monthly use (预损耗量), this month's
    issues (receipt rolls running over at the desk) and requisitions waiting."""
    items = {}
    for code, name, unit, allowances in SUPPLIES:
        items[code] = supply_item_create(
            actor=supervisor, mall=mall, code=code, name=name, unit=unit
        )
        for post_code, quantity in allowances.items():
            supply_allowance_set(
                actor=supervisor,
                post=posts[post_code],
                item=items[code],
                monthly_quantity=quantity,
            )
    month_start = timezone.localtime(now).replace(day=1, hour=9, minute=0, second=0)
    issued = [
        ("desk", "receipt-roll", 15, "节前客流大，小票用得快"),
        ("desk", "pen", 12, "笔被顾客带走"),
        ("mailroom", "tape", 3, "快递封箱"),
        ("broadcast", "battery", 4, "无线话筒换电池"),
    ]
    for i, (post_code, item_code, quantity, reason) in enumerate(issued):
        at = min(month_start + datetime.timedelta(hours=i), now)
        requisition = supply_requisition_create(
            actor=desk[i % len(desk)],
            mall=mall,
            post=posts[post_code],
            item=items[item_code],
            quantity=quantity,
            reason=reason,
            now=at,
        )
        supply_requisition_approve(actor=supervisor, requisition=requisition, now=at)
        supply_requisition_issue(actor=supervisor, requisition=requisition, now=at)
    supply_requisition_create(
        actor=desk[0],
        mall=mall,
        post=posts["desk"],
        item=items["paper"],
        quantity=rng.randint(1, 3),
        reason="打印投诉回执",
        now=now,
    )


def _assign(supervisor, mall, person, day, shift, post) -> None:
    try:
        assignment_set(
            actor=supervisor, mall=mall, staff=person, date=day, shift_type=shift, post=post
        )
    except ValidationError:
        pass  # the rotation broke the rest rule for this person: leave the day off


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute)),
        timezone.get_default_timezone(),
    )


def _seed_meals(
    *, mall: Mall, supervisor: User, desk: list[User], rng: random.Random, now: datetime.datetime
) -> None:
    """This week's meals so far and tomorrow's: most people on shift order
    lunch, the later shifts dinner too; the past days' lists were sent by
    the desk after each cut-off, today's not yet, and one desk member still
    has to order today. Two late changes of past days: one approved after
    the list went out, one waiting for the supervisor."""
    today = timezone.localdate(now)
    shifts = Assignment.objects.filter(
        mall=mall,
        week__state=Week.State.PUBLISHED,
        date__gte=week_start_of(today),
        date__lte=today + datetime.timedelta(days=1),
    ).select_related("shift_type", "staff")
    for a in shifts.order_by("date", "starts_at"):
        if a.date == today and a.staff_id == desk[-1].pk:
            continue  # "order your meal before 10:00" on their home page
        # Past days were ordered that morning; today and tomorrow by now.
        ordered_at = _at(a.date, 8) if a.date < today else min(_at(today, 8), now)
        try:
            meal_order_set(
                actor=a.staff,
                mall=mall,
                date=a.date,
                lunch=rng.random() < 0.9,
                dinner=a.shift_type.end.hour >= 18 and rng.random() < 0.8,
                note=rng.choice(["", "", "", "不吃辣", "少饭", "素食"]),
                now=ordered_at,
            )
        except ValidationError:
            continue  # on leave that day, or nothing ticked
    for back in range(1, today.weekday() + 1):
        day = today - datetime.timedelta(days=back)
        for meal, hour in ((Meal.LUNCH, 10), (Meal.DINNER, 15)):
            meal_sheet_send(
                actor=desk[back % len(desk)], mall=mall, date=day, meal=meal, now=_at(day, hour, 5)
            )
    _seed_meal_changes(mall=mall, supervisor=supervisor, desk=desk, now=now)


def _seed_meal_changes(
    *, mall: Mall, supervisor: User, desk: list[User], now: datetime.datetime
) -> None:
    """Desk staff ask at 16:00 on a past day to switch their dinner; the
    first is approved, the second waits."""
    today = timezone.localdate(now)
    past = Assignment.objects.filter(
        mall=mall, staff__in=desk, date__gte=week_start_of(today), date__lt=today
    ).order_by("date", "staff_id")
    asked: set[int] = set()
    for a in past:
        if a.staff_id in asked or len(asked) == 2:
            continue
        order = a.staff.meal_orders.filter(date=a.date).first()
        had_dinner = bool(order and order.dinner)
        try:
            request = meal_change_request_create(
                actor=a.staff,
                mall=mall,
                date=a.date,
                lunch=bool(order and order.lunch),
                dinner=not had_dinner,
                reason="晚上有事，提前下班" if had_dinner else "临时加班到晚上",
                now=_at(a.date, 16),
            )
        except ValidationError:
            continue  # on leave that day
        if not asked:
            meal_change_request_approve(
                actor=supervisor,
                request=request,
                note="同意，已电话通知食堂",
                now=_at(a.date, 16, 20),
            )
        asked.add(a.staff_id)
