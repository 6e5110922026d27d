"""Role groups are synced after every migrate. A partial migrate
(`migrate complaints` on an empty database) must not fail because other
apps' permissions do not exist yet; a full one still refuses a permission
that no model declares (a typo in ROLE_PERMISSIONS)."""

from __future__ import annotations

import pytest
from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from mallservice.roles import Role, sync_role_permissions_signal


def _last_app():
    return [c for c in global_apps.get_app_configs() if c.models_module is not None][-1]


def _state_up_to(app_label: str):
    loader = MigrationLoader(connection)
    leaf = next(node for node in loader.graph.leaf_nodes() if node[0] == app_label)
    return loader.project_state(leaf).apps


@pytest.fixture
def announcement_permission_gone(db):
    # as on an empty database migrated only as far as complaints needs
    Permission.objects.filter(
        content_type__app_label="broadcasts", codename="add_announcement"
    ).delete()


def test_a_partial_migrate_syncs_the_roles_it_can(announcement_permission_gone):
    # when migrate stops at complaints (broadcasts is not in its state)
    state = _state_up_to("complaints")
    assert not any(m._meta.app_label == "broadcasts" for m in state.get_models())
    sync_role_permissions_signal(sender=None, app_config=_last_app(), apps=state, verbosity=0)
    # then the roles hold every permission that exists, and nothing failed
    desk = Group.objects.get(name=Role.DESK.value)
    assert desk.permissions.filter(content_type__app_label="complaints").exists()
    assert not desk.permissions.filter(codename="add_announcement").exists()


def test_a_full_migrate_still_refuses_an_unknown_permission(announcement_permission_gone):
    with pytest.raises(LookupError, match="broadcasts.add_announcement"):
        sync_role_permissions_signal(
            sender=None, app_config=_last_app(), apps=global_apps, verbosity=0
        )
