"""Demo data: a few hundred complaints in every state, and a phone log,
written through the same services as the desk."""

from __future__ import annotations

import datetime
import random
from typing import Any

from complaints.faults import services as fault_services
from complaints.models import (
    Category,
    Channel,
    Compensation,
    Complaint,
    Department,
    FaultType,
    HandlerKind,
    PhoneCall,
    ReporterKind,
    Satisfaction,
    Severity,
    Status,
)
from complaints.services.closing import complaint_callback, complaint_close
from complaints.services.compensation import compensation_decide, compensation_request
from complaints.services.escalation import escalations_dispatch
from complaints.services.intake import complaint_receive
from complaints.services.phone_log import phone_call_log
from complaints.services.reports import summary_build
from complaints.services.workflow import (
    complaint_assign,
    complaint_merge,
    complaint_respond,
    complaint_set_status,
    complaint_verify,
)
from mallservice.clock import local_date
from mallservice.models import Mall, Unit
from members.models import Tier

STORIES = [
    ("product_quality", "新买的羽绒服穿了一次就开线", "退货退款"),
    ("service_attitude", "店员态度冷淡，试穿时被催促", "店铺道歉"),
    ("price_receipt", "结账价格与标签价不一致，多收了 30 元", "退还差价"),
    ("returns", "七天内未拆吊牌，店铺拒绝退换", "按规定退换"),
    ("facilities", "二层洗手间无纸巾且地面湿滑", "尽快清洁"),
    ("parking", "停车场缴费机故障，排队二十分钟", "减免停车费"),
    ("safety", "扶梯运行时有异响并突然停顿", "立即检修"),
    ("other", "中庭活动音响声音过大", "调低音量"),
]
NAMES = ["王先生", "李女士", "张女士", "刘先生", "陈女士", "杨先生", "赵女士", "周先生"]


def seed(
    *, malls: list[Mall], staff: dict[str, Any], rng: random.Random, now: datetime.datetime
) -> None:
    desks = {m.pk: [u for u in staff.values() if u.mall_id == m.pk] for m in malls}
    for mall in malls:
        actor = desks[mall.pk][0]
        supervisor = next((u for u in desks[mall.pk] if "supervisor" in u.username), actor)
        categories = {c.code: c for c in Category.objects.filter(mall=mall)}
        shops = list(Unit.objects.filter(mall=mall, kind=Unit.Kind.SHOP).select_related("floor"))
        areas = list(
            Unit.objects.filter(mall=mall).exclude(kind=Unit.Kind.SHOP).select_related("floor")
        )
        paused = Status.objects.get(mall=mall, code="waiting_customer")
        # Some complainants say their tier without the card (the members
        # demo's `prepare` made the tiers; without it, nobody does).
        tier_codes = list(Tier.objects.filter(mall=mall).values_list("code", flat=True))
        made: list[Complaint] = []
        for i in range(150):
            code, text, remedy = rng.choice(STORIES)
            unit = rng.choice(areas if code in ("facilities", "parking", "safety") else shops)
            at = now - datetime.timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 600))
            c = complaint_receive(
                actor=actor,
                mall=mall,
                channel=rng.choice(Channel.values),
                complainant_name=rng.choice(NAMES),
                complainant_phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                member_tier=rng.choice(["", "", "", "", *tier_codes]),
                unit=unit,
                category=categories[code],
                description=text,
                remedy_requested=remedy,
                severity=Severity.SAFETY
                if code == "safety"
                else rng.choice([Severity.NORMAL, Severity.URGENT]),
                now=at,
            )
            made.append(c)
            stage = i % 7
            t = at + datetime.timedelta(minutes=20)
            if stage == 0:
                continue  # new
            if unit.kind == Unit.Kind.SHOP:
                kw = {"handler_kind": HandlerKind.SHOP, "handler_unit": unit}
            else:
                kw = {
                    "handler_kind": HandlerKind.DEPARTMENT,
                    "handler_department": rng.choice(Department.values),
                }
            c = complaint_assign(
                actor=actor, complaint=c, due_at=t + datetime.timedelta(hours=4), now=t, **kw
            )
            if stage == 1:
                continue
            if stage == 2:
                complaint_set_status(actor=actor, complaint=c, status=paused, now=t)
                continue
            t += datetime.timedelta(hours=2)
            c = complaint_respond(
                actor=actor, complaint=c, response="已与顾客沟通，按顾客要求处理。", now=t
            )
            if stage == 3:
                continue
            c = complaint_verify(actor=actor, complaint=c, now=t)
            if i % 10 == 0:
                comp = compensation_request(
                    actor=actor, complaint=c, kind=Compensation.Kind.PARKING, amount=20, now=t
                )
                if supervisor != actor:
                    compensation_decide(actor=supervisor, compensation=comp, approve=True, now=t)
            if stage == 4:
                continue
            t += datetime.timedelta(hours=20)
            c = complaint_callback(
                actor=actor, complaint=c, satisfaction=rng.choice(Satisfaction.values), now=t
            )
            if stage == 5:
                continue
            complaint_close(actor=actor, complaint=c, now=t)
        # Two duplicates merged into their originals.
        live = list(Complaint.objects.filter(mall=mall, state=Complaint.State.NEW)[:4])
        if len(live) >= 4:
            complaint_merge(actor=actor, complaint=live[1], into=live[0], now=now)
            complaint_merge(actor=actor, complaint=live[3], into=live[2], now=now)
        for j in range(40):
            phone_call_log(
                actor=actor,
                mall=mall,
                topic=rng.choice(PhoneCall.Topic.values),
                caller_name=rng.choice(NAMES),
                phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
                summary="咨询营业时间及停车收费",
                outcome="已答复",
                now=now - datetime.timedelta(hours=j * 3),
            )
        _seed_faults(mall=mall, actor=actor, rng=rng, now=now, shops=shops, areas=areas)
        escalations_dispatch(now=now, limit=10000)
        # The week so far, as the Sunday dispatcher would store it (the
        # day itself is the daily report's complaints section).
        today = local_date(now)
        summary_build(
            mall=mall,
            period="week",
            starts_on=today - datetime.timedelta(days=6),
            ends_on=today,
            now=now,
            email=False,
        )


FAULTS = [
    (FaultType.LIGHTING, "走廊筒灯不亮，有两盏闪烁"),
    (FaultType.LIFT, "扶梯运行时有异响"),
    (FaultType.AIR_CONDITIONING, "空调出风口滴水"),
    (FaultType.WATER, "洗手台水龙头关不紧"),
    (FaultType.TOILETS, "洗手间马桶堵塞"),
    (FaultType.DOORS, "消防通道门闭门器损坏"),
    (FaultType.SIGNAGE, "导视牌灯箱不亮"),
    (FaultType.SCREENS, "中庭大屏黑屏"),
    (FaultType.OTHER, "地面瓷砖松动"),
]


def _seed_faults(
    *,
    mall: Mall,
    actor: Any,
    rng: random.Random,
    now: datetime.datetime,
    shops: list[Unit],
    areas: list[Unit],
) -> None:
    """A few dozen fault reports in every step, some repeats at one place."""
    places = areas or shops
    for i in range(36):
        # Three of every four are toilet faults at one place: repeats.
        fault_type, text = FAULTS[i % len(FAULTS)] if i % 4 == 0 else FAULTS[4]
        unit = places[(i // 4) % len(places)] if i % 4 else rng.choice(places)
        at = now - datetime.timedelta(days=rng.randint(0, 25), minutes=rng.randint(0, 600))
        reporter = rng.choice(ReporterKind.values)
        fault = fault_services.fault_report(
            actor=actor,
            mall=mall,
            unit=unit,
            fault_type=fault_type,
            description=text,
            severity="safety" if fault_type == FaultType.LIFT else rng.choice(["normal", "urgent"]),
            reporter_kind=reporter,
            reporter_name=rng.choice(NAMES) if reporter != ReporterKind.STAFF else "",
            reporter_unit=rng.choice(shops) if reporter == ReporterKind.SHOP else None,
            now=at,
        )
        stage = (i + i // 4) % 4
        if stage == 0:
            continue  # with the handler
        t = at + datetime.timedelta(hours=rng.randint(1, 6))
        fault = fault_services.fault_fix_record(
            actor=actor,
            fault=fault,
            fix_text="已更换损坏部件，恢复正常。",
            handler_name="工程部 李工",
            now=t,
        )
        if stage == 1:
            continue  # fix recorded, waiting for the desk
        if stage == 2 and i % 8 == 2:
            fault_services.fault_send_back(actor=actor, fault=fault, reason="复查仍有问题", now=t)
            continue
        fault_services.fault_close(actor=actor, fault=fault, now=t + datetime.timedelta(hours=1))
