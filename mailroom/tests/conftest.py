from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mailroom.tests.factories import make_asset, make_found_item, make_parcel
from mallservice.testing import OTHER, OWN
from mallservice.tests.factories import FloorFactory, UnitFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Signatures and photos are written under a throw-away media root.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def mailroom_world(permission_world, desk_user):
    """The permission world with one parcel, pick-up, found item, claim
    and lendable item in each mall."""
    from mailroom import services
    from mailroom.tests.factories import SIGNATURE_PNG
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    other_desk = make_staff(
        role=Role.DESK, mall=permission_world["malls"][OTHER], username="desk-other"
    )
    for side, actor in ((OWN, desk_user), (OTHER, other_desk)):
        mall = permission_world["malls"][side]
        floor = FloorFactory(mall=mall)
        unit = UnitFactory(floor=floor, mall=mall)
        parcel = make_parcel(actor=actor, mall=mall, unit=unit)
        collected = make_parcel(actor=actor, mall=mall, unit=unit)
        pickup = services.parcel_pickup(
            actor=actor,
            mall=mall,
            parcel_ids=[collected.pk],
            collector_name="王磊",
            verification="id_last4",
            id_last4="1234",
            signature_png=SIGNATURE_PNG,
        )
        item = make_found_item(actor=actor, mall=mall)
        claim = services.claim_log(
            actor=actor,
            item=item,
            claimant_name="李娜",
            claimant_phone="13800138000",
            id_last4="5678",
            proof_description="黑色，内有会员卡",
        )
        asset = make_asset(actor=actor, mall=mall)
        loan = services.loan_lend(
            actor=actor,
            asset=make_asset(actor=actor, mall=mall),
            borrower_name="孙阿姨",
            borrower_phone="13700001111",
            deposit_kind="cash",
            deposit_amount=200,
            signature_png=SIGNATURE_PNG,
            due_at=timezone.now() + datetime.timedelta(hours=2),
        )
        report = services.lost_report_log(
            actor=actor,
            mall=mall,
            category="wallet",
            description="黑色钱包",
            lost_on=timezone.localdate(),
            reporter_name="吴先生",
            reporter_phone="13912345678",
        )
        permission_world["objects"][side].update(
            parcel=parcel,
            pickup=pickup,
            item=item,
            claim=claim,
            asset=asset,
            unit=unit,
            loan=loan,
            report=report,
        )
    return permission_world
