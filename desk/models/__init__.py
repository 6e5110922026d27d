"""The desk's registers (前台登记). Every model is imported here."""

from desk.models.cctv import FootageReview
from desk.models.common import DeskSettings, ReferenceCounter
from desk.models.group_purchases import GroupPurchase, GroupPurchaseQuote
from desk.models.incidents import Incident, IncidentFollowUp
from desk.models.invoices import InvoiceReceipt, InvoiceRequest
from desk.models.parking import (
    ParkingReceipt,
    ParkingSpendRule,
    ParkingTierHours,
    ParkingValidation,
)
from desk.models.passes import ReleasePass
from desk.models.returns import ReturnCase, ReturnStep
from desk.models.walkins import WalkInCategory, WalkInService

__all__ = [
    "DeskSettings",
    "FootageReview",
    "GroupPurchase",
    "GroupPurchaseQuote",
    "Incident",
    "IncidentFollowUp",
    "InvoiceReceipt",
    "InvoiceRequest",
    "ParkingReceipt",
    "ParkingSpendRule",
    "ParkingTierHours",
    "ParkingValidation",
    "ReferenceCounter",
    "ReleasePass",
    "ReturnCase",
    "ReturnStep",
    "WalkInCategory",
    "WalkInService",
]
