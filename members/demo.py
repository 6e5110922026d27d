"""Demo data: tiers, a card batch, a few hundred members, cards in every
state, a points history, gifts and a running campaign with tasks for today."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from members.models import Campaign, Card, Gift, Tier
from members.services import campaigns as campaign_services
from members.services import cards as card_services
from members.services import members as member_services
from members.services import points as points_services
from members.services.tiers import tiers_evaluate_mall

TIERS = [
    ("normal", "普通", 1, 0, 0),
    ("silver", "银卡", 2, 5000, 3000),
    ("gold", "金卡", 3, 20000, 15000),
    ("diamond", "钻石", 4, 80000, 60000),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂"


def prepare(*, malls: list, now: datetime.datetime) -> None:
    """The tiers, with the shared base: the complaints demo reads them."""
    for mall in malls:
        for c, n, r, u, k in TIERS:
            Tier.objects.create(
                mall=mall, code=c, name=n, rank=r, upgrade_threshold=u, keep_threshold=k
            )


def seed(*, malls: list, staff: dict, rng: Any, now: datetime.datetime) -> None:
    users = list(staff.values()) if isinstance(staff, dict) else list(staff)
    for index, mall in enumerate(malls):
        desk = [
            u for u in users if u.mall_id == mall.pk and u.groups.filter(name="desk_staff").exists()
        ]
        supervisor = next(
            (
                u
                for u in users
                if u.mall_id == mall.pk and u.groups.filter(name="supervisor").exists()
            ),
            desk[0] if desk else users[0],
        )
        actor = desk[0] if desk else supervisor
        tiers = list(Tier.objects.filter(mall=mall).order_by("rank"))
        card_services.card_batch_receive(
            actor=actor,
            mall=mall,
            code=f"{mall.code}-2026-01",
            first_number=(index + 1) * 1_000_000_000 + 1,
            count=400,
        )
        gifts = [
            Gift.objects.create(mall=mall, name=name, points_cost=cost, stock=stock)
            for name, cost, stock in [
                ("保温杯", 500, 30),
                ("2小时停车券", 200, 100),
                ("帆布袋", 300, 50),
            ]
        ]
        shops = list(mall.units.filter(kind="shop")[:20])
        members = []
        for i in range(150 if index == 0 else 60):
            member = member_services.member_register(
                actor=rng.choice(desk) if desk else actor,
                mall=mall,
                phone=f"1{rng.choice('3589')}{index}{i:08d}",
                name=rng.choice(SURNAMES)
                + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2]))),
                gender=rng.choice(["f", "m", ""]),
                birthday=datetime.date(
                    rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28)
                ),
                tier=rng.choices(tiers, weights=[50, 25, 18, 7])[0],
                consent_callback=rng.random() < 0.85,
                consent_marketing=rng.random() < 0.6,
                now=now - datetime.timedelta(days=rng.randint(1, 400)),
            )
            members.append(member)
        # cards in every state
        for i, member in enumerate(members[:120]):
            card = card_services.card_issue(actor=actor, member=member)
            if i % 10 == 0:
                continue  # issued, not yet entered
            card = card_services.card_confirm_entered(actor=actor, card=card)
            if i % 17 == 0:
                card_services.card_report_lost(actor=actor, card=card)
            elif i % 19 == 0:
                card_services.card_freeze(
                    actor=actor, card=card_services.card_report_lost(actor=actor, card=card)
                )
            elif i % 23 == 0:
                card_services.card_report_lost(actor=actor, card=card)
                card_services.card_freeze(actor=actor, card=card)
                card_services.card_reissue(actor=actor, card=card)
        card_services.card_void(
            actor=actor, card=Card.objects.filter(mall=mall, status="stock").last()
        )
        # a points history (none on a card lost, frozen or not yet entered)
        not_in_use = set(
            Card.objects.filter(
                mall=mall, status__in=[Card.Status.ISSUED, Card.Status.LOST, Card.Status.FROZEN]
            ).values_list("member_id", flat=True)
        )
        for i, member in enumerate(members):
            if member.pk in not_in_use:
                continue
            for j in range(rng.randint(0, 4)):
                if shops:
                    points_services.points_earn(
                        actor=actor,
                        member=member,
                        shop=rng.choice(shops),
                        receipt_no=f"{mall.code}-{i}-{j}",
                        amount=Decimal(rng.randint(50, 3000)),
                        now=now - datetime.timedelta(days=rng.randint(1, 200)),
                    )
            if i % 12 == 0 and shops:
                # points earned nearly two years ago: "expiring soon" on the page
                points_services.points_earn(
                    actor=actor,
                    member=member,
                    shop=rng.choice(shops),
                    receipt_no=f"{mall.code}-{i}-old",
                    amount=Decimal(rng.randint(300, 1500)),
                    now=now - datetime.timedelta(days=rng.randint(680, 720)),
                )
                member.refresh_from_db()
            if member.points_balance >= 200 and i % 5 == 0:
                member.refresh_from_db()
                points_services.points_redeem(actor=actor, member=member, gift=gifts[1])
        # a running campaign with tasks for today
        campaign = Campaign.objects.create(
            mall=mall,
            name="金卡及以上季度回访",
            kind=Campaign.Kind.PERIODIC,
            script=f"您好，我是{mall.name}客服中心的工作人员，感谢您一直以来的支持。请问最近购物体验如何？",
            min_tier=tiers[2],
            period_days=90,
            starts_on=now.date() - datetime.timedelta(days=10),
        )
        Campaign.objects.create(
            mall=mall,
            name="积分换购温馨提醒",
            kind=Campaign.Kind.POINTS,
            min_balance=1000,
            script="您好，您的积分可以在客服台换购礼品，欢迎前来。",
            period_days=30,
            starts_on=now.date(),
        )
        Campaign.objects.create(
            mall=mall,
            name="积分到期提醒",
            kind=Campaign.Kind.POINTS,
            expiring_within_days=60,
            script="您好，您有一部分积分即将到期，欢迎在到期前来客服台换购礼品。",
            period_days=30,
            starts_on=now.date(),
        )
        campaign_services.campaign_plan(campaign=campaign, day=now.date(), now=now)
        tiers_evaluate_mall(mall=mall, now=now)
