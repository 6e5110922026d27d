"""Staff roles are auth groups named by a code; what each role may do is
declared as data by each app in `<app>/permissions.py`:

    ROLE_PERMISSIONS = {Role.DESK: ["members.add_member", ...], ...}

After every migrate the groups' permissions are set to exactly that union, so
the code is the single source of truth and a permission added in a later issue
reaches the role on the next migrate.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESK = "desk_staff", _("desk staff")
    BROADCASTER = "broadcaster", _("broadcaster")
    SUPERVISOR = "supervisor", _("customer-service supervisor")
    MANAGER = "manager", _("manager")


def user_roles(user: Any) -> frozenset[str]:
    """The role codes of `user` (cached: `mallservice.access`)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    from mallservice.access import user_access

    return user_access(user).roles


def declared_role_permissions() -> dict[str, set[str]]:
    """Collect ROLE_PERMISSIONS from every project app's permissions module."""
    from mallservice.hooks import app_hook_modules

    merged: dict[str, set[str]] = {role.value: set() for role in Role}
    for module in app_hook_modules("permissions", include_core=True):
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged[str(role)].update(perms)
    return merged


def roles_granting(permission: str) -> frozenset[str]:
    """The role codes whose declared permissions include `permission`
    (managers hold every permission on project models but deleting)."""
    granting = {role for role, perms in declared_role_permissions().items() if permission in perms}
    if not permission.split(".", 1)[-1].startswith("delete_"):
        granting.add(Role.MANAGER.value)
    return frozenset(granting)


def sync_role_permissions(apps=global_apps, *, strict: bool = True) -> list[str]:
    """Give each role's group the permissions the apps declare for it. A
    declared permission that does not exist is an error (a typo in
    `ROLE_PERMISSIONS`), unless `strict` is off: after a partial migrate
    (`migrate complaints` on an empty database) other apps' permissions do
    not exist yet; they are left out until the full migrate and returned."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    declared = declared_role_permissions()
    # Managers run the admin: they get every permission on project models,
    # except deleting, which the history and workflows forbid.
    manager_perms = set(
        Permission.objects.filter(content_type__app_label__in=settings.PROJECT_APPS)
        .exclude(codename__startswith="delete_")
        .values_list("content_type__app_label", "codename")
    )
    declared[Role.MANAGER.value].update(f"{app}.{code}" for app, code in manager_perms)
    # One read of every permission: this runs after every migrate and after
    # each transactional test's flush.
    by_name = {
        f"{perm.content_type.app_label}.{perm.codename}": perm
        for perm in Permission.objects.select_related("content_type")
    }
    missing: list[str] = []
    for role, perms in declared.items():
        group, _created = Group.objects.get_or_create(name=role)
        unknown = sorted(perms - by_name.keys())
        if unknown and strict:
            raise LookupError(f"role {role} declares unknown permission {unknown[0]}")
        missing += unknown
        group.permissions.set([by_name[perm] for perm in sorted(perms) if perm in by_name])
    return sorted(set(missing))


def sync_role_permissions_signal(sender, app_config=None, using="default", **kwargs) -> None:
    # post_migrate fires once per app; permissions of every app exist only
    # after the last one, so sync then.
    last_app = [c for c in global_apps.get_app_configs() if c.models_module is not None][-1]
    if app_config is not None and app_config.label != last_app.label:
        return
    state = kwargs.get("apps")
    migrated = (
        {model._meta.label_lower for model in state.get_models()} if state is not None else None
    )
    complete = migrated is None or all(
        model._meta.label_lower in migrated
        for model in global_apps.get_models()
        if model._meta.app_label in settings.PROJECT_APPS
    )
    missing = sync_role_permissions(strict=complete)
    if missing and kwargs.get("verbosity", 1):
        print(f"  roles: {len(missing)} permissions wait for the full migrate")
