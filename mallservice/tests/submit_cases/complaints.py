"""The complaints app's create forms in the double-submit test."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from complaints.models import Compensation, Complaint, FaultReport
from complaints.models import PhoneCall as ComplaintCall
from complaints.tests.factories import make_complaint
from mallservice.tests.submit_cases.case import Case


def intake(w) -> dict[str, Any]:
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


CASES = [
    Case(
        "complaint intake",
        "desk_user",
        url=lambda w: reverse("complaints:create"),
        data=intake,
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
        url=lambda w: reverse("complaints:compensation", args=[w.complaint.pk]),
        page=lambda w: reverse("complaints:detail", args=[w.complaint.pk]),
        data=lambda w: {
            "compensation-kind": "parking",
            "compensation-amount": "50",
            "compensation-note": "停车券",
        },
        count=lambda w: Compensation.objects.count(),
    ),
    # -- mailroom,
]
