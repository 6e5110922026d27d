"""The mailroom app's create forms in the double-submit test."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

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
from mallservice.tests.submit_cases.case import Case, local


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


CASES = [
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
            "found_at": local(timezone.now() - datetime.timedelta(hours=1)),
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
            "lost_on": local(timezone.now(), "%Y-%m-%d"),
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
            "due_at": local(timezone.now() + datetime.timedelta(hours=3)),
        },
        count=lambda w: Loan.objects.count(),
    ),
    # -- members,
]
