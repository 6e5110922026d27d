"""The desk's registers (前台登记). Every model is imported here."""

from desk.models.cctv import FootageReview
from desk.models.common import DeskSettings, ReferenceCounter
from desk.models.incidents import Incident, IncidentFollowUp, IncidentNotice
from desk.models.passes import ReleasePass
from desk.models.returns import ReturnCase, ReturnStep
from desk.models.walkins import WalkInCategory, WalkInService

__all__ = [
    "DeskSettings",
    "FootageReview",
    "Incident",
    "IncidentFollowUp",
    "IncidentNotice",
    "ReferenceCounter",
    "ReleasePass",
    "ReturnCase",
    "ReturnStep",
    "WalkInCategory",
    "WalkInService",
]
