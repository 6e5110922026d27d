"""Reads of parking validations, scoped to the user's malls."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from desk.models import ParkingReceipt, ParkingValidation
from mallservice.selectors import scope_to_user_malls


def parking_list(*, user: Any) -> QuerySet[ParkingValidation]:
    return scope_to_user_malls(
        ParkingValidation.objects.select_related("mall", "member"), user=user
    )


def parking_receipts(*, validation: ParkingValidation) -> QuerySet[ParkingReceipt]:
    return validation.receipts.order_by("pk")
