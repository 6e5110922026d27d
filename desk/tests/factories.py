from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from desk.models import Incident
from desk.services.incidents import incident_report


def make_incident(*, actor: Any, mall: Any, **fields: Any) -> Incident:
    """An incident recorded through the service, an hour ago by default."""
    values: dict[str, Any] = {
        "kind": Incident.Kind.INJURY,
        "occurred_at": timezone.now() - datetime.timedelta(hours=1),
        "people_involved": "张女士",
        "description": "顾客在扶梯口摔倒",
        "actions_taken": "包扎伤口",
    }
    values.update(fields)
    return incident_report(actor=actor, mall=mall, **values)


def make_pass(*, actor: Any, mall: Any, unit: Any, **fields: Any):
    """A shop's release pass, valid from now for two hours."""
    from desk.services.passes import pass_request

    now = timezone.now()
    values: dict[str, Any] = {
        "contact_name": "李店长",
        "items": "换季退仓服装",
        "quantity": 12,
        "vehicle": "沪a·3k721",
        "valid_from": now - datetime.timedelta(minutes=5),
        "valid_until": now + datetime.timedelta(hours=2),
    }
    values.update(fields)
    return pass_request(actor=actor, mall=mall, unit=unit, **values)


def make_return(*, actor: Any, mall: Any, unit: Any, **fields: Any):
    """A customer's return at a shop, recorded through the service."""
    from desk.services.returns import return_record

    values: dict[str, Any] = {
        "customer_name": "王女士",
        "customer_phone": "13812345678",
        "goods": "羊毛衫 M 码",
        "receipt_number": "POS-0098812",
        "purchased_on": timezone.localdate() - datetime.timedelta(days=3),
        "reason": "size",
        "customer_request": "尺码偏小，想换 L 码",
    }
    values.update(fields)
    return return_record(actor=actor, mall=mall, unit=unit, **values)


def make_footage(*, actor: Any, mall: Any, **fields: Any):
    """A request to review the last hour of two cameras, by a customer."""
    from desk.services.cctv import footage_request

    now = timezone.now()
    values: dict[str, Any] = {
        "requester_kind": "customer",
        "requester_name": "刘女士",
        "requester_phone": "13912345678",
        "reason": "lost_item",
        "reason_detail": "钱包可能遗失在 B1 扶梯附近",
        "window_from": now - datetime.timedelta(hours=2),
        "window_until": now - datetime.timedelta(hours=1),
        "cameras": "B1-03, B1-04",
    }
    values.update(fields)
    return footage_request(actor=actor, mall=mall, **values)


# A valid unified social credit code (its check character is right).
USCC = "91350100M000100Y43"


def make_invoice(*, actor: Any, mall: Any, **fields: Any):
    """An invoice request for a company, for two receipts."""
    from desk.services.invoices import invoice_request

    values: dict[str, Any] = {
        "title": "上海某某贸易有限公司",
        "taxpayer_number": USCC,
        "amount": "1280.00",
        "email": "finance@example.com",
        "receipts": "R001\nR002",
    }
    values.update(fields)
    return invoice_request(actor=actor, mall=mall, **values)


def make_group_purchase(*, actor: Any, mall: Any, **fields: Any):
    """A company's enquiry for 100 gift cards of 500 yuan, wanted in a week."""
    from desk.services.group_purchases import group_purchase_enquire

    values: dict[str, Any] = {
        "company": "上海某某科技有限公司",
        "contact_name": "王经理",
        "contact_phone": "138 1234 5678",
        "product": "gift_card",
        "face_value": 500,
        "quantity": 100,
        "budget": 48000,
        "wanted_on": timezone.localdate() + datetime.timedelta(days=7),
    }
    values.update(fields)
    return group_purchase_enquire(actor=actor, mall=mall, **values)
