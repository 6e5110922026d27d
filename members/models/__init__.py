"""Members, their membership cards, tiers, the points ledger and the VIP
follow-up calls of the front desk (会员 / 会员卡 / 积分 / 电话回访), one
module per part: `members`, `cards`, `points`, `calls`. Every model is
imported here (table names and migrations are the app's, as before), and
the audit's event models (`MemberEvent`, …) are set on this module."""

from members.models.calls import CallAttempt, CallOutcome, CallTask, Campaign, PlannerRun
from members.models.cards import Card, CardBatch
from members.models.common import StateMachineMixin
from members.models.members import Member, MemberImport, MemberMerge, Tier, TierReviewRun
from members.models.points import Gift, PointsAdjustment, PointsEntry, PointsPolicy

__all__ = [
    "CallAttempt",
    "CallOutcome",
    "CallTask",
    "Campaign",
    "Card",
    "CardBatch",
    "Gift",
    "Member",
    "MemberImport",
    "MemberMerge",
    "PlannerRun",
    "PointsAdjustment",
    "PointsEntry",
    "PointsPolicy",
    "StateMachineMixin",
    "Tier",
    "TierReviewRun",
]
