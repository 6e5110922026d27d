"""The invoice requests' list filters: the finance queue is `?status=requested`."""

from __future__ import annotations

import re
from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from desk.filters import RecordedFilter
from desk.models import InvoiceReceipt, InvoiceRequest
from desk.selectors.invoices import invoice_list
from mallservice.filters import FilterForm

REFERENCE = re.compile(r"^FP-\d{4}-\d{5}$", re.IGNORECASE)


class InvoiceFilter(RecordedFilter):
    q = filters.CharFilter(label=_("number, title or receipt"), method="filter_text")
    status = filters.ChoiceFilter(
        choices=InvoiceRequest.Status.choices, empty_label=_("any status"), label=_("status")
    )

    class Meta:
        model = InvoiceRequest
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *, user: Any) -> None:
        super().__init__(data, queryset=invoice_list(user=user), user=user)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A request number, a receipt number it covers, or part of the title."""
        text = value.strip()
        if not text:
            return queryset
        if REFERENCE.match(text):
            return queryset.filter(reference=text.upper())
        # Ids first, so the OR is two index scans (receipt ids, title trigrams).
        by_receipt = list(
            InvoiceReceipt.objects.filter(receipt_no=text.upper()).values_list(
                "request_id", flat=True
            )[:100]
        )
        return queryset.filter(Q(pk__in=by_receipt) | Q(title__icontains=text))

    @property
    def qs(self) -> QuerySet:
        return super().qs.order_by("-created_at", "-pk")
