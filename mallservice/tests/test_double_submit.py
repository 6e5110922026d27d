"""Every create form runs once per rendering (issue 24, item 5).

A double click, a resubmit after a slow answer or a browser retry sends the
same form twice. Each create form carries a token made when the page was
rendered (`SubmitOnceFormMixin`); the second POST with it is sent to the
first one's result (`SubmitOnceMixin`) instead of creating a second record.
Forms that already held through a natural key (parcel check-in, pick-up,
points, swaps, clock-in, registration) are kept in the same test."""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from broadcasts import services as broadcast_services
from broadcasts.models import (
    Announcement,
    MissingPersonCase,
    RoutineSlot,
    Screen,
    ScreenMessage,
    ScriptTemplate,
)
from complaints.models import Compensation, Complaint, Escalation, FaultReport, OutboxMessage
from complaints.models import PhoneCall as ComplaintCall
from complaints.services.desk import desk_config_ensure
from complaints.tests.factories import make_complaint
from desk.models import Incident, ReleasePass
from mailroom.models import (
    DispatchBatch,
    FoundItem,
    ItemClaim,
    LendableAsset,
    Loan,
    LostReport,
    OutgoingMail,
    Parcel,
    ParcelPickup,
)
from mailroom.tests.factories import (
    SIGNATURE_DATA_URL,
    make_asset,
    make_found_item,
    make_parcel,
)
from mallservice.audit import Source, actor_context
from mallservice.models import SubmissionToken
from mallservice.roles import Role
from mallservice.tests.factories import make_staff
from members import services as member_services
from members.models import CallAttempt, CallTask, Campaign, Card, Member, MemberImport, PointsEntry
from members.tests.factories import CampaignFactory, GiftFactory, MemberFactory, TierFactory
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
    SupplyRequisition,
    SwapRequest,
    TrainingSession,
)
from rosters.tests.factories import roster_setup

TOKEN = re.compile(rb'name="submission_token" value="([0-9a-f-]{36})"')


@dataclass(frozen=True)
class Case:
    """One create form: who opens it, where, what they type, what it makes."""

    id: str
    role: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]]
    count: Callable[[Any], int]
    setup: Callable[[Any], None] = lambda w: None
    # The page the form is on, when it is not the page the form posts to.
    page: Callable[[Any], str] | None = None
    files: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})
    # The mall's clock during the submits, for forms open only at some hours.
    clock: Callable[[Any], datetime.datetime] | None = None


def _intake(w) -> dict[str, Any]:
    return {
        "mall": w.mall.pk,
        "channel": "desk",
        "complainant_name": "王先生",
        "complainant_phone": "138 1234 5678",
        "unit": w.shop.pk,
        "category": w.mall.category_set.get(code="parking").pk,
        "severity": "normal",
        "description": "停车费多收",
    }


def _with_complaint(w) -> None:
    w.complaint = make_complaint(actor=w.desk_user, mall=w.mall, unit=w.shop)


def _local(when: datetime.datetime, fmt: str = "%Y-%m-%dT%H:%M") -> str:
    return timezone.localtime(when).strftime(fmt)


def _with_parcel(w) -> None:
    w.parcel = make_parcel(actor=w.desk_user, mall=w.mall, unit=w.shop)


def _with_outgoing(w) -> None:
    from mailroom import services

    w.outgoing = services.outgoing_log(
        actor=w.desk_user,
        mall=w.mall,
        sender_department="finance",
        addressee="总部财务部",
        carrier="sf",
        cost=23,
    )


def _with_found_item(w) -> None:
    w.item = make_found_item(actor=w.desk_user, mall=w.mall)


def _with_asset(w) -> None:
    w.asset = make_asset(actor=w.desk_user, mall=w.mall)


def _with_member(w) -> None:
    tier = TierFactory(mall=w.mall, code="normal", name="普通", rank=1)
    w.member = MemberFactory(mall=w.mall, registered_by=w.desk_user, tier=tier)


def _with_points_and_gift(w) -> None:
    _with_member(w)
    member_services.points_earn(
        actor=w.desk_user, member=w.member, shop=w.shop, receipt_no="R-1", amount=500
    )
    w.gift = GiftFactory(mall=w.mall, points_cost=100, stock=5)


def _with_card_stock(w) -> None:
    _with_member(w)
    with actor_context(actor_id=w.desk_user.pk, source=Source.WEB):
        member_services.card_batch_receive(
            actor=w.desk_user, mall=w.mall, code="B1", first_number=8800000001, count=5
        )


def _with_call(w) -> None:
    _with_member(w)
    campaign = CampaignFactory(mall=w.mall)  # calls between 10:00 and 20:00
    w.task = CallTask.objects.create(
        mall=w.mall,
        campaign=campaign,
        member=w.member,
        period=datetime.date(2026, 1, 1),
        due_at=timezone.now(),
        assignee=w.desk_user,
    )


def _with_routine_template(w) -> None:
    w.template = broadcast_services.script_template_save(
        actor=w.supervisor_user, mall=w.mall, kind="routine", name="安全提示", body="请注意安全。"
    )


def _with_screen(w) -> None:
    w.screen = broadcast_services.screen_save(
        actor=w.supervisor_user, mall=w.mall, name="东门大屏", location="东门"
    )


def _next_monday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


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
        "incident log entry",
        "desk_user",
        url=lambda w: reverse("desk:incident_new"),
        data=lambda w: {
            "mall": w.mall.pk,
            "kind": "injury",
            "occurred_at": _local(timezone.now() - datetime.timedelta(minutes=10)),
            "unit": w.shop.pk,
            "people_involved": "张女士",
            "description": "扶梯口摔倒",
            "actions_taken": "包扎",
        },
        count=lambda w: Incident.objects.count(),
    ),
    Case(
        "goods release pass request",
        "desk_user",
        url=lambda w: reverse("desk:pass_new"),
        data=lambda w: {
            "mall": w.mall.pk,
            "unit": w.shop.pk,
            "contact_name": "李店长",
            "items": "换季退仓服装",
            "quantity": 12,
            "valid_from": _local(timezone.now()),
            "valid_until": _local(timezone.now() + datetime.timedelta(hours=2)),
        },
        count=lambda w: ReleasePass.objects.count(),
    ),
    Case(
        "complaint intake",
        "desk_user",
        url=lambda w: reverse("complaints:create"),
        data=_intake,
        count=lambda w: Complaint.objects.count(),
    ),
    Case(
        "phone log entry",
        "desk_user",
        url=lambda w: reverse("complaints:calls"),
        data=lambda w: {
            "mall": w.mall.pk,
            "direction": "in",
            "caller_name": "李女士",
            "phone": "13912345678",
            "topic": "inquiry",
            "summary": "问营业时间",
        },
        count=lambda w: ComplaintCall.objects.count(),
    ),
    Case(
        "fault report",
        "desk_user",
        url=lambda w: reverse("complaints:fault_create"),
        data=lambda w: {
            "mall": w.mall.pk,
            "unit": w.shop.pk,
            "fault_type": "lighting",
            "severity": "normal",
            "description": "筒灯不亮",
            "reporter_kind": "staff",
        },
        count=lambda w: FaultReport.objects.count(),
    ),
    Case(
        "compensation request",
        "desk_user",
        setup=_with_complaint,
        url=lambda w: reverse("complaints:detail", args=[w.complaint.pk]),
        data=lambda w: {
            "action": "compensation",
            "compensation-kind": "parking",
            "compensation-amount": "50",
            "compensation-note": "停车券",
        },
        count=lambda w: Compensation.objects.count(),
    ),
    # -- mailroom
    Case(
        "parcel check-in (held by the tracking number)",
        "desk_user",
        url=lambda w: reverse("mailroom:parcel_receive"),
        data=lambda w: {
            "mall": w.mall.pk,
            "tracking_number": "SF 1234 5678 9012",
            "carrier": "sf",
            "recipient_kind": "unit",
            "recipient_unit": w.shop.pk,
            "size": "small",
            "shelf": "B-2",
        },
        count=lambda w: Parcel.objects.count(),
    ),
    Case(
        "parcel pick-up (held by the parcel's state)",
        "desk_user",
        setup=_with_parcel,
        page=lambda w: f"{reverse('mailroom:pickup')}?q={w.parcel.pickup_code}",
        url=lambda w: reverse("mailroom:pickup"),
        data=lambda w: {
            "parcels": [w.parcel.pk],
            "collector_name": "王磊",
            "verification": "id_last4",
            "id_last4": "123x",
            "signature": SIGNATURE_DATA_URL,
        },
        count=lambda w: ParcelPickup.objects.count(),
    ),
    Case(
        "outgoing mail",
        "desk_user",
        url=lambda w: reverse("mailroom:outgoing_create"),
        data=lambda w: {
            "mall": w.mall.pk,
            "sender_department": "finance",
            "addressee": "总部财务部",
            "carrier": "sf",
            "cost": "23.00",
        },
        count=lambda w: OutgoingMail.objects.count(),
    ),
    Case(
        "outgoing dispatch batch",
        "desk_user",
        setup=_with_outgoing,
        page=lambda w: reverse("mailroom:outgoing_list"),
        url=lambda w: reverse("mailroom:outgoing_dispatch"),
        data=lambda w: {"items": [w.outgoing.pk], "carrier": "sf", "courier_name": "顺丰 小李"},
        count=lambda w: DispatchBatch.objects.count(),
    ),
    Case(
        "found item",
        "desk_user",
        url=lambda w: reverse("mailroom:found_create"),
        data=lambda w: {
            "mall": w.mall.pk,
            "category": "wallet",
            "description": "黑色男士钱包",
            "found_at": _local(timezone.now() - datetime.timedelta(hours=1)),
            "found_unit": w.shop.pk,
            "finder_name": "保洁 张阿姨",
            "value_band": "medium",
        },
        count=lambda w: FoundItem.objects.count(),
    ),
    Case(
        "lost report",
        "desk_user",
        url=lambda w: reverse("mailroom:lost_create"),
        data=lambda w: {
            "mall": w.mall.pk,
            "source": "desk",
            "category": "wallet",
            "description": "黑色钱包",
            "lost_on": _local(timezone.now(), "%Y-%m-%d"),
            "reporter_name": "李娜",
            "reporter_phone": "13800138000",
        },
        count=lambda w: LostReport.objects.count(),
    ),
    Case(
        "claim of a found item",
        "desk_user",
        setup=_with_found_item,
        page=lambda w: reverse("mailroom:found_detail", args=[w.item.pk]),
        url=lambda w: reverse("mailroom:claim_create", args=[w.item.pk]),
        data=lambda w: {
            "claimant_name": "李娜",
            "claimant_phone": "138 0013 8000",
            "id_last4": "5678",
            "proof_description": "黑色钱包，里面有一张会员卡",
        },
        count=lambda w: ItemClaim.objects.count(),
    ),
    Case(
        "lendable item",
        "supervisor_user",
        url=lambda w: reverse("mailroom:asset_create"),
        data=lambda w: {"mall": w.mall.pk, "tag": "WC-900", "kind": "wheelchair"},
        count=lambda w: LendableAsset.objects.count(),
    ),
    Case(
        "loan",
        "desk_user",
        setup=_with_asset,
        url=lambda w: reverse("mailroom:loan_lend", args=[w.asset.pk]),
        data=lambda w: {
            "borrower_name": "孙阿姨",
            "borrower_phone": "13700001111",
            "deposit_kind": "id_card",
            "id_last4": "062x",
            "due_at": _local(timezone.now() + datetime.timedelta(hours=3)),
        },
        count=lambda w: Loan.objects.count(),
    ),
    # -- members
    Case(
        "member registration (held by the mobile number)",
        "desk_user",
        url=lambda w: reverse("members:register"),
        data=lambda w: {"phone": "13812345678", "name": "王小明", "source": "desk"},
        count=lambda w: Member.objects.count(),
    ),
    Case(
        "points from a receipt (held by the receipt number)",
        "desk_user",
        setup=_with_member,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:earn", args=[w.member.pk]),
        data=lambda w: {"shop": w.shop.pk, "receipt_no": "R-2", "amount": "200"},
        count=lambda w: PointsEntry.objects.count(),
    ),
    Case(
        "gift redemption",
        "desk_user",
        setup=_with_points_and_gift,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:redeem", args=[w.member.pk]),
        data=lambda w: {"gift": w.gift.pk},
        count=lambda w: PointsEntry.objects.count(),
    ),
    Case(
        "points adjustment",
        "supervisor_user",
        setup=_with_member,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:adjust", args=[w.member.pk]),
        data=lambda w: {"points": "10", "reason": "补录"},
        count=lambda w: PointsEntry.objects.count(),
    ),
    Case(
        "card issue (held by the member's current card)",
        "desk_user",
        setup=_with_card_stock,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:card_issue", args=[w.member.pk]),
        data=lambda w: {"number": ""},
        count=lambda w: Card.objects.filter(member__isnull=False).count(),
    ),
    Case(
        "call outcome",
        "desk_user",
        setup=_with_call,
        clock=lambda w: _at(timezone.localdate(), 14),
        url=lambda w: reverse("members:call_detail", args=[w.task.pk]),
        data=lambda w: {"outcome": "no_answer"},
        count=lambda w: CallAttempt.objects.count(),
    ),
    Case(
        "member import",
        "supervisor_user",
        url=lambda w: reverse("members:imports"),
        data=lambda w: {},
        files=lambda w: {
            "file": SimpleUploadedFile("members.csv", "手机号,姓名\n13812345678,王小明\n".encode())
        },
        count=lambda w: MemberImport.objects.count(),
    ),
    Case(
        "campaign",
        "supervisor_user",
        url=lambda w: reverse("members:campaign_new"),
        data=lambda w: {
            "name": "双十二大型促销通知",
            "kind": "promotion",
            "script": "您好……",
            "min_balance": 0,
            "period_days": 30,
            "window_start": "10:00",
            "window_end": "20:00",
            "max_attempts": 2,
            "retry_minutes": 30,
            "starts_on": "2026-12-01",
            "is_active": "on",
        },
        count=lambda w: Campaign.objects.count(),
    ),
    # -- broadcasts
    Case(
        "announcement request",
        "desk_user",
        url=lambda w: reverse("broadcasts:announcement_create"),
        data=lambda w: {
            "kind": "other",
            "script": "请穿红色外套的王先生到一楼服务台。",
            "repetitions": 1,
            "interval_minutes": 5,
        },
        count=lambda w: Announcement.objects.count(),
    ),
    Case(
        "script template",
        "supervisor_user",
        url=lambda w: reverse("broadcasts:template_create"),
        data=lambda w: {"kind": "promotion", "name": "促销", "body": "{shop_name}今日特惠"},
        count=lambda w: ScriptTemplate.objects.count(),
    ),
    Case(
        "routine broadcast slot",
        "supervisor_user",
        setup=_with_routine_template,
        url=lambda w: reverse("broadcasts:routine_create"),
        data=lambda w: {"template": w.template.pk, "at": "10:30"},
        count=lambda w: RoutineSlot.objects.count(),
    ),
    Case(
        "missing-person case",
        "desk_user",
        url=lambda w: reverse("broadcasts:case_create"),
        data=lambda w: {
            "person_kind": "child",
            "description": "男孩，约五岁",
            "clothing": "红色外套",
            "last_seen_place": "二层玩具店",
            "last_seen_at": _local(timezone.now() - datetime.timedelta(minutes=5)),
            "reporter_name": "王女士",
            "reporter_phone": "13800138000",
            "meeting_point": "一楼服务台",
        },
        count=lambda w: MissingPersonCase.objects.count(),
    ),
    Case(
        "screen message",
        "desk_user",
        setup=_with_screen,
        url=lambda w: reverse("broadcasts:message_create"),
        data=lambda w: {
            "title": "欢迎光临",
            "text": "欢迎光临星河广场",
            "screens": [w.screen.pk],
            "starts_on": _local(timezone.now(), "%Y-%m-%d"),
            "duration_seconds": 10,
            "priority": 0,
        },
        count=lambda w: ScreenMessage.objects.count(),
    ),
    Case(
        "display screen",
        "supervisor_user",
        url=lambda w: reverse("broadcasts:screen_create"),
        data=lambda w: {"name": "西门大屏", "location": "西门", "is_active": "on"},
        count=lambda w: Screen.objects.count(),
    ),
    # -- rosters
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
        clock=lambda w: _at(w.day, 8),
        page=lambda w: f"{reverse('rosters:meals')}?date={w.day}",
        url=lambda w: reverse("rosters:meals"),
        data=lambda w: {"date": w.day, "lunch": "on"},
        count=lambda w: MealOrder.objects.count(),
    ),
    Case(
        "late meal change",
        "desk_user",
        setup=_with_published_week,
        clock=lambda w: _at(w.day, 10, 30),
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
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Signatures and photos go under a throw-away media root.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(mall, other_mall, floor, shop, desk_user, broadcaster_user, supervisor_user):
    desk_config_ensure(mall=mall)
    return SimpleNamespace(
        mall=mall,
        other_mall=other_mall,
        floor=floor,
        shop=shop,
        desk_user=desk_user,
        broadcaster_user=broadcaster_user,
        supervisor_user=supervisor_user,
    )


def _token(content: bytes, action: str | None = None) -> dict[str, str]:
    """The token of the form on the page (of the one posting to `action`
    when the page has several forms)."""
    start = content.find(f'action="{action}"'.encode()) if action else 0
    found = TOKEN.search(content, max(start, 0))
    return {"submission_token": found.group(1).decode()} if found else {}


def _errors(content: bytes) -> list[str]:
    """The error messages on a page shown again, for the failure report."""
    return re.findall(r"(?:danger|invalid-feedback|errorlist)[^>]*>([^<]+)<", content.decode())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_submitting_a_create_form_twice_creates_one_record(client, world, case):
    # given the form as the page renders it
    case.setup(world)
    client.force_login(getattr(world, case.role))
    url = case.url(world)
    with time_machine.travel(case.clock(world), tick=True) if case.clock else nullcontext():
        page = client.get(case.page(world) if case.page else url)
        assert page.status_code == 200
        data = {**case.data(world), **_token(page.content, url if case.page else None)}
        before = case.count(world)
        # when it is submitted twice, as a double click does
        first = client.post(url, {**data, **case.files(world)})
        second = client.post(url, {**data, **case.files(world)})
    # then one record was made, and the second submit shows the first result
    assert first.status_code == 302, _errors(first.content)
    assert case.count(world) == before + 1
    assert second.status_code == 302
    assert second.url == first.url
    if "submission_token" in data:
        with translation.override(second.wsgi_request.LANGUAGE_CODE):
            note = translation.gettext("This form was already submitted; here is the result.")
        assert note in [m.message for m in get_messages(second.wsgi_request)]


@pytest.mark.django_db(transaction=True)
def test_ten_identical_intake_posts_at_once_make_one_complaint_one_sms_one_escalation_set(
    world,
):
    # given the intake form rendered once
    browser = Client()
    browser.force_login(world.desk_user)
    url = reverse("complaints:create")
    data = {**_intake(world), **_token(browser.get(url).content)}
    cookies = browser.cookies
    start = threading.Barrier(10)
    statuses: list[int] = []

    def submit() -> None:
        # Each thread is its own request with its own database connection,
        # as ten gunicorn workers would be.
        client = Client()
        client.cookies = cookies
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    # when it is sent ten times at once
    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one complaint, one SMS and one set of escalation rows were made;
    # every submit was answered with the complaint's slip
    complaint = Complaint.objects.get()
    assert statuses == [302] * 10
    assert OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS).count() == 1
    assert Escalation.objects.filter(complaint=complaint).exists()
    assert not Escalation.objects.exclude(complaint=complaint).exists()
    assert SubmissionToken.objects.get().result_url == reverse(
        "complaints:slip", args=[complaint.pk]
    )
