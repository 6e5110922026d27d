"""Demo data of the returns and CCTV registers: a handful of cases per
mall in every state, written through the same services as the desk."""

from __future__ import annotations

import datetime
from typing import Any

from complaints.models import Category
from desk.models import ReturnCase
from desk.services.returns import return_escalate, return_record, return_settle, return_step_add
from mallservice.models import Mall, Unit

RETURNS = [
    # goods, reason, what the customer asks, shop's answer, outcome
    ("羊毛衫 M 码", ReturnCase.Reason.SIZE, "尺码偏小，想换 L 码", "可换，吊牌完好", "exchange"),
    ("蓝牙耳机", ReturnCase.Reason.QUALITY, "左耳无声音，要求退货", "三包期内，同意退货", "refund"),
    ("运动鞋", ReturnCase.Reason.CHANGED_MIND, "不喜欢颜色，想退", "已穿着，不同意退", "refused"),
    ("电饭煲", ReturnCase.Reason.QUALITY, "内胆涂层脱落", "送厂家维修", "repair"),
    ("连衣裙", ReturnCase.Reason.OTHER, "收到的是错误款式", "", ""),
    (
        "手表",
        ReturnCase.Reason.QUALITY,
        "走时不准，商户拒绝处理",
        "超过七天，只修不退",
        "complaint",
    ),
]


def returns_seed(*, mall: Mall, desk: list, rng: Any, now: datetime.datetime) -> None:
    shops = list(Unit.objects.filter(mall=mall, kind="shop", is_active=True)[:20])
    if not shops:
        return
    category = Category.objects.filter(mall=mall, code="returns").first()
    for n, (goods, reason, request, answer, outcome) in enumerate(RETURNS):
        at = now - datetime.timedelta(days=n, hours=2)
        actor = rng.choice(desk)
        case = return_record(
            actor=actor,
            mall=mall,
            unit=rng.choice(shops),
            customer_name=rng.choice(["王女士", "李先生", "赵女士", "陈先生"]),
            customer_phone=f"139{rng.randint(10_000_000, 99_999_999)}",
            goods=goods,
            receipt_number=f"POS-{rng.randint(100000, 999999)}",
            purchased_on=(at - datetime.timedelta(days=rng.randint(1, 20))).date(),
            reason=reason,
            customer_request=request,
            now=at,
        )
        if answer:
            return_step_add(
                actor=actor,
                case=case,
                kind="shop_answer",
                note=answer,
                now=at + datetime.timedelta(minutes=20),
            )
        if outcome == "complaint" and category is not None:
            return_escalate(
                actor=actor, case=case, category=category, now=at + datetime.timedelta(hours=1)
            )
        elif outcome and outcome != "complaint":
            return_settle(
                actor=actor,
                case=case,
                outcome=outcome,
                shop_contact_name="店长",
                shop_confirmed_at=at + datetime.timedelta(minutes=40),
                now=at + datetime.timedelta(minutes=45),
            )
