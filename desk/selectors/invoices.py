"""Reads of invoice requests, scoped to the user's malls."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from desk.models import InvoiceReceipt, InvoiceRequest
from mallservice.selectors import scope_to_user_malls


def invoice_list(*, user: Any) -> QuerySet[InvoiceRequest]:
    return scope_to_user_malls(InvoiceRequest.objects.select_related("mall"), user=user)


def invoice_receipts(*, request: InvoiceRequest) -> QuerySet[InvoiceReceipt]:
    return request.receipts.order_by("pk")
