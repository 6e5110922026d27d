"""A mall's desk configuration: the defaults a new mall starts with
(categories, statuses, settings, SLA policies; `complaints/mall_setup.py`
calls `desk_config_ensure` when the mall is created), the default status of
a category, and the member tier typed at the desk."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints import sla
from complaints.models import (
    DEFAULT_CATEGORIES,
    Category,
    DeskSettings,
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
    """Create the mall's default categories, statuses, settings and SLA
    policies (one per severity, any tier, with the targets of
    `sla.DEFAULT_TARGETS`) if they are missing. Idempotent; admins rename,
    change or add to them afterwards. Run when a mall is created, never on
    a page view or by a dispatcher."""
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
    SlaPolicy.objects.bulk_create(
        [
            SlaPolicy(
                mall=mall,
                severity=severity,
                tier="",
                response_minutes=goal.response_minutes,
                resolution_minutes=goal.resolution_minutes,
                warn_before_minutes=goal.warn_before_minutes,
            )
            for severity, goal in sla.DEFAULT_TARGETS.items()
        ],
        ignore_conflicts=True,  # a row the mall has already is kept as it is
    )
    return desk


def desk_settings_get(*, mall: Mall) -> DeskSettings:
    """The mall's desk settings; a mall without a row (created before the
    desk existed and not migrated) gets the defaults, unsaved: reading them
    creates nothing."""
    return DeskSettings.objects.filter(mall=mall).first() or DeskSettings(mall=mall)


def status_default(mall: Mall, category: str) -> Status:
    """The status a complaint takes when it enters `category`: the one marked
    default, else (an admin removed the mark) the oldest of the category."""
    status = Status.objects.filter(mall=mall, category=category, is_default=True).first()
    if status is None:
        status = Status.objects.filter(mall=mall, category=category).order_by("pk").first()
    if status is None:
        raise ValidationError(_("No status of this category is configured."), code="no_status")
    return status


def tier_find(mall: Mall, code: str) -> Tier | None:
    """The mall's member tier with this code (typed at the desk, so any
    case), or None."""
    code = code.strip()
    return Tier.objects.filter(mall=mall, code__iexact=code).first() if code else None
