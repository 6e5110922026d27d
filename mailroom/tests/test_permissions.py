"""Role × view × own/other mall. Desk staff and supervisors work their own
mall; the broadcast room only reads found items; managers see every mall."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case

DESK, BROAD, SUP, MAN = Role.DESK, Role.BROADCASTER, Role.SUPERVISOR, Role.MANAGER


def _obj(name, url_name):
    def url(world, side):
        return reverse(f"mailroom:{url_name}", args=[world["objects"][side][name].pk])

    return url


def _plain(url_name):
    def url(world, side):
        return reverse(f"mailroom:{url_name}")

    return url


def _reveal(name):
    def url(world, side):
        return reverse("mailroom:reveal_phone", args=[name, world["objects"][side][name].pk])

    return url


parcel_detail = _obj("parcel", "parcel_detail")
pickup_signature = _obj("pickup", "pickup_signature")
found_detail = _obj("item", "found_detail")
found_dispose = _obj("item", "found_dispose")
claim_verify = _obj("claim", "claim_verify")
loan_lend = _obj("asset", "loan_lend")

CASES = [
    # lists and forms without an object
    PermissionCase(ANONYMOUS, _plain("parcel_list"), OWN, 302),
    PermissionCase(DESK, _plain("parcel_list"), OWN, 200),
    PermissionCase(BROAD, _plain("parcel_list"), OWN, 403),
    PermissionCase(DESK, _plain("parcel_receive"), OWN, 200),
    PermissionCase(BROAD, _plain("pickup"), OWN, 403),
    PermissionCase(DESK, _plain("register"), OWN, 200),
    PermissionCase(DESK, _plain("outgoing_cost"), OWN, 200),
    PermissionCase(BROAD, _plain("found_list"), OWN, 200),
    PermissionCase(BROAD, _plain("found_create"), OWN, 403),
    PermissionCase(DESK, _plain("loan_list"), OWN, 200),
    PermissionCase(DESK, _plain("asset_create"), OWN, 403),
    PermissionCase(SUP, _plain("asset_create"), OWN, 200),
    # objects: own mall, other mall
    PermissionCase(ANONYMOUS, parcel_detail, OWN, 302),
    PermissionCase(DESK, parcel_detail, OWN, 200),
    PermissionCase(DESK, parcel_detail, OTHER, 404),
    PermissionCase(BROAD, parcel_detail, OWN, 403),
    PermissionCase(SUP, parcel_detail, OTHER, 404),
    PermissionCase(MAN, parcel_detail, OTHER, 200),
    PermissionCase(DESK, pickup_signature, OWN, 200),
    PermissionCase(DESK, pickup_signature, OTHER, 404),
    PermissionCase(BROAD, pickup_signature, OWN, 403),
    PermissionCase(DESK, found_detail, OWN, 200),
    PermissionCase(DESK, found_detail, OTHER, 404),
    PermissionCase(BROAD, found_detail, OWN, 200),
    PermissionCase(BROAD, found_detail, OTHER, 404),
    PermissionCase(MAN, found_detail, OTHER, 200),
    PermissionCase(DESK, found_dispose, OWN, 403),
    PermissionCase(SUP, found_dispose, OWN, 200),
    PermissionCase(SUP, found_dispose, OTHER, 404),
    PermissionCase(DESK, claim_verify, OWN, 200),
    PermissionCase(DESK, claim_verify, OTHER, 404),
    PermissionCase(BROAD, claim_verify, OWN, 403),
    PermissionCase(DESK, loan_lend, OWN, 200),
    PermissionCase(DESK, loan_lend, OTHER, 404),
    PermissionCase(BROAD, loan_lend, OWN, 403),
    PermissionCase(MAN, loan_lend, OTHER, 200),
    # taking a lending item out of service: desk and supervisor, own mall
    PermissionCase(DESK, _obj("asset", "asset_out_of_service"), OWN, 200),
    PermissionCase(DESK, _obj("asset", "asset_out_of_service"), OTHER, 404),
    PermissionCase(BROAD, _obj("asset", "asset_out_of_service"), OWN, 403),
    PermissionCase(SUP, _obj("asset", "asset_return_to_service"), OWN, 200),
    PermissionCase(
        DESK,
        _obj("asset", "asset_out_of_service"),
        OTHER,
        404,
        method="post",
        data={"reason": "lost"},
    ),
    # revealing a phone: a logged POST, scoped like the record's page
    PermissionCase(ANONYMOUS, _reveal("claim"), OWN, 302, method="post"),
    PermissionCase(DESK, _reveal("claim"), OWN, 200, method="post"),
    PermissionCase(DESK, _reveal("claim"), OTHER, 404, method="post"),
    PermissionCase(BROAD, _reveal("claim"), OWN, 403, method="post"),
    PermissionCase(MAN, _reveal("claim"), OTHER, 200, method="post"),
    PermissionCase(DESK, _reveal("parcel"), OTHER, 404, method="post"),
    # the deposit slip and the borrower's signature: the loan's mall
    PermissionCase(DESK, _obj("loan", "loan_slip"), OWN, 200),
    PermissionCase(DESK, _obj("loan", "loan_slip"), OTHER, 404),
    PermissionCase(BROAD, _obj("loan", "loan_slip"), OWN, 403),
    PermissionCase(MAN, _obj("loan", "loan_slip"), OTHER, 200),
    PermissionCase(DESK, _obj("loan", "loan_signature"), OTHER, 404),
    # one-click actions: one URL each, POST only, scoped like the page
    PermissionCase(DESK, _obj("report", "lost_close"), OWN, 302, method="post"),
    PermissionCase(DESK, _obj("report", "lost_close"), OTHER, 404, method="post"),
    PermissionCase(BROAD, _obj("report", "lost_close"), OWN, 403, method="post"),
    PermissionCase(DESK, _obj("report", "lost_resolve"), OTHER, 404, method="post"),
    PermissionCase(DESK, _obj("loan", "loan_deposit_return"), OTHER, 404, method="post"),
    PermissionCase(BROAD, _obj("loan", "loan_deposit_return"), OWN, 403, method="post"),
    PermissionCase(DESK, _obj("item", "found_broadcast"), OTHER, 404, method="post"),
    PermissionCase(BROAD, _obj("item", "found_broadcast"), OWN, 403, method="post"),
    # a write into another mall is refused before it reaches the service
    PermissionCase(
        DESK,
        _obj("parcel", "parcel_return"),
        OTHER,
        404,
        method="post",
        data={"reason": "x"},
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_mailroom_permission_matrix(client, mailroom_world, case):
    check_permission_case(client, mailroom_world, case)


@pytest.mark.django_db
def test_every_mailroom_permission_named_exists():
    """The constants are the vocabulary: each names a real permission."""
    from django.contrib.auth.models import Permission

    from mailroom import permissions

    names = {
        value
        for name, value in vars(permissions).items()
        if name.isupper() and isinstance(value, str)
    }
    existing = {
        f"{app}.{codename}"
        for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }
    assert names - existing == set()
    for granted in permissions.ROLE_PERMISSIONS.values():
        assert set(granted) <= names
