"""Demo data: a month of incidents per mall (a few urgent, most closed,
some with follow-up) and a week of walk-in services at the desk's usual
rhythm, written through the same services as the desk."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.utils import timezone

from desk import demo_counter
from desk.demo_registers import footage_seed, returns_seed
from desk.models import DeskSettings, Incident, WalkInCategory, WalkInService
from desk.services.incidents import incident_close, incident_follow_up, incident_report
from desk.services.passes import pass_decide, pass_request
from mallservice.models import Unit
from mallservice.roles import Role

INCIDENTS = [
    (
        Incident.Kind.INJURY,
        "顾客在扶梯口摔倒，膝盖擦伤",
        "张女士，约60岁",
        "提供急救箱消毒包扎，陪同休息",
    ),
    (Incident.Kind.MEDICAL, "顾客突发头晕，面色苍白", "男性顾客，约45岁", "扶至休息区，拨打120"),
    (
        Incident.Kind.FIGHT,
        "两名顾客因排队发生争执并推搡",
        "两名男性顾客",
        "安保到场劝离，双方已离开",
    ),
    (Incident.Kind.POWER, "B1 层部分照明断电约15分钟", "—", "通知工程部抢修，广播安抚顾客"),
    (Incident.Kind.LIFT, "3号客梯困人，2人被困约10分钟", "两名顾客", "通知电梯维保，安抚被困人员"),
    (Incident.Kind.FIRE_ALARM, "餐饮区烟感报警，系油烟误报", "—", "消控中心确认误报，复位"),
]
TALLY_PER_HOUR = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 9, 12, 10, 8, 9, 11, 14, 15, 13, 10, 6, 2]


def seed(*, malls: list, staff: Any, rng: Any, now: datetime.datetime) -> None:
    users = list(staff.values()) if isinstance(staff, dict) else list(staff)
    for mall in malls:
        DeskSettings.objects.update_or_create(
            mall=mall,
            defaults={"duty_manager_name": "值班经理 王强", "duty_manager_phone": "13900001111"},
        )
        desk = [
            u for u in users if u.mall_id == mall.pk and u.groups.filter(name=Role.DESK).exists()
        ]
        supervisor = next(
            (
                u
                for u in users
                if u.mall_id == mall.pk and u.groups.filter(name=Role.SUPERVISOR).exists()
            ),
            None,
        )
        if not desk:
            continue
        _incidents(mall, desk, supervisor, rng, now)
        _walkins(mall, desk, rng, now)
        _passes(mall, desk, rng, now)
        returns_seed(mall=mall, desk=desk, rng=rng, now=now)
        footage_seed(mall=mall, desk=desk, supervisor=supervisor, rng=rng, now=now)
        demo_counter.seed(mall=mall, desk=desk, supervisor=supervisor, rng=rng, now=now)


def _incidents(mall, desk, supervisor, rng, now) -> None:
    units = list(Unit.objects.filter(mall=mall, is_active=True).select_related("floor")[:40])
    for n in range(30):
        kind, what, who, actions = INCIDENTS[n % len(INCIDENTS)]
        occurred = now - datetime.timedelta(days=rng.randint(0, 30), minutes=rng.randint(30, 600))
        unit = rng.choice(units) if units else None
        incident = incident_report(
            actor=rng.choice(desk),
            mall=mall,
            kind=kind,
            occurred_at=occurred,
            unit=unit,
            floor=unit.floor if unit else None,
            people_involved=who,
            description=what,
            actions_taken=actions,
            urgent=kind in (Incident.Kind.MEDICAL, Incident.Kind.LIFT),
            ambulance_called=kind == Incident.Kind.MEDICAL,
            police_called=kind == Incident.Kind.FIGHT and n % 2 == 0,
            now=occurred + datetime.timedelta(minutes=20),
        )
        if n % 3:
            incident_follow_up(
                actor=rng.choice(desk),
                incident=incident,
                note="已电话回访当事人，情况稳定",
                now=occurred + datetime.timedelta(hours=2),
            )
        if supervisor is not None and n % 4 and occurred < now - datetime.timedelta(days=1):
            incident_close(
                actor=supervisor,
                incident=incident,
                closing_note="已处理完毕，无后续诉求",
                now=occurred + datetime.timedelta(days=1),
            )


def _walkins(mall, desk, rng, now) -> None:
    categories = list(WalkInCategory.objects.filter(mall=mall, is_active=True))
    if not categories:
        return
    weights = [8, 6, 2, 3, 2, 1, 1, 1][: len(categories)] + [1] * max(0, len(categories) - 8)
    rows = []
    today = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    for days_back in range(7):
        for hour, per_hour in enumerate(TALLY_PER_HOUR):
            start = today.replace(hour=hour) - datetime.timedelta(days=days_back)
            if start > now:
                continue
            for _ in range(per_hour):
                rows.append(
                    WalkInService(
                        mall=mall,
                        category=rng.choices(categories, weights)[0],
                        at=start + datetime.timedelta(minutes=rng.randint(0, 59)),
                        by=rng.choice(desk),
                        token=str(uuid.UUID(int=rng.getrandbits(128))),
                    )
                )
    WalkInService.objects.bulk_create(rows, batch_size=1000)


PASS_GOODS = [
    ("换季退仓服装", 12, "沪A·3K721"),
    ("展示柜 1 组", 1, "沪B·77Q05"),
    ("返厂维修电器", 3, ""),
    ("活动物料", 6, "沪A·90M18"),
]


def _passes(mall, desk, rng, now) -> None:
    shops = list(Unit.objects.filter(mall=mall, kind="shop", is_active=True)[:20])
    if not shops:
        return
    for n in range(8):
        items, quantity, vehicle = PASS_GOODS[n % len(PASS_GOODS)]
        start = now + datetime.timedelta(hours=n - 3)
        release = pass_request(
            actor=rng.choice(desk),
            mall=mall,
            unit=rng.choice(shops),
            contact_name="店长",
            items=items,
            quantity=quantity,
            vehicle=vehicle,
            valid_from=start,
            valid_until=start + datetime.timedelta(hours=4),
            now=now - datetime.timedelta(hours=4),
        )
        if n % 4 == 1:
            pass_decide(actor=desk[0], release=release, approve=False, reason="未盖店铺公章")
        elif n % 4 != 0:
            pass_decide(actor=desk[0], release=release, approve=True)
