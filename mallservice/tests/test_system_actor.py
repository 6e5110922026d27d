"""The system actor, who runs the scheduled work, reads every mall."""

from __future__ import annotations

import pytest

from mallservice.models import SYSTEM_USERNAME, User
from mallservice.selectors import user_mall_ids
from mallservice.services import system_actor_id


@pytest.mark.django_db
def test_the_system_actor_created_by_the_migrations_sees_every_mall(mall, other_mall):
    # given the system actor as the migrations left it (not created afresh)
    assert User.objects.filter(username=SYSTEM_USERNAME).exists()
    system = User.objects.get(pk=system_actor_id())
    # then the scoped selectors give it both malls
    assert {mall.pk, other_mall.pk} <= user_mall_ids(system)
