"""Lending items taken out of service (damaged, away for repair, lost) and
back into service: with a reason, audited, and never lent meanwhile."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from mailroom import services
from mailroom.models import LendableAsset, Loan
from mailroom.tests.factories import SIGNATURE_PNG, make_asset

pytestmark = pytest.mark.django_db


def _events(asset):
    return list(Events.objects.tracks(asset).order_by("pgh_created_at", "pgh_id"))


def _lend(actor, asset):
    return services.loan_lend(
        actor=actor,
        asset=asset,
        borrower_name="孙阿姨",
        borrower_phone="13700001111",
        deposit_kind="id_card",
        id_last4="1234",
        due_at=timezone.now() + datetime.timedelta(hours=2),
    )


def test_an_item_taken_out_of_service_from_the_lending_page_cannot_be_lent(client, desk_user, mall):
    # given a wheelchair in service
    asset = make_asset(actor=desk_user, mall=mall, tag="WC-01")
    client.force_login(desk_user)
    page = client.get(reverse("mailroom:loan_list")).content.decode()
    assert reverse("mailroom:asset_out_of_service", args=[asset.pk]) in page
    # when the desk takes it out of service because it is damaged
    response = client.post(
        reverse("mailroom:asset_out_of_service", args=[asset.pk]),
        {"reason": "damaged", "note": "刹车失灵"},
    )
    # then it is out of service, with the reason, who and when, in its history
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.is_active, asset.out_of_service_reason, asset.service_note) == (
        False,
        "damaged",
        "刹车失灵",
    )
    assert asset.service_changed_by == desk_user and asset.service_changed_at is not None
    last = _events(asset)[-1]
    assert (last.pgh_data["is_active"], last.pgh_data["out_of_service_reason"]) == (
        False,
        "damaged",
    )
    assert last.pgh_context["user"] == desk_user.pk
    # and the lending page shows it out of service, without a lend button
    page = client.get(reverse("mailroom:loan_list")).content.decode()
    assert 'data-testid="out-of-service"' in page
    assert reverse("mailroom:loan_lend", args=[asset.pk]) not in page
    # and it cannot be lent, through the service or the form
    with pytest.raises(ValidationError) as exc:
        _lend(desk_user, asset)
    assert exc.value.code == "inactive"
    response = client.post(
        reverse("mailroom:loan_lend", args=[asset.pk]),
        {
            "borrower_name": "孙阿姨",
            "borrower_phone": "13700001111",
            "deposit_kind": "cash",
            "signature_png": SIGNATURE_PNG,
            "deposit_amount": "100",
            "due_at": (timezone.localtime() + datetime.timedelta(hours=2)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Loan.objects.exists()


def test_an_item_back_in_service_can_be_lent_again(client, desk_user, supervisor_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    services.asset_take_out_of_service(actor=desk_user, asset=asset, reason="repair")
    client.force_login(supervisor_user)
    response = client.post(
        reverse("mailroom:asset_return_to_service", args=[asset.pk]), {"note": "已修好"}
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.is_active, asset.out_of_service_reason, asset.service_note) == (
        True,
        "",
        "已修好",
    )
    assert _events(asset)[-1].pgh_context["user"] == supervisor_user.pk
    assert _lend(desk_user, asset).asset == asset


def test_a_reason_is_needed_both_ways(client, desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    client.force_login(desk_user)
    response = client.post(
        reverse("mailroom:asset_out_of_service", args=[asset.pk]), {"reason": "other"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    response = client.post(
        reverse("mailroom:asset_out_of_service", args=[asset.pk]), {"reason": "stolen?"}
    )
    assert response.context["form"].errors["reason"]
    services.asset_take_out_of_service(actor=desk_user, asset=asset, reason="lost")
    response = client.post(
        reverse("mailroom:asset_return_to_service", args=[asset.pk]), {"note": " "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    asset.refresh_from_db()
    assert not asset.is_active


def test_an_item_lent_out_is_checked_in_before_it_goes_out_of_service(desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    _lend(desk_user, asset)
    with pytest.raises(ValidationError) as exc:
        services.asset_take_out_of_service(actor=desk_user, asset=asset, reason="damaged")
    assert exc.value.code == "lent_out"
    with pytest.raises(ValidationError) as exc:
        services.asset_take_out_of_service(actor=desk_user, asset=asset, reason="lost")
    asset.refresh_from_db()
    assert asset.is_active


def test_a_damaged_item_can_go_out_of_service_as_it_is_checked_in(client, desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    loan = _lend(desk_user, asset)
    client.force_login(desk_user)
    response = client.post(
        reverse("mailroom:loan_return", args=[loan.pk]),
        {"condition": "good", "out_of_service": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["out_of_service"]
    response = client.post(
        reverse("mailroom:loan_return", args=[loan.pk]),
        {"condition": "damaged", "note": "扶手断裂", "out_of_service": "on"},
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    loan.refresh_from_db()
    assert loan.return_condition == "damaged"
    assert (asset.is_active, asset.out_of_service_reason, asset.service_note) == (
        False,
        "damaged",
        "扶手断裂",
    )


def test_the_database_refuses_an_item_out_of_service_without_a_reason(desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    with pytest.raises(IntegrityError), transaction.atomic():
        LendableAsset.objects.filter(pk=asset.pk).update(is_active=False)


def test_the_lending_page_stays_at_a_few_queries_with_items_out_of_service(
    client, desk_user, mall, django_assert_max_num_queries
):
    def world(n, start):
        for i in range(start, start + n):
            asset = make_asset(actor=desk_user, mall=mall, tag=f"ST-{i:02d}", kind="stroller")
            if i % 2:
                services.asset_take_out_of_service(actor=desk_user, asset=asset, reason="repair")

    world(2, 0)
    client.force_login(desk_user)
    client.get(reverse("mailroom:loan_list"))  # warm the session and permissions
    world(18, 2)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("mailroom:loan_list"))
    assert len(response.context["assets"]) == 20
