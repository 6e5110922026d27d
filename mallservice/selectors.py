"""Reads shared by every app. Every list, detail page, search and export is
scoped to the requesting user's malls through `scope_to_user_malls`."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from mallservice.access import user_access
from mallservice.models import SYSTEM_USERNAME, DailyReport, Floor, Mall, Unit, User

M = TypeVar("M", bound=Model)


def user_mall_ids(user: Any) -> frozenset[int]:
    """The ids of the malls `user` may see (cached: `mallservice.access`)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return user_access(user).mall_ids


def scope_to_user_malls(queryset: QuerySet[M], *, user: Any, field: str = "mall") -> QuerySet[M]:
    """Restrict `queryset` to rows whose `field` is one of the user's malls."""
    return queryset.filter(**{f"{field}__in": user_mall_ids(user)})


def request_mall(user: Any, value: Any = None) -> Mall | None:
    """The one mall a page is about: the mall `value` names (a `?mall=` or a
    posted id) if the user may see it; with no value, the user's home mall
    (or the first of their malls). None for a mall the user may not see, a
    value that is not an id, or a user with no mall: the view answers 404.
    `mallservice.views.MallScopedMixin` calls it for every page."""
    ids = user_mall_ids(user)
    if value not in (None, ""):
        try:
            wanted = int(value)
        except (TypeError, ValueError):
            return None
        return Mall.objects.filter(pk=wanted, is_active=True).first() if wanted in ids else None
    if user.mall_id in ids:
        return user.mall
    return Mall.objects.filter(pk__in=ids, is_active=True).order_by("code").first()


def mall_list(*, user: Any) -> QuerySet[Mall]:
    return scope_to_user_malls(Mall.objects.filter(is_active=True), user=user, field="pk")


def floor_list(*, user: Any, mall: Mall | None = None) -> QuerySet[Floor]:
    qs = scope_to_user_malls(Floor.objects.select_related("mall"), user=user)
    return qs.filter(mall=mall) if mall else qs


def unit_list(*, user: Any, mall: Mall | None = None) -> QuerySet[Unit]:
    qs = scope_to_user_malls(
        Unit.objects.filter(is_active=True).select_related("mall", "floor"), user=user
    )
    return qs.filter(mall=mall) if mall else qs


def daily_report_list(*, user: Any) -> QuerySet[DailyReport]:
    return scope_to_user_malls(DailyReport.objects.select_related("mall"), user=user)


def staff_list(*, user: Any) -> QuerySet[User]:
    """Active staff whose home mall is one of the user's malls."""
    return (
        scope_to_user_malls(User.objects.filter(is_active=True), user=user)
        .exclude(username=SYSTEM_USERNAME)
        .select_related("mall")
        .order_by("mall__name", "username")
    )
