from __future__ import annotations

import pytest
from django.urls import reverse

from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case
from members.tests.factories import CampaignFactory, MemberFactory

DESK, BROAD, SUP, MAN = (
    Role.DESK.value,
    Role.BROADCASTER.value,
    Role.SUPERVISOR.value,
    Role.MANAGER.value,
)


def _member_url(name):
    return lambda world, side: reverse(name, args=[world["objects"][side]["member"].pk])


def SEARCH(world, side):
    return reverse("members:search")


def CALLS(world, side):
    return reverse("members:my_calls")


def SUPERVISION(world, side):
    return reverse("members:supervision")


def PLAN(world, side):
    return reverse("members:campaign_plan", args=[world["objects"][side]["campaign"].pk])


CASES = [
    PermissionCase(ANONYMOUS, SEARCH, OWN, 302),
    PermissionCase(BROAD, SEARCH, OWN, 403),
    PermissionCase(DESK, SEARCH, OWN, 200),
    PermissionCase(SUP, SEARCH, OWN, 200),
    PermissionCase(MAN, SEARCH, OWN, 200),
    PermissionCase(BROAD, _member_url("members:detail"), OWN, 403),
    *[PermissionCase(r, _member_url("members:detail"), OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(DESK, _member_url("members:detail"), OTHER, 404),
    PermissionCase(SUP, _member_url("members:detail"), OTHER, 404),
    PermissionCase(MAN, _member_url("members:detail"), OTHER, 200),
    PermissionCase(DESK, _member_url("members:reveal"), OWN, 200, "post"),
    PermissionCase(DESK, _member_url("members:reveal"), OTHER, 404, "post"),
    PermissionCase(BROAD, _member_url("members:reveal"), OWN, 403, "post"),
    PermissionCase(DESK, _member_url("members:merge"), OWN, 403, "post"),
    PermissionCase(SUP, _member_url("members:merge"), OWN, 200, "post"),
    PermissionCase(DESK, _member_url("members:tier"), OWN, 403, "post"),
    PermissionCase(DESK, CALLS, OWN, 200),
    PermissionCase(BROAD, CALLS, OWN, 403),
    PermissionCase(DESK, SUPERVISION, OWN, 403),
    PermissionCase(SUP, SUPERVISION, OWN, 200),
    PermissionCase(MAN, SUPERVISION, OWN, 200),
    PermissionCase(DESK, PLAN, OWN, 403, "post"),
    PermissionCase(SUP, PLAN, OWN, 302, "post"),
    PermissionCase(SUP, PLAN, OTHER, 404, "post"),
    PermissionCase(MAN, PLAN, OTHER, 302, "post"),
]


@pytest.fixture
def world(permission_world, desk_user, tiers):
    for side, mall in permission_world["malls"].items():
        permission_world["objects"][side]["member"] = MemberFactory(
            mall=mall, registered_by=desk_user
        )
        permission_world["objects"][side]["campaign"] = CampaignFactory(mall=mall)
    return permission_world


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, world, case):
    check_permission_case(client, world, case)
