"""Writes shared by every app: staff accounts, the system actor, the
sensitive-access log, the beat heartbeat."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from mallservice.models import SYSTEM_USERNAME, Heartbeat, Mall, SensitiveAccess, User
from mallservice.roles import Role


def system_actor_id() -> int:
    """The named actor for scheduled work nobody started by hand."""
    user, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_active": False, "display_name": "system"},
    )
    return user.pk


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str | None,
    role: str,
    mall: Mall | None,
    display_name: str = "",
    all_malls: bool = False,
    extra_malls: list[Mall] | None = None,
    staff_no: str = "",
) -> User:
    """Create a staff account with one role. Managers get the admin site."""
    role = Role(role)
    user = User(
        username=username,
        display_name=display_name,
        mall=mall,
        all_malls=all_malls,
        staff_no=staff_no,
        is_staff=role == Role.MANAGER,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    if extra_malls:
        user.extra_malls.add(*extra_malls)
    return user


def sensitive_access_log(
    *,
    actor: Any,
    kind: str,
    obj: models.Model | None = None,
    field: str = "",
    mall: Mall | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> SensitiveAccess:
    """Record that `actor` read sensitive data (revealed a field, exported a
    list). Call it in the same request that shows the data."""
    return SensitiveAccess.objects.create(
        actor=actor,
        kind=SensitiveAccess.Kind(kind),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        field=field,
        mall=mall,
        detail=detail or {},
        ip=ip,
    )


def heartbeat_record(*, name: str, now: datetime.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": now or timezone.now()})


@transaction.atomic
def staff_update_profile(*, user: User, display_name: str, phone: str) -> User:
    """A staff member corrects their own name and phone shown to colleagues."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.display_name = display_name
    locked.phone = phone
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=["display_name", "phone"])
    return locked
