"""Every phone the mailroom shows is masked; the full number comes only
through a logged POST (mallservice.views.RevealPhoneView)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mailroom import services
from mailroom.tests.factories import make_asset, make_found_item, make_parcel
from mallservice.models import SensitiveAccess


@pytest.fixture
def records(desk_user, mall):
    """One record of each kind, each with its own phone number."""
    parcel = make_parcel(actor=desk_user, mall=mall, recipient_phone="13900000001")
    item = make_found_item(actor=desk_user, mall=mall, finder_phone="13900000002")
    claim = services.claim_log(
        actor=desk_user,
        item=item,
        claimant_name="李娜",
        claimant_phone="13900000003",
        id_last4="5678",
        proof_description="黑色，内有会员卡",
    )
    report = services.lost_report_log(
        actor=desk_user,
        mall=mall,
        category="wallet",
        description="黑色钱包",
        lost_on=timezone.localdate(),
        reporter_name="赵敏",
        reporter_phone="13900000004",
    )
    loan = services.loan_lend(
        actor=desk_user,
        asset=make_asset(actor=desk_user, mall=mall),
        borrower_name="孙阿姨",
        borrower_phone="13900000005",
        deposit_kind="id_card",
        id_last4="1234",
        due_at=timezone.now() + datetime.timedelta(hours=2),
    )
    notice = parcel.notifications.get()
    return {
        "parcel": (parcel, "13900000001", reverse("mailroom:parcel_detail", args=[parcel.pk])),
        "notification": (
            notice,
            notice.recipient,
            reverse("mailroom:parcel_detail", args=[parcel.pk]),
        ),
        "finder": (item, "13900000002", reverse("mailroom:found_detail", args=[item.pk])),
        "claim": (claim, "13900000003", reverse("mailroom:found_detail", args=[item.pk])),
        "lost": (report, "13900000004", reverse("mailroom:lost_detail", args=[report.pk])),
        "loan": (loan, "13900000005", reverse("mailroom:loan_list")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["parcel", "notification", "finder", "claim", "lost", "loan"])
def test_a_masked_phone_is_revealed_only_through_a_logged_post(client, desk_user, records, kind):
    # given a page showing the record's phone masked, with a reveal button
    obj, phone, page_url = records[kind]
    client.force_login(desk_user)
    url = reverse("mailroom:reveal_phone", args=[kind, obj.pk])
    page = client.get(page_url).content.decode()
    assert f"{phone[:3]}****{phone[-4:]}" in page
    assert phone not in page
    assert f'hx-post="{url}"' in page
    # when the desk asks for the full number
    response = client.post(url, REMOTE_ADDR="10.0.0.7")
    # then it is shown and the read is logged with who, what and where
    assert response.status_code == 200
    assert phone in response.content.decode()
    log = SensitiveAccess.objects.get()
    assert (log.actor, log.kind, log.object_id, log.mall_id, log.ip) == (
        desk_user,
        "reveal",
        str(obj.pk),
        obj.mall_id,
        "10.0.0.7",
    )
    assert log.content_type.model_class() is type(obj)


@pytest.mark.django_db
def test_a_get_reveals_nothing(client, desk_user, records):
    obj = records["claim"][0]
    client.force_login(desk_user)
    response = client.get(reverse("mailroom:reveal_phone", args=["claim", obj.pk]))
    assert response.status_code == 405
    assert not SensitiveAccess.objects.exists()


@pytest.mark.django_db
def test_an_unknown_kind_of_record_is_not_found(client, desk_user, records):
    obj = records["claim"][0]
    client.force_login(desk_user)
    response = client.post(reverse("mailroom:reveal_phone", args=["member", obj.pk]))
    assert response.status_code == 404
    assert not SensitiveAccess.objects.exists()
