"""The system actor, who runs the scheduled work, reads every mall."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from mallservice.access import invalidate
from mallservice.models import SYSTEM_USERNAME, User
from mallservice.selectors import user_mall_ids

FIX = importlib.import_module("mallservice.migrations.0008_system_actor_all_malls")


@pytest.mark.django_db
def test_the_system_actor_as_migration_0002_made_it_sees_every_mall_after_0008(mall, other_mall):
    # given the system actor as migration 0002 created it (no all_malls)
    User.objects.filter(username=SYSTEM_USERNAME).delete()
    system = User.objects.create(username=SYSTEM_USERNAME, is_active=False, password="!")
    assert user_mall_ids(system) == frozenset()
    # when migration 0008 runs
    FIX.system_actor_all_malls(apps, None)
    invalidate()  # as a deploy's restart starts without the cached answer
    # then the scoped selectors give it both malls
    assert {mall.pk, other_mall.pk} <= user_mall_ids(User.objects.get(pk=system.pk))
