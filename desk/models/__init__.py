"""The desk's registers (前台登记). Every model is imported here."""

from desk.models.common import DeskSettings, ReferenceCounter
from desk.models.incidents import Incident, IncidentFollowUp
from desk.models.passes import ReleasePass
from desk.models.walkins import WalkInCategory, WalkInService

__all__ = [
    "DeskSettings",
    "Incident",
    "IncidentFollowUp",
    "ReferenceCounter",
    "ReleasePass",
    "WalkInCategory",
    "WalkInService",
]
