"""A user's permissions and malls are cached between requests and forgotten
the moment an administrator changes them."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mallservice import access
from mallservice.cache_shapes import shape
from mallservice.models import User
from mallservice.roles import Role
from mallservice.selectors import user_mall_ids
from mallservice.tests.factories import MallFactory

pytestmark = pytest.mark.django_db

MEMBERS = "members:search"


def _fresh(user: User) -> User:
    """The user as the next request loads it."""
    return User.objects.get(pk=user.pk)


def test_a_second_request_reads_permissions_and_malls_from_the_cache(desk_user, mall):
    # given a first request that loaded the desk user's access
    assert _fresh(desk_user).has_perm("members.view_member")
    # when the next request checks a permission and scopes to the user's malls
    user = _fresh(desk_user)
    with CaptureQueriesContext(connection) as queries:
        allowed = user.has_perm("members.view_member")
        malls = user_mall_ids(user)
    # then nothing is read from the database
    assert allowed and malls == {mall.pk}
    assert len(queries) == 0


def test_a_permission_taken_from_a_role_is_refused_at_the_next_request(client, desk_user):
    client.force_login(desk_user)
    assert client.get(reverse(MEMBERS)).status_code == 200
    # when the administrator takes the permission from the role
    view_member = Permission.objects.get(codename="view_member", content_type__app_label="members")
    Group.objects.get(name=Role.DESK.value).permissions.remove(view_member)
    # then the next request is refused
    assert client.get(reverse(MEMBERS)).status_code == 403


def test_a_role_taken_from_a_user_is_refused_at_the_next_request(client, desk_user):
    client.force_login(desk_user)
    assert client.get(reverse(MEMBERS)).status_code == 200
    desk_user.groups.clear()
    assert client.get(reverse(MEMBERS)).status_code == 403


def test_a_mall_added_to_a_user_widens_their_scope_at_once(desk_user, mall, other_mall):
    assert user_mall_ids(_fresh(desk_user)) == {mall.pk}
    desk_user.extra_malls.add(other_mall)
    assert user_mall_ids(_fresh(desk_user)) == {mall.pk, other_mall.pk}


def test_a_user_moved_to_all_malls_sees_a_mall_opened_later(supervisor_user, mall, other_mall):
    assert user_mall_ids(_fresh(supervisor_user)) == {mall.pk}
    # when the user is given all malls, then a new mall opens
    supervisor_user.all_malls = True
    supervisor_user.save()
    assert user_mall_ids(_fresh(supervisor_user)) == {mall.pk, other_mall.pk}
    opened = MallFactory(code="new", name="新店")
    # then they see every mall, the new one included
    assert user_mall_ids(_fresh(supervisor_user)) == {mall.pk, other_mall.pk, opened.pk}


def test_a_lost_generation_token_never_revives_an_old_entry(desk_user, mall, other_mall):
    # given a cached entry, then the cache loses the generation token
    user_mall_ids(_fresh(desk_user))
    cache.delete(access.GENERATION_KEY)
    # and the user's malls change behind the cache's back (raw SQL)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO mallservice_user_extra_malls (user_id, mall_id) VALUES (%s, %s)",
            [desk_user.pk, other_mall.pk],
        )
    # then the next request reads the database again
    assert user_mall_ids(_fresh(desk_user)) == {mall.pk, other_mall.pk}


def test_an_inactive_user_has_no_permission_even_when_cached(desk_user):
    assert _fresh(desk_user).has_perm("members.view_member")
    desk_user.is_active = False
    desk_user.save()
    assert not _fresh(desk_user).has_perm("members.view_member")


def test_a_cache_key_changes_with_the_shape_of_what_it_holds():
    # given the cached access as one release has it, and as the next one
    # that adds a field would have it
    @dataclasses.dataclass
    class Access:
        generation: str

    before = shape(Access)

    @dataclasses.dataclass  # noqa: F811 - the same class, one release later
    class Access:
        generation: str
        roles: frozenset

    # then the two releases read and write different keys
    assert shape(Access) != before
