"""Daily inspections (日常检查, 考核)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters import permissions as perms
from rosters.models import (
    Inspection,
)
from rosters.selectors.roster import staff_of_mall
from rosters.services.rules import (
    require,
    require_permission,
    resolve_now,
)


@transaction.atomic
def inspection_record(
    *,
    actor: User,
    mall: Mall,
    staff: User,
    date: datetime.date,
    discipline: int,
    attitude: int,
    appearance: int,
    skills: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Inspection:
    """The supervisor's daily check of one person: one a day, on a day that
    has come (a second one, or one dated ahead, is refused)."""
    require_permission(actor, perms.ADD_INSPECTION)
    require(actor.pk != staff.pk, _("You cannot inspect yourself."), "self", "staff")
    require(
        staff_of_mall(mall).filter(pk=staff.pk).exists(),
        _("This person does not work at this mall."),
        "not_mall_staff",
        "staff",
    )
    require(
        date <= timezone.localdate(resolve_now(now)),
        _("An inspection cannot be dated in the future."),
        "future_date",
        "date",
    )
    # Lock the person so two supervisors saving at once meet the rule here,
    # not the unique constraint's error.
    User.objects.select_for_update().get(pk=staff.pk)
    require(
        not Inspection.objects.filter(staff=staff, date=date).exists(),
        _("%(name)s was already inspected on %(date)s.") % {"name": staff, "date": date},
        "already_inspected",
        "date",
    )
    inspection = Inspection(mall=mall, staff=staff, date=date, inspector=actor)
    values: dict[str, Any] = {
        "discipline": discipline,
        "attitude": attitude,
        "appearance": appearance,
        "skills": skills,
        "note": note,
    }
    for name, value in values.items():
        setattr(inspection, name, value)
    inspection.full_clean()
    inspection.save()
    return inspection
