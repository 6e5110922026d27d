from __future__ import annotations

import pytest
from django.urls import reverse

from desk.models import WalkInCategory
from desk.tests.factories import make_incident, make_pass
from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case
from mallservice.tests.factories import FloorFactory, UnitFactory

DESK, BROAD, SUP, MAN = (
    Role.DESK.value,
    Role.BROADCASTER.value,
    Role.SUPERVISOR.value,
    Role.MANAGER.value,
)


def _incident(name):
    return lambda world, side: reverse(name, args=[world["objects"][side]["incident"].pk])


def LIST(world, side):
    return reverse("desk:incident_list")


def NEW(world, side):
    return reverse("desk:incident_new")


def TALLY_PAGE(world, side):
    return f"{reverse('desk:walkins')}?mall={world['malls'][side].pk}"


def LOAD(world, side):
    return f"{reverse('desk:walkin_load')}?mall={world['malls'][side].pk}"


def TALLY(world, side):
    return reverse("desk:walkin_tally", args=[world["objects"][side]["category"].pk])


def PASSES(world, side):
    return reverse("desk:pass_list")


def CHECK(world, side):
    return f"{reverse('desk:pass_check')}?code={world['objects'][side]['pass'].code}"


def _pass(name):
    return lambda world, side: reverse(name, args=[world["objects"][side]["pass"].pk])


TOKEN = {"token": "6f1c1d3e-5b7a-4c1e-9a35-0b5e2f3d4c11"}

CASES = [
    PermissionCase(ANONYMOUS, LIST, OWN, 302),
    PermissionCase(BROAD, LIST, OWN, 403),
    *[PermissionCase(r, LIST, OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(BROAD, NEW, OWN, 403),
    *[PermissionCase(r, NEW, OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(BROAD, _incident("desk:incident_detail"), OWN, 403),
    *[PermissionCase(r, _incident("desk:incident_detail"), OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(DESK, _incident("desk:incident_detail"), OTHER, 404),
    PermissionCase(SUP, _incident("desk:incident_detail"), OTHER, 404),
    PermissionCase(MAN, _incident("desk:incident_detail"), OTHER, 200),
    PermissionCase(DESK, _incident("desk:incident_slip"), OWN, 200),
    PermissionCase(DESK, _incident("desk:incident_slip"), OTHER, 404),
    PermissionCase(DESK, _incident("desk:incident_follow_up"), OWN, 302, "post", {"note": "回访"}),
    PermissionCase(DESK, _incident("desk:incident_follow_up"), OTHER, 404, "post", {"note": "x"}),
    PermissionCase(BROAD, _incident("desk:incident_follow_up"), OWN, 403, "post", {"note": "x"}),
    PermissionCase(DESK, _incident("desk:incident_close"), OWN, 403, "post", {"closing_note": "x"}),
    PermissionCase(SUP, _incident("desk:incident_close"), OWN, 302, "post", {"closing_note": "x"}),
    PermissionCase(
        SUP, _incident("desk:incident_close"), OTHER, 404, "post", {"closing_note": "x"}
    ),
    PermissionCase(
        MAN, _incident("desk:incident_close"), OTHER, 302, "post", {"closing_note": "x"}
    ),
    PermissionCase(BROAD, TALLY_PAGE, OWN, 403),
    *[PermissionCase(r, TALLY_PAGE, OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(DESK, TALLY_PAGE, OTHER, 404),
    PermissionCase(MAN, TALLY_PAGE, OTHER, 200),
    PermissionCase(DESK, TALLY, OWN, 302, "post", TOKEN),
    PermissionCase(DESK, TALLY, OTHER, 404, "post", TOKEN),
    PermissionCase(BROAD, TALLY, OWN, 403, "post", TOKEN),
    PermissionCase(DESK, LOAD, OWN, 403),
    PermissionCase(SUP, LOAD, OWN, 200),
    PermissionCase(SUP, LOAD, OTHER, 404),
    PermissionCase(MAN, LOAD, OTHER, 200),
    PermissionCase(BROAD, PASSES, OWN, 403),
    *[PermissionCase(r, PASSES, OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(DESK, _pass("desk:pass_detail"), OWN, 200),
    PermissionCase(DESK, _pass("desk:pass_detail"), OTHER, 404),
    PermissionCase(MAN, _pass("desk:pass_detail"), OTHER, 200),
    PermissionCase(BROAD, _pass("desk:pass_detail"), OWN, 403),
    PermissionCase(DESK, _pass("desk:pass_slip"), OWN, 200),
    PermissionCase(DESK, _pass("desk:pass_approve"), OWN, 302, "post"),
    PermissionCase(DESK, _pass("desk:pass_approve"), OTHER, 404, "post"),
    PermissionCase(BROAD, _pass("desk:pass_approve"), OWN, 403, "post"),
    PermissionCase(SUP, _pass("desk:pass_refuse"), OWN, 302, "post", {"reason": "未盖章"}),
    PermissionCase(DESK, _pass("desk:pass_use"), OTHER, 404, "post"),
    PermissionCase(BROAD, _pass("desk:pass_use"), OWN, 403, "post"),
    PermissionCase(BROAD, CHECK, OWN, 403),
    PermissionCase(DESK, CHECK, OWN, 200),
]


@pytest.fixture
def world(permission_world, desk_user, manager_user):
    for side, mall in permission_world["malls"].items():
        objects = permission_world["objects"][side]
        objects["incident"] = make_incident(actor=manager_user, mall=mall)
        objects["category"] = WalkInCategory.objects.get(mall=mall, code="enquiry")
        unit = UnitFactory(mall=mall, floor=FloorFactory(mall=mall))
        objects["pass"] = make_pass(actor=manager_user, mall=mall, unit=unit)
    return permission_world


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, world, case):
    check_permission_case(client, world, case)
