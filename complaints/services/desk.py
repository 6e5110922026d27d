"""A mall's desk configuration: default categories, statuses and settings,
and the SLA clock and targets that apply to a complaint."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Max, Min, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints import sla
from complaints.models import (
    DEFAULT_CATEGORIES,
    Category,
    DeskSettings,
    Severity,
    SlaPolicy,
    Status,
    StatusCategory,
)
from mallservice.models import Mall
from members.models import Tier

DEFAULT_STATUSES = [
    # code, staff name, customer label, category, default
    ("open", "处理中", "处理中", StatusCategory.OPEN, True),
    ("waiting_customer", "等待顾客", "等待您的回复", StatusCategory.PAUSED, True),
    ("waiting_third_party", "等待第三方", "处理中", StatusCategory.PAUSED, False),
    ("resolved", "已解决", "已解决", StatusCategory.RESOLVED, True),
    ("closed", "已结案", "已结案", StatusCategory.CLOSED, True),
]


def desk_config_ensure(*, mall: Mall) -> DeskSettings:
    """Create the mall's default categories, statuses and settings if they
    are missing (idempotent; admins rename or add to them afterwards)."""
    desk, _created = DeskSettings.objects.get_or_create(mall=mall)
    if not Category.objects.filter(mall=mall).exists():
        with override("zh-hans"):
            Category.objects.bulk_create(
                [
                    Category(mall=mall, code=code, name=str(name), sort_order=i)
                    for i, (code, name) in enumerate(DEFAULT_CATEGORIES)
                ],
                ignore_conflicts=True,
            )
    if not Status.objects.filter(mall=mall).exists():
        Status.objects.bulk_create(
            [
                Status(mall=mall, code=c, name=n, customer_label=cl, category=cat, is_default=d)
                for c, n, cl, cat, d in DEFAULT_STATUSES
            ],
            ignore_conflicts=True,
        )
    return desk


def _default_status(mall: Mall, category: str) -> Status:
    status = Status.objects.filter(mall=mall, category=category, is_default=True).first()
    if status is None:
        desk_config_ensure(mall=mall)
        status = Status.objects.filter(mall=mall, category=category, is_default=True).first()
    if status is None:  # an admin removed the default: fall back to any of the category
        status = Status.objects.filter(mall=mall, category=category).order_by("pk").first()
    if status is None:
        raise ValidationError(_("No status of this category is configured."), code="no_status")
    return status


def opening_hours(mall: Mall, severity: str) -> sla.OpeningHours:
    # Safety is handled at once: its clock runs round the clock.
    if severity == Severity.SAFETY:
        return sla.OpeningHours.round_the_clock()
    return sla.OpeningHours(opens_at=mall.opens_at, closes_at=mall.closes_at)


def tier_find(mall: Mall, code: str) -> Tier | None:
    """The mall's member tier with this code (typed at the desk, so any
    case), or None."""
    code = code.strip()
    return Tier.objects.filter(mall=mall, code__iexact=code).first() if code else None


def tier_is_vip(mall: Mall, code: str) -> bool:
    """VIP comes from the members app's tier order (a tier's `rank`, higher
    is better): any tier of the mall ranked above its base tier, the
    lowest-ranked one that new members get. An unknown or empty code is not
    VIP. One query."""
    if not code:
        return False
    ranks = Tier.objects.filter(mall=mall).aggregate(
        base=Min("rank"), rank=Max("rank", filter=Q(code=code))
    )
    return ranks["rank"] is not None and ranks["rank"] > ranks["base"]


def targets(mall: Mall, severity: str, tier: str) -> sla.Targets:
    """The SLA targets of a case of this severity and member tier code: the
    mall's own policy rows win, else the defaults, tightened for VIP."""
    overrides = {
        (p.severity, p.tier): sla.Targets(
            p.response_minutes, p.resolution_minutes, p.warn_before_minutes
        )
        for p in SlaPolicy.objects.filter(mall=mall, severity=severity)
    }
    vip = bool(tier) and (severity, tier) not in overrides and tier_is_vip(mall, tier)
    return sla.targets_for(severity, tier, vip=vip, overrides=overrides)
