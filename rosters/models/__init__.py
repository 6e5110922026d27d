"""Rosters (排班表), one module per sub-domain: the weekly roster and its
assignments, swaps (调班), leave (请假), clock-ins (打卡), the off-post log
(离岗登记), daily inspections (日常检查), training (培训), handovers (交接班),
office supplies (办公用品), spot checks (查岗) and undeclared absences
(离岗未报); staff meals (员工订餐) live in `rosters.meals`.
Every model is imported here: Django and the migrations find them here."""

from rosters.meals.models import Meal, MealChangeRequest, MealOrder, MealSheet
from rosters.models.attendance import ClockEvent, ClockPin
from rosters.models.clock_flags import ClockFlag
from rosters.models.handover import Handover
from rosters.models.inspections import Inspection
from rosters.models.leave import LeaveRequest
from rosters.models.off_post import OffPostRecord
from rosters.models.roster import (
    Assignment,
    Post,
    PostHourMinimum,
    PostQualification,
    RosterPolicy,
    ShiftType,
    TransitionMixin,
    Week,
)
from rosters.models.spot_checks import SpotCheck, SpotCheckEntry, UndeclaredAbsence
from rosters.models.supplies import SupplyAllowance, SupplyItem, SupplyRequisition
from rosters.models.swaps import SwapRequest
from rosters.models.training import TrainingAttendance, TrainingSession

__all__ = [
    "Assignment",
    "ClockEvent",
    "ClockFlag",
    "ClockPin",
    "Handover",
    "Inspection",
    "LeaveRequest",
    "Meal",
    "MealChangeRequest",
    "MealOrder",
    "MealSheet",
    "OffPostRecord",
    "Post",
    "PostHourMinimum",
    "PostQualification",
    "RosterPolicy",
    "ShiftType",
    "SpotCheck",
    "SpotCheckEntry",
    "SupplyAllowance",
    "SupplyItem",
    "SupplyRequisition",
    "SwapRequest",
    "TrainingAttendance",
    "TrainingSession",
    "TransitionMixin",
    "UndeclaredAbsence",
    "Week",
]
