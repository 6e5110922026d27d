"""Demo records for the mailroom: parcels waiting and collected, outgoing
mail, found items with a claim, lost reports and lending items."""

from __future__ import annotations

import base64
import datetime
import random
from decimal import Decimal
from typing import Any

from mailroom.models import Carrier, Department, FoundItem, ItemCategory, Parcel
from mailroom.services.lending import asset_create, asset_take_out_of_service, loan_lend
from mailroom.services.lost_found import (
    claim_log,
    claim_release,
    claim_verify,
    found_item_log,
    lost_report_log,
)
from mailroom.services.outgoing import outgoing_log
from mailroom.services.parcels import (
    parcel_pickup,
    parcel_receive,
    parcel_reminders_dispatch,
    parcel_return,
)
from mallservice.models import Unit
from mallservice.notifications.services import messages_dispatch

# A 1x1 white PNG: stands in for a signature drawn on screen.
DEMO_SIGNATURE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
FOUND = [
    (ItemCategory.WALLET, "黑色男士钱包，内有银行卡两张", "high"),
    (ItemCategory.PHONE, "白色苹果手机，蓝色手机壳", "high"),
    (ItemCategory.UMBRELLA, "透明长柄雨伞", "low"),
    (ItemCategory.CHILD, "粉色小熊毛绒玩具", "low"),
    (ItemCategory.KEYS, "车钥匙一把，带小猫挂件", "medium"),
    (ItemCategory.CLOTHING, "灰色儿童外套，110 码", "low"),
    (ItemCategory.BAG, "咖啡色帆布购物袋，内有衣物", "medium"),
]
NAMES = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄丽"]


def seed(*, malls: list, staff: dict[str, Any], rng: random.Random, now: datetime.datetime) -> None:
    desks = {malls[0].pk: staff["desk1"], malls[1].pk: staff["desk4"]}
    for mall in malls:
        desk = desks[mall.pk]
        shops = list(Unit.objects.filter(mall=mall, kind=Unit.Kind.SHOP)[:30])
        parcels = []
        for _i in range(24):
            received = now - datetime.timedelta(days=rng.randint(0, 9), hours=rng.randint(0, 8))
            kind = rng.choice(["unit", "unit", "unit", "department", "customer"])
            parcels.append(
                parcel_receive(
                    actor=desk,
                    mall=mall,
                    carrier=rng.choice(Carrier.values[:8]),
                    tracking_number=f"SF{rng.randint(10**11, 10**12 - 1)}",
                    recipient_kind=kind,
                    recipient_unit=rng.choice(shops) if kind == "unit" else None,
                    recipient_department=rng.choice(Department.values)
                    if kind == "department"
                    else "",
                    recipient_name=rng.choice(NAMES) if kind == "customer" else "",
                    recipient_phone=f"139{rng.randint(10000000, 99999999)}"
                    if kind == "customer"
                    else "",
                    size=rng.choice(Parcel.Size.values),
                    shelf=f"{rng.choice('ABC')}-{rng.randint(1, 6)}",
                    now=received,
                )
            )
        for parcel in parcels[:8]:
            parcel_pickup(
                actor=desk,
                mall=mall,
                parcel_ids=[parcel.pk],
                collector_name=rng.choice(NAMES),
                verification="id_last4",
                id_last4=f"{rng.randint(0, 9999):04d}",
                signature_png=DEMO_SIGNATURE,
                now=min(now, parcel.received_at + datetime.timedelta(hours=rng.randint(1, 30))),
            )
        parcel_return(actor=desk, parcel=parcels[8], reason="地址不详，店铺已撤场", now=now)
        parcel_reminders_dispatch(now=now)
        messages_dispatch(now=now)

        for _i in range(10):
            outgoing_log(
                actor=desk,
                mall=mall,
                sender_department=rng.choice(Department.values),
                addressee=f"{rng.choice(NAMES)}（{rng.choice(['总部', '供应商', '律师事务所'])}）",
                address="上海市浦东新区世纪大道 100 号",
                carrier=rng.choice([Carrier.SF, Carrier.EMS]),
                tracking_number=f"EMS{rng.randint(10**9, 10**10 - 1)}",
                cost=Decimal(rng.choice(["12.00", "18.00", "23.00", "8.00"])),
                now=now - datetime.timedelta(days=rng.randint(0, 40)),
            )

        items = []
        for i, (category, description, band) in enumerate(FOUND):
            items.append(
                found_item_log(
                    actor=desk,
                    mall=mall,
                    category=category,
                    description=description,
                    found_at=now - datetime.timedelta(days=i * 3, hours=2),
                    found_unit=rng.choice(shops),
                    finder_name=rng.choice(["保洁 " + NAMES[i % 8], "顾客 " + NAMES[(i + 3) % 8]]),
                    value_band=band,
                    storage_place=f"{'柜' if band == 'high' else '架'}-{i + 1}",
                    # One announcement a mall: the newest valuable item.
                    broadcast_requested=band == "high" and i == 0,
                    now=now - datetime.timedelta(days=i * 3),
                )
            )
        claim = claim_log(
            actor=desk,
            item=items[2],
            claimant_name="周芳",
            claimant_phone="13800138000",
            id_last4="1234",
            proof_description="透明伞，伞柄上贴有黄色贴纸",
            now=now,
        )
        claim_verify(actor=desk, claim=claim, approved=True, note="贴纸与描述一致", now=now)
        claim_release(actor=desk, claim=claim, signature_png=DEMO_SIGNATURE, now=now)
        lost_report_log(
            actor=desk,
            mall=mall,
            category=ItemCategory.WALLET,
            description="黑色钱包，有两张银行卡",
            lost_on=(now - datetime.timedelta(days=1)).date(),
            lost_place="四层餐厅",
            reporter_name="吴先生",
            reporter_phone="13912345678",
            source="phone",
            now=now,
        )
        assert items[0].storage == FoundItem.Storage.CABINET

        assets = []
        for i, kind in enumerate(
            [
                "wheelchair",
                "wheelchair",
                "stroller",
                "stroller",
                "stroller",
                "umbrella",
                "power_bank",
            ]
        ):
            assets.append(
                asset_create(
                    actor=desk,
                    mall=mall,
                    tag=f"{mall.code[:2].upper()}-{kind[:2].upper()}{i + 1:02d}",
                    kind=kind,
                )
            )
        loan_lend(
            actor=desk,
            asset=assets[0],
            borrower_name="孙阿姨",
            borrower_phone="13700001111",
            deposit_kind="id_card",
            id_last4="062X",
            due_at=now + datetime.timedelta(hours=3),
            now=now,
        )
        loan_lend(
            actor=desk,
            asset=assets[2],
            borrower_name="马先生",
            borrower_phone="13600002222",
            deposit_kind="cash",
            deposit_amount=Decimal("200"),
            signature_png=DEMO_SIGNATURE,
            due_at=now - datetime.timedelta(hours=1),
            now=now - datetime.timedelta(hours=5),
        )
        asset_take_out_of_service(
            actor=desk,
            asset=assets[3],
            reason="repair",
            note="左前轮松动，已送维修",
            now=now - datetime.timedelta(days=1),
        )
