"""The desk registers' create forms in the double-submit test."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from desk.models import (
    FootageReview,
    GroupPurchase,
    Incident,
    InvoiceRequest,
    ParkingValidation,
    ReleasePass,
    ReturnCase,
)
from mallservice.tests.submit_cases.case import Case, local

CASES = [
    Case(
        "incident log entry",
        "desk_user",
        url=lambda w: reverse("desk:incident_new"),
        data=lambda w: {
            "mall": w.mall.pk,
            "kind": "injury",
            "occurred_at": local(timezone.now() - datetime.timedelta(minutes=10)),
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
            "valid_from": local(timezone.now()),
            "valid_until": local(timezone.now() + datetime.timedelta(hours=2)),
        },
        count=lambda w: ReleasePass.objects.count(),
    ),
    Case(
        "return or exchange",
        "desk_user",
        url=lambda w: reverse("desk:return_new"),
        data=lambda w: {
            "mall": w.mall.pk,
            "unit": w.shop.pk,
            "customer_name": "王女士",
            "customer_phone": "13812345678",
            "goods": "羊毛衫",
            "reason": "size",
            "customer_request": "换 L 码",
        },
        count=lambda w: ReturnCase.objects.count(),
    ),
    Case(
        "CCTV footage review request",
        "desk_user",
        url=lambda w: reverse("desk:footage_new"),
        data=lambda w: {
            "mall": w.mall.pk,
            "requester_kind": "customer",
            "requester_name": "刘女士",
            "reason": "lost_item",
            "reason_detail": "钱包遗失",
            "window_from": local(timezone.now() - datetime.timedelta(hours=2)),
            "window_until": local(timezone.now() - datetime.timedelta(hours=1)),
            "cameras": "B1-03",
        },
        count=lambda w: FootageReview.objects.count(),
    ),
    Case(
        "invoice request",
        "desk_user",
        url=lambda w: reverse("desk:invoice_new"),
        data=lambda w: {
            "mall": w.mall.pk,
            "title": "上海某某贸易有限公司",
            "taxpayer_number": "91350100M000100Y43",
            "amount": "1280.00",
            "receipts": "R001",
            "email": "finance@example.com",
        },
        count=lambda w: InvoiceRequest.objects.count(),
    ),
    Case(
        "parking validation",
        "desk_user",
        url=lambda w: reverse("desk:parking_new"),
        data=lambda w: {"mall": w.mall.pk, "plate": "沪A3K721", "receipts": "R001 300"},
        count=lambda w: ParkingValidation.objects.count(),
    ),
    Case(
        "group purchase enquiry",
        "desk_user",
        url=lambda w: reverse("desk:group_new"),
        data=lambda w: {
            "mall": w.mall.pk,
            "company": "某某科技",
            "contact_name": "王经理",
            "contact_phone": "13812345678",
            "product": "gift_card",
            "face_value": 500,
            "quantity": 100,
            "wanted_on": f"{timezone.localdate() + datetime.timedelta(days=7):%Y-%m-%d}",
        },
        count=lambda w: GroupPurchase.objects.count(),
    ),
]
