"""What a staff member may do and see — their permissions and their malls —
kept in the cache between requests.

Every page checks permissions, scopes its rows to the user's malls and shows
the menu of the user's roles; read from the database that is four queries a
request before the page does any work of its own, a third of a counter
lookup's time (issue 9). The answer changes only when an administrator edits
roles, malls or the user, so it is cached per user under a generation token
that every such edit replaces (`invalidate`). A token, not a counter: if the
cache loses the token, a new one cannot coincide with an old entry's."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from mallservice.cache_shapes import shape

GENERATION_KEY = "access:generation"
# A bound on staleness should an invalidation ever be missed (raw SQL).
TTL_SECONDS = 10 * 60


@dataclass(frozen=True)
class Access:
    generation: str
    permissions: frozenset[str]  # "app_label.codename", as has_perm takes them
    mall_ids: frozenset[int]
    roles: frozenset[str]  # role codes (the user's groups)


def _user_key(user_id: int) -> str:
    return f"access:{shape(Access)}:user:{user_id}"


def _load(user: Any, generation: str) -> Access:
    from mallservice.models import Mall

    if user.is_superuser or user.all_malls:
        mall_ids = frozenset(Mall.objects.values_list("pk", flat=True))
    else:
        mall_ids = frozenset(
            {
                *user.extra_malls.values_list("pk", flat=True),
                *([user.mall_id] if user.mall_id else []),
            }
        )
    backend = ModelBackend()
    permissions = frozenset(
        backend.get_user_permissions(user) | backend.get_group_permissions(user)
    )
    roles = frozenset(user.groups.values_list("name", flat=True))
    return Access(generation=generation, permissions=permissions, mall_ids=mall_ids, roles=roles)


def user_access(user: Any) -> Access:
    """The user's permissions and malls: one cache round trip, kept on the
    user object for the rest of the request."""
    access = getattr(user, "_access", None)
    if access is not None:
        return access
    key = _user_key(user.pk)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY) or generation
    access = found.get(key)
    if access is None or access.generation != generation:
        access = _load(user, generation)
        cache.set(key, access, TTL_SECONDS)
    user._access = access
    return access


def invalidate(user_id: int | None = None) -> None:
    """Forget one user's cached access, or everyone's (`user_id` None). Done
    now and again at commit, so that a request reading the database before
    the commit cannot leave its stale answer behind."""

    def forget() -> None:
        if user_id is None:
            cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        else:
            cache.delete(_user_key(user_id))

    forget()
    transaction.on_commit(forget)


class CachedModelBackend(ModelBackend):
    """Django's ModelBackend, its permissions read through `user_access`;
    the user of each request comes with their home mall, which every page's
    header shows."""

    def get_user(self, user_id: Any) -> Any:
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("mall").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> frozenset[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return frozenset()
        return user_access(user_obj).permissions


def _forget_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    invalidate(instance.pk)


def _forget_everyone(sender: Any, **kwargs: Any) -> None:
    invalidate()


def _forget_on_m2m(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        invalidate()


def connect_signals() -> None:
    """What changes a user's access: the user (superuser, all malls, home
    mall, active), their groups, permissions and extra malls, a role's
    permissions, and malls opening or closing (for users of all malls)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from mallservice.models import Mall

    user_model = get_user_model()
    for signal in (post_save, post_delete):
        signal.connect(_forget_user, sender=user_model, dispatch_uid=f"access_user_{signal}")
        for model in (Group, Permission, Mall):
            signal.connect(
                _forget_everyone, sender=model, dispatch_uid=f"access_{model.__name__}_{signal}"
            )
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        user_model.extra_malls.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(_forget_on_m2m, sender=through, dispatch_uid=f"access_{through}")
