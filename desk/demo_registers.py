"""Demo data of the returns and CCTV registers: a handful of cases per
mall in every state, written through the same services as the desk."""

from __future__ import annotations

import datetime
from typing import Any

from complaints.models import Category
from desk.models import FootageReview, ReturnCase
from desk.services.cctv import (
    footage_copy_release,
    footage_decide,
    footage_request,
    footage_viewing_record,
)
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


FOOTAGE = [
    # requester kind, name, reason, what they want to see, cameras, decision
    ("customer", "刘女士", "lost_item", "钱包可能遗失在 B1 扶梯附近", "B1-03, B1-04", "viewed"),
    ("police", "派出所 李警官", "incident", "核实顾客争执经过", "3F-07", "copy"),
    ("shop", "优衣库 店长", "complaint", "核实收银台争议", "2F-12", "refused"),
    ("staff", "安保 王刚", "other", "核实夜间设备被移动", "1F 东门", ""),
]


def footage_seed(
    *, mall: Mall, desk: list, supervisor: Any, rng: Any, now: datetime.datetime
) -> None:
    for n, (kind, name, reason, detail, cameras, decision) in enumerate(FOOTAGE):
        at = now - datetime.timedelta(days=n, hours=3)
        review = footage_request(
            actor=rng.choice(desk),
            mall=mall,
            requester_kind=kind,
            requester_name=name,
            reason=reason,
            reason_detail=detail,
            window_from=at - datetime.timedelta(hours=3),
            window_until=at - datetime.timedelta(hours=2),
            cameras=cameras,
            now=at,
        )
        if supervisor is None or not decision:
            continue
        footage_decide(
            actor=supervisor,
            review=review,
            approve=decision != "refused",
            reason="未说明正当理由，请顾客报警后由警方调取",
            now=at + datetime.timedelta(minutes=15),
        )
        if decision == "viewed":
            footage_viewing_record(
                actor=desk[0],
                review=review,
                viewers=name,
                findings="看到钱包掉落，已转失物招领核对",
                viewed_at=at + datetime.timedelta(minutes=30),
                now=at + datetime.timedelta(minutes=30),
            )
        elif decision == "copy" and review.requester_kind == FootageReview.RequesterKind.POLICE:
            footage_copy_release(
                actor=supervisor,
                review=review,
                received_by="李警官",
                police_document_number=f"调证字〔{at.year}〕{rng.randint(1000, 9999)}号",
                now=at + datetime.timedelta(minutes=40),
            )
