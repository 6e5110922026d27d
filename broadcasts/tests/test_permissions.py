"""Who may open what: role × page × own / other mall."""

from __future__ import annotations

import pytest
from django.urls import reverse

from broadcasts import services
from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case
from mallservice.tests.factories import make_staff

from .conftest import NOW

DESK, BROADCASTER, SUPERVISOR, MANAGER = (
    Role.DESK.value,
    Role.BROADCASTER.value,
    Role.SUPERVISOR.value,
    Role.MANAGER.value,
)
STAFF = [DESK, BROADCASTER, SUPERVISOR]


@pytest.fixture
def world(permission_world, mall, other_mall, supervisor_user):
    for side, m in (("own", mall), ("other", other_mall)):
        boss = (
            supervisor_user
            if side == "own"
            else make_staff(role=Role.SUPERVISOR, mall=m, username="boss-other")
        )
        screen = services.screen_save(actor=boss, mall=m, name=f"屏-{side}")
        promo = services.announcement_request(
            actor=boss, mall=m, kind="promotion", script="促销", now=NOW
        )
        case = services.missing_case_open(
            actor=boss,
            mall=m,
            person_kind="child",
            description="x",
            clothing="y",
            last_seen_place="z",
            last_seen_at=NOW,
            reporter_name="王",
            reporter_phone="13800138000",
            meeting_point="客服台",
            now=NOW,
        )
        permission_world["objects"][side] = {
            "screen": screen,
            "promo": promo,
            "case": case,
        }
    return permission_world


def _url(name, key=None):
    def build(world, side):
        if key is None:
            return reverse(name)
        return reverse(name, args=[world["objects"][side][key].pk])

    return build


LIST_PAGES = [
    "broadcasts:queue",
    "broadcasts:announcement_create",
    "broadcasts:case_create",
    "broadcasts:message_create",
    "broadcasts:screen_list",
]
SUPERVISOR_PAGES = [
    "broadcasts:template_create",
    "broadcasts:routine_create",
    "broadcasts:screen_create",
    "broadcasts:live_log",
]

CASES: list[PermissionCase] = []
# Every staff role works in the broadcast room; the anonymous are sent to log in.
for name in LIST_PAGES:
    CASES.append(PermissionCase(ANONYMOUS, _url(name), OWN, 302))
    CASES.append(PermissionCase(DESK, _url(name), OWN, 200))
CASES.append(PermissionCase(BROADCASTER, _url("broadcasts:queue"), OWN, 200))
for name in SUPERVISOR_PAGES:
    for role, expected in [(DESK, 403), (BROADCASTER, 403), (SUPERVISOR, 200)]:
        CASES.append(PermissionCase(role, _url(name), OWN, expected))
CASES.append(PermissionCase(BROADCASTER, _url("broadcasts:routine_log"), OWN, 200))
CASES.append(PermissionCase(DESK, _url("broadcasts:routine_log"), OWN, 403))
# Detail pages: own mall 200, another mall's record does not exist (404).
for name, key in [
    ("broadcasts:announcement_detail", "promo"),
    ("broadcasts:case_detail", "case"),
]:
    CASES.append(PermissionCase(DESK, _url(name, key), OWN, 200))
    CASES.append(PermissionCase(DESK, _url(name, key), OTHER, 404))
    CASES.append(PermissionCase(MANAGER, _url(name, key), OTHER, 200))
CASES.append(PermissionCase(SUPERVISOR, _url("broadcasts:screen_edit", "screen"), OWN, 200))
CASES.append(PermissionCase(SUPERVISOR, _url("broadcasts:screen_edit", "screen"), OTHER, 404))
CASES.append(PermissionCase(DESK, _url("broadcasts:screen_edit", "screen"), OWN, 403))
# Actions (POST): who may approve, air, rotate a screen's secret address.
for role, expected in [(DESK, 403), (BROADCASTER, 403), (SUPERVISOR, 302)]:
    CASES.append(
        PermissionCase(
            role, _url("broadcasts:announcement_approve", "promo"), OWN, expected, "post"
        )
    )
    CASES.append(
        PermissionCase(
            role, _url("broadcasts:screen_rotate_token", "screen"), OWN, expected, "post"
        )
    )
CASES.append(
    PermissionCase(SUPERVISOR, _url("broadcasts:announcement_approve", "promo"), OTHER, 404, "post")
)
CASES.append(PermissionCase(DESK, _url("broadcasts:announcement_air", "promo"), OWN, 403, "post"))
CASES.append(
    PermissionCase(DESK, _url("broadcasts:case_police_called", "case"), OTHER, 404, "post")
)
CASES.append(PermissionCase(DESK, _url("broadcasts:case_police_called", "case"), OWN, 302, "post"))
CASES.append(PermissionCase(DESK, _url("broadcasts:case_reveal_phone", "case"), OTHER, 404, "post"))


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, world, case):
    check_permission_case(client, world, case)
