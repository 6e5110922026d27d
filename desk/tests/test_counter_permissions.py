"""Who may do what with invoice requests, parking validations and group
purchases: role × view × own/other mall's record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from desk.services.group_purchases import group_purchase_order, group_purchase_quote
from desk.tests.factories import make_group_purchase, make_invoice
from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case

DESK, BROAD, SUP, MAN = (
    Role.DESK.value,
    Role.BROADCASTER.value,
    Role.SUPERVISOR.value,
    Role.MANAGER.value,
)


def _list(name):
    return lambda world, side: reverse(name)


def _on(key, name):
    return lambda world, side: reverse(name, args=[world["objects"][side][key].pk])


def MONTH(world, side):
    return f"{reverse('desk:group_month')}?mall={world['malls'][side].pk}"


def MONTH_EXPORT(world, side):
    return f"{reverse('desk:group_month_export')}?mall={world['malls'][side].pk}"


REASON = {"reason": "小票非统一收银"}

CASES = [
    # invoice requests
    PermissionCase(ANONYMOUS, _list("desk:invoice_list"), OWN, 302),
    PermissionCase(BROAD, _list("desk:invoice_list"), OWN, 403),
    *[PermissionCase(r, _list("desk:invoice_list"), OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(BROAD, _list("desk:invoice_new"), OWN, 403),
    PermissionCase(DESK, _list("desk:invoice_new"), OWN, 200),
    PermissionCase(DESK, _on("invoice", "desk:invoice_detail"), OWN, 200),
    PermissionCase(DESK, _on("invoice", "desk:invoice_detail"), OTHER, 404),
    PermissionCase(MAN, _on("invoice", "desk:invoice_detail"), OTHER, 200),
    PermissionCase(DESK, _on("invoice", "desk:invoice_slip"), OWN, 200),
    PermissionCase(SUP, _on("invoice", "desk:invoice_slip"), OTHER, 404),
    PermissionCase(DESK, _on("invoice", "desk:invoice_issue"), OWN, 403, "post"),
    PermissionCase(SUP, _on("invoice", "desk:invoice_issue"), OWN, 302, "post"),
    PermissionCase(SUP, _on("invoice", "desk:invoice_issue"), OTHER, 404, "post"),
    PermissionCase(MAN, _on("invoice", "desk:invoice_issue"), OTHER, 302, "post"),
    PermissionCase(DESK, _on("invoice", "desk:invoice_refuse"), OWN, 403, "post", REASON),
    PermissionCase(SUP, _on("invoice", "desk:invoice_refuse"), OWN, 302, "post", REASON),
    PermissionCase(DESK, _on("invoice", "desk:invoice_email"), OWN, 403, "post"),
    # parking validations
    PermissionCase(BROAD, _list("desk:parking_list"), OWN, 403),
    *[PermissionCase(r, _list("desk:parking_list"), OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(BROAD, _list("desk:parking_new"), OWN, 403),
    PermissionCase(DESK, _list("desk:parking_new"), OWN, 200),
    PermissionCase(DESK, _on("parking", "desk:parking_detail"), OWN, 200),
    PermissionCase(DESK, _on("parking", "desk:parking_detail"), OTHER, 404),
    PermissionCase(MAN, _on("parking", "desk:parking_detail"), OTHER, 200),
    PermissionCase(DESK, _on("parking", "desk:parking_slip"), OTHER, 404),
    PermissionCase(BROAD, _on("parking", "desk:parking_send"), OWN, 403, "post"),
    PermissionCase(DESK, _on("parking", "desk:parking_send"), OTHER, 404, "post"),
    # group purchases
    PermissionCase(BROAD, _list("desk:group_list"), OWN, 403),
    *[PermissionCase(r, _list("desk:group_list"), OWN, 200) for r in (DESK, SUP, MAN)],
    PermissionCase(DESK, _list("desk:group_new"), OWN, 200),
    PermissionCase(DESK, _on("group", "desk:group_detail"), OWN, 200),
    PermissionCase(DESK, _on("group", "desk:group_detail"), OTHER, 404),
    PermissionCase(MAN, _on("group", "desk:group_detail"), OTHER, 200),
    PermissionCase(DESK, _on("group", "desk:group_slip"), OTHER, 404),
    PermissionCase(DESK, _on("group", "desk:group_phone"), OWN, 200, "post"),
    PermissionCase(DESK, _on("group", "desk:group_phone"), OTHER, 404, "post"),
    PermissionCase(BROAD, _on("group", "desk:group_phone"), OWN, 403, "post"),
    PermissionCase(DESK, _on("group", "desk:group_quote"), OWN, 302, "post", {"total": "100"}),
    PermissionCase(DESK, _on("group", "desk:group_quote"), OTHER, 404, "post", {"total": "1"}),
    PermissionCase(BROAD, _on("group", "desk:group_quote"), OWN, 403, "post", {"total": "1"}),
    PermissionCase(DESK, _on("ordered", "desk:group_deliver"), OWN, 403, "post"),
    PermissionCase(SUP, _on("ordered", "desk:group_deliver"), OWN, 302, "post"),
    PermissionCase(SUP, _on("ordered", "desk:group_deliver"), OTHER, 404, "post"),
    PermissionCase(DESK, _on("group", "desk:group_cancel"), OWN, 302, "post", REASON),
    PermissionCase(DESK, MONTH, OWN, 403),
    PermissionCase(SUP, MONTH, OWN, 200),
    PermissionCase(SUP, MONTH, OTHER, 404),
    PermissionCase(MAN, MONTH, OTHER, 200),
    PermissionCase(DESK, MONTH_EXPORT, OWN, 403),
    PermissionCase(SUP, MONTH_EXPORT, OWN, 200),
    PermissionCase(SUP, MONTH_EXPORT, OTHER, 404),
]


@pytest.fixture
def world(permission_world, manager_user, settings):
    from desk.services.parking import parking_validate

    settings.DESK_CARPARK_URL = ""
    for side, mall in permission_world["malls"].items():
        objects = permission_world["objects"][side]
        objects["invoice"] = make_invoice(actor=manager_user, mall=mall)
        objects["parking"] = parking_validate(
            actor=manager_user, mall=mall, plate="沪A3K721", receipts=[("R1", 300)]
        )
        objects["group"] = make_group_purchase(actor=manager_user, mall=mall)
        ordered = make_group_purchase(actor=manager_user, mall=mall)
        group_purchase_quote(actor=manager_user, purchase=ordered, total=48000)
        objects["ordered"] = group_purchase_order(actor=manager_user, purchase=ordered)
    return permission_world


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, world, case):
    check_permission_case(client, world, case)
