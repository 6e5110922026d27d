"""Role × page × own/other mall for the returns and CCTV registers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from desk.services.cctv import footage_decide
from desk.tests.factories import make_footage, make_return
from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case
from mallservice.tests.factories import FloorFactory, UnitFactory

DESK, BROAD, SUP, MAN = (
    Role.DESK.value,
    Role.BROADCASTER.value,
    Role.SUPERVISOR.value,
    Role.MANAGER.value,
)


def RETURNS(world, side):
    return reverse("desk:return_list")


def RETURN_NEW(world, side):
    return reverse("desk:return_new")


def _return(name):
    return lambda world, side: reverse(name, args=[world["objects"][side]["return"].pk])


def FOOTAGE(world, side):
    return reverse("desk:footage_list")


def FOOTAGE_NEW(world, side):
    return reverse("desk:footage_new")


def _footage(name, key="footage"):
    return lambda world, side: reverse(name, args=[world["objects"][side][key].pk])


VIEWING = {"viewers": "刘女士"}
COPY = {"received_by": "李警官", "police_document_number": "调证字1234号"}
STEP = {"kind": "shop_answer", "note": "同意换货"}
SETTLE = {"outcome": "exchange", "shop_contact_name": "李店长"}

CASES = [
    PermissionCase(ANONYMOUS, RETURNS, OWN, 302),
    PermissionCase(BROAD, RETURNS, OWN, 403),
    *[PermissionCase(r, RETURNS, OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(BROAD, RETURN_NEW, OWN, 403),
    PermissionCase(DESK, RETURN_NEW, OWN, 200),
    PermissionCase(DESK, _return("desk:return_detail"), OWN, 200),
    PermissionCase(DESK, _return("desk:return_detail"), OTHER, 404),
    PermissionCase(SUP, _return("desk:return_detail"), OTHER, 404),
    PermissionCase(MAN, _return("desk:return_detail"), OTHER, 200),
    PermissionCase(BROAD, _return("desk:return_detail"), OWN, 403),
    PermissionCase(DESK, _return("desk:return_slip"), OWN, 200),
    PermissionCase(DESK, _return("desk:return_slip"), OTHER, 404),
    PermissionCase(DESK, _return("desk:return_step"), OWN, 302, "post", STEP),
    PermissionCase(DESK, _return("desk:return_step"), OTHER, 404, "post", STEP),
    PermissionCase(BROAD, _return("desk:return_step"), OWN, 403, "post", STEP),
    PermissionCase(DESK, _return("desk:return_settle"), OWN, 302, "post", SETTLE),
    PermissionCase(SUP, _return("desk:return_settle"), OTHER, 404, "post", SETTLE),
    PermissionCase(BROAD, _return("desk:return_settle"), OWN, 403, "post", SETTLE),
    PermissionCase(BROAD, _return("desk:return_escalate"), OWN, 403, "post"),
    PermissionCase(DESK, _return("desk:return_escalate"), OTHER, 404, "post"),
    PermissionCase(DESK, _return("desk:return_phone"), OWN, 200, "post"),
    PermissionCase(DESK, _return("desk:return_phone"), OTHER, 404, "post"),
    PermissionCase(BROAD, _return("desk:return_phone"), OWN, 403, "post"),
    PermissionCase(ANONYMOUS, FOOTAGE, OWN, 302),
    PermissionCase(BROAD, FOOTAGE, OWN, 403),
    *[PermissionCase(r, FOOTAGE, OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(BROAD, FOOTAGE_NEW, OWN, 403),
    PermissionCase(DESK, FOOTAGE_NEW, OWN, 200),
    PermissionCase(DESK, _footage("desk:footage_detail"), OWN, 200),
    PermissionCase(DESK, _footage("desk:footage_detail"), OTHER, 404),
    PermissionCase(MAN, _footage("desk:footage_detail"), OTHER, 200),
    PermissionCase(BROAD, _footage("desk:footage_detail"), OWN, 403),
    PermissionCase(DESK, _footage("desk:footage_slip"), OWN, 200),
    PermissionCase(DESK, _footage("desk:footage_slip"), OTHER, 404),
    # 调阅监控须客服中心同意: the approval is the supervisor's, not the desk's
    PermissionCase(DESK, _footage("desk:footage_approve"), OWN, 403, "post"),
    PermissionCase(SUP, _footage("desk:footage_approve"), OWN, 302, "post"),
    PermissionCase(SUP, _footage("desk:footage_approve"), OTHER, 404, "post"),
    PermissionCase(MAN, _footage("desk:footage_approve"), OTHER, 302, "post"),
    PermissionCase(DESK, _footage("desk:footage_refuse"), OWN, 403, "post", {"reason": "x"}),
    PermissionCase(SUP, _footage("desk:footage_refuse"), OWN, 302, "post", {"reason": "无理由"}),
    PermissionCase(DESK, _footage("desk:footage_viewing", "approved"), OWN, 302, "post", VIEWING),
    PermissionCase(DESK, _footage("desk:footage_viewing", "approved"), OTHER, 404, "post", VIEWING),
    PermissionCase(BROAD, _footage("desk:footage_viewing", "approved"), OWN, 403, "post", VIEWING),
    PermissionCase(DESK, _footage("desk:footage_copy", "approved"), OWN, 403, "post", COPY),
    PermissionCase(SUP, _footage("desk:footage_copy", "approved"), OWN, 302, "post", COPY),
    PermissionCase(SUP, _footage("desk:footage_copy", "approved"), OTHER, 404, "post", COPY),
    PermissionCase(DESK, _footage("desk:footage_phone"), OWN, 200, "post"),
    PermissionCase(DESK, _footage("desk:footage_phone"), OTHER, 404, "post"),
]


@pytest.fixture
def world(permission_world, manager_user):
    for side, mall in permission_world["malls"].items():
        objects = permission_world["objects"][side]
        unit = UnitFactory(mall=mall, floor=FloorFactory(mall=mall))
        objects["return"] = make_return(actor=manager_user, mall=mall, unit=unit)
        objects["footage"] = make_footage(actor=manager_user, mall=mall)
        objects["approved"] = footage_decide(
            actor=manager_user,
            review=make_footage(actor=manager_user, mall=mall, requester_kind="police"),
            approve=True,
        )
    return permission_world


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, world, case):
    check_permission_case(client, world, case)
