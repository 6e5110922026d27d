"""Reads of spot checks (查岗) and undeclared absences (离岗未报), and the
day's suggested check times."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from mallservice.clock import month_bounds
from mallservice.models import Mall
from mallservice.selectors import scope_to_user_malls
from rosters import permissions as perms
from rosters.models import SpotCheck, SpotCheckEntry, UndeclaredAbsence

# Suggested checks a day, and from this many undeclared absences in a month
# the monthly report highlights a person ("repeated ones").
SUGGESTED_CHECKS_A_DAY = 3
REPEATED_ABSENCES = 2


def spot_check_list(*, user: Any) -> QuerySet[SpotCheck]:
    qs = scope_to_user_malls(SpotCheck.objects.select_related("checker", "mall"), user=user)
    return qs if user.has_perm(perms.VIEW_SPOTCHECK) else qs.none()


def spot_check_entries(*, check: SpotCheck) -> QuerySet[SpotCheckEntry]:
    """The check's findings, post by post (those found off the roster last)."""
    return check.entries.select_related("staff", "post", "assignment__shift_type").order_by(
        "post__code", "staff__staff_no", "staff__username"
    )


def spot_check_counts(checks: list[SpotCheck]) -> dict[int, dict[str, int]]:
    """Per check, the number of entries of each result (one query)."""
    counts: dict[int, dict[str, int]] = {c.pk: {} for c in checks}
    for row in (
        SpotCheckEntry.objects.filter(spot_check__in=checks)
        .values("spot_check_id", "result")
        .annotate(n=Count("pk"))
    ):
        counts[row["spot_check_id"]][row["result"]] = row["n"]
    return counts


def undeclared_absence_list(*, user: Any) -> QuerySet[UndeclaredAbsence]:
    """Supervisors see every absence of their malls; everyone else their own."""
    qs = scope_to_user_malls(
        UndeclaredAbsence.objects.select_related(
            "staff", "post", "spot_check__checker", "reviewed_by", "assignment__shift_type"
        ),
        user=user,
    )
    return qs if user.has_perm(perms.REVIEW_UNDECLAREDABSENCE) else qs.filter(staff=user)


def confirmed_absence_counts(*, user: Any, mall: Mall, month: datetime.date) -> dict[int, int]:
    """Confirmed undeclared absences per staff id in `month` (by the time of
    the check), for the monthly attendance report."""
    start, end = month_bounds(month)
    rows = (
        undeclared_absence_list(user=user)
        .filter(
            mall=mall,
            state=UndeclaredAbsence.State.CONFIRMED,
            spot_check__at__gte=start,
            spot_check__at__lt=end,
        )
        .order_by()
        .values("staff_id")
        .annotate(n=Count("pk"))
    )
    return {row["staff_id"]: row["n"] for row in rows}


def suggested_check_times(
    *, mall: Mall, day: datetime.date, count: int = SUGGESTED_CHECKS_A_DAY
) -> list[datetime.datetime]:
    """`count` moments within the mall's opening hours on `day`, one in each
    equal slice of the day: stable for the mall and day (the page shows the
    same times all day) but not guessable by staff, being derived from the
    site's secret key. Shown only to checkers."""
    tz = timezone.get_default_timezone()
    opens = timezone.make_aware(datetime.datetime.combine(day, mall.opens_at), tz)
    closes = timezone.make_aware(datetime.datetime.combine(day, mall.closes_at), tz)
    slice_seconds = int((closes - opens).total_seconds()) // count
    digest = hmac.new(
        settings.SECRET_KEY.encode(),
        f"rosters.spot_check:{mall.pk}:{day.isoformat()}".encode(),
        hashlib.sha256,
    ).digest()
    times = []
    for i in range(count):
        offset = int.from_bytes(digest[4 * i : 4 * i + 4], "big") % max(slice_seconds, 1)
        # Whole minutes: a time a person can read off a watch.
        moment = opens + datetime.timedelta(seconds=i * slice_seconds + offset)
        times.append(moment.replace(second=0, microsecond=0))
    return times
