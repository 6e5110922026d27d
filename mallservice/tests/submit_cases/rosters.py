"""The rosters app's create forms in the double-submit test."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from mallservice.audit import Source, actor_context
from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from mallservice.tests.submit_cases.case import Case, at
from rosters import services as roster_services
from rosters.models import (
    Assignment,
    ClockEvent,
    Handover,
    Inspection,
    LeaveRequest,
    MealChangeRequest,
    MealOrder,
    OffPostRecord,
    SpotCheck,
    SupplyRequisition,
    SwapRequest,
    TrainingSession,
)
from rosters.tests.factories import roster_setup


def _next_monday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def _with_roster(w) -> None:
    w.colleague = make_staff(role=Role.DESK, mall=w.mall, username="desk2")
    w.shifts, w.posts = roster_setup(w.mall, qualified=[w.desk_user, w.colleague])


def _with_published_week(w) -> None:
    """Next Monday published: desk_user on A, the colleague on C."""
    _with_roster(w)
    w.day = _next_monday()
    with actor_context(actor_id=w.supervisor_user.pk, source=Source.WEB):
        for person, code in ((w.desk_user, "A"), (w.colleague, "C")):
            roster_services.assignment_set(
                actor=w.supervisor_user,
                mall=w.mall,
                staff=person,
                date=w.day,
                shift_type=w.shifts[code],
                post=w.posts["desk"],
            )
        week = roster_services.week_get_or_create(actor=w.supervisor_user, mall=w.mall, day=w.day)
        roster_services.week_publish(actor=w.supervisor_user, week=week)
    w.mine = Assignment.objects.get(staff=w.desk_user)
    w.theirs = Assignment.objects.get(staff=w.colleague)


def _with_supplies(w) -> None:
    _with_roster(w)
    w.item = roster_services.supply_item_create(
        actor=w.supervisor_user, mall=w.mall, code="roll", name="小票纸", unit="卷"
    )
    roster_services.supply_allowance_set(
        actor=w.supervisor_user, post=w.posts["desk"], item=w.item, monthly_quantity=5
    )


CASES = [
    Case(
        "shift on the week grid (held by staff and day)",
        "supervisor_user",
        setup=_with_roster,
        url=lambda w: reverse("rosters:week"),
        data=lambda w: {
            "staff": w.desk_user.pk,
            "date": _next_monday(),
            "shift_type": w.shifts["A"].pk,
            "post": w.posts["desk"].pk,
        },
        count=lambda w: Assignment.objects.count(),
    ),
    Case(
        "shift swap (held by the open swap of the shift)",
        "desk_user",
        setup=_with_published_week,
        url=lambda w: reverse("rosters:swaps"),
        data=lambda w: {"mine": w.mine.pk, "theirs": w.theirs.pk, "reason": "家里有事"},
        count=lambda w: SwapRequest.objects.count(),
    ),
    Case(
        "leave request",
        "desk_user",
        url=lambda w: reverse("rosters:leave"),
        data=lambda w: {
            "kind": "personal",
            "start_date": _next_monday(),
            "end_date": _next_monday(),
            "reason": "家里有事",
        },
        count=lambda w: LeaveRequest.objects.count(),
    ),
    Case(
        "clock-in (held by the open clock-in)",
        "desk_user",
        url=lambda w: reverse("rosters:clock"),
        data=lambda w: {"kind": "in"},
        count=lambda w: ClockEvent.objects.count(),
    ),
    Case(
        "off post",
        "desk_user",
        setup=_with_roster,
        url=lambda w: reverse("rosters:offpost"),
        data=lambda w: {"post": w.posts["desk"].pk, "reason": "去洗手间"},
        count=lambda w: OffPostRecord.objects.count(),
    ),
    Case(
        "inspection",
        "supervisor_user",
        url=lambda w: reverse("rosters:inspections"),
        data=lambda w: {
            "staff": w.desk_user.pk,
            "date": timezone.localdate(),
            "discipline": 5,
            "attitude": 4,
            "appearance": 5,
            "skills": 4,
        },
        count=lambda w: Inspection.objects.count(),
    ),
    Case(
        "training session",
        "supervisor_user",
        url=lambda w: reverse("rosters:training"),
        data=lambda w: {
            "topic": "投诉处理流程",
            "date": timezone.localdate(),
            "trainer": "张主管",
            "attendees": [w.desk_user.pk],
        },
        count=lambda w: TrainingSession.objects.count(),
    ),
    Case(
        "shift handover",
        "desk_user",
        setup=_with_roster,
        url=lambda w: reverse("rosters:handovers"),
        data=lambda w: {"post": w.posts["desk"].pk, "note": "雨伞在抽屉里"},
        count=lambda w: Handover.objects.count(),
    ),
    Case(
        "supply requisition",
        "desk_user",
        setup=_with_supplies,
        url=lambda w: reverse("rosters:supplies"),
        data=lambda w: {
            "post": w.posts["desk"].pk,
            "item": w.item.pk,
            "quantity": 2,
            "reason": "打印小票",
        },
        count=lambda w: SupplyRequisition.objects.count(),
    ),
    Case(
        "meal order (held by staff and day)",
        "desk_user",
        setup=_with_published_week,
        clock=lambda w: at(w.day, 8),
        page=lambda w: f"{reverse('rosters:meals')}?date={w.day}",
        url=lambda w: reverse("rosters:meals"),
        data=lambda w: {"date": w.day, "lunch": "on"},
        count=lambda w: MealOrder.objects.count(),
    ),
    Case(
        "late meal change",
        "desk_user",
        setup=_with_published_week,
        clock=lambda w: at(w.day, 10, 30),
        page=lambda w: f"{reverse('rosters:meals')}?date={w.day}",
        url=lambda w: reverse("rosters:meals"),
        data=lambda w: {
            "action": "change",
            "change-date": w.day,
            "change-lunch": "on",
            "change-reason": "临时加班",
        },
        count=lambda w: MealChangeRequest.objects.count(),
    ),
    Case(
        "spot check (查岗)",
        "supervisor_user",
        setup=_with_published_week,
        clock=lambda w: at(w.day, 10),
        url=lambda w: reverse("rosters:spot_check_new"),
        data=lambda w: {"present": [w.desk_user.pk], "note": "上午查岗"},
        count=lambda w: SpotCheck.objects.count(),
    ),
]
