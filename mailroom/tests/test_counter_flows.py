"""Issue 25, item 4 and the friction list: counter flows that lost or
mis-recorded what happened (defaults, duplicate claims, deposit slips, a
notice called "sent" that was only written down, one flash for every
action, forms and search boxes the browser validated or nobody could name)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mailroom import services
from mailroom.models import FoundItem, ItemClaim, Loan
from mailroom.tests.factories import (
    SIGNATURE_DATA_URL,
    SIGNATURE_PNG,
    make_asset,
    make_found_item,
    make_parcel,
)
from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch

pytestmark = pytest.mark.django_db


def _due() -> str:
    return (timezone.localtime() + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")


def _lend(desk_user, mall, **kwargs) -> Loan:
    defaults = {
        "borrower_name": "孙阿姨",
        "borrower_phone": "13700001111",
        "deposit_kind": "cash",
        "deposit_amount": 200,
        "signature_png": SIGNATURE_PNG,
        "due_at": timezone.now() + datetime.timedelta(hours=2),
    }
    defaults.update(kwargs)
    return services.loan_lend(
        actor=desk_user, asset=make_asset(actor=desk_user, mall=mall), **defaults
    )


def test_the_deposit_returned_box_is_not_ticked_in_advance(client, desk_user, mall):
    # given a wheelchair lent against cash
    loan = _lend(desk_user, mall)
    client.force_login(desk_user)
    # when the desk opens the check-in form
    page = client.get(reverse("mailroom:loan_return", args=[loan.pk]))
    # then "deposit handed back" waits to be ticked
    assert page.context["form"]["deposit_returned"].value() in (None, False)
    assert not re.search(r'name="deposit_returned"[^>]*checked', page.content.decode())


def test_a_damaged_return_keeps_the_deposit_unless_ticked(client, desk_user, mall):
    # given a wheelchair lent against cash
    loan = _lend(desk_user, mall)
    client.force_login(desk_user)
    # when it comes back damaged and the form is sent as it came
    response = client.post(
        reverse("mailroom:loan_return", args=[loan.pk]),
        {"condition": "damaged", "note": "扶手松动"},
        follow=True,
    )
    # then the item is in and the deposit kept, and the message says so
    loan.refresh_from_db()
    assert loan.returned_at is not None and loan.deposit_returned_at is None
    assert "押金暂不退还" in response.content.decode()


def test_a_found_items_value_has_no_default(client, desk_user, mall):
    client.force_login(desk_user)
    # when the desk opens the intake form
    page = client.get(reverse("mailroom:found_create"))
    # then no value band is chosen for them
    assert page.context["form"]["value_band"].value() in (None, "")
    # and a form sent without one is refused, nothing logged
    response = client.post(
        reverse("mailroom:found_create"),
        {
            "mall": mall.pk,
            "category": "phone",
            "description": "黑色手机",
            "found_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "finder_name": "保洁 张阿姨",
            "found_place": "二层",
        },
    )
    assert response.status_code == 200
    assert "value_band" in response.context["form"].errors
    assert FoundItem.objects.count() == 0


def test_a_cash_deposit_needs_the_borrowers_signature(desk_user, mall):
    with pytest.raises(ValidationError) as exc:
        _lend(desk_user, mall, signature_png=b"")
    assert exc.value.error_dict["signature"][0].code == "signature_missing"
    assert Loan.objects.count() == 0


def test_lending_against_cash_prints_a_signed_deposit_slip(client, desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    client.force_login(desk_user)
    data = {
        "borrower_name": "孙阿姨",
        "borrower_phone": "13700001111",
        "deposit_kind": "cash",
        "deposit_amount": "200",
        "due_at": _due(),
    }
    # when the desk lends against cash without the borrower's signature
    response = client.post(reverse("mailroom:loan_lend", args=[asset.pk]), data)
    # then it is refused next to the signature pad
    assert response.status_code == 200
    assert "signature" in response.context["form"].errors
    # when the borrower signs
    response = client.post(
        reverse("mailroom:loan_lend", args=[asset.pk]), {**data, "signature": SIGNATURE_DATA_URL}
    )
    # then the desk lands on the deposit slip to print
    loan = Loan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("mailroom:loan_slip", args=[loan.pk])
    assert loan.borrower_signature
    slip = client.get(response.url).content.decode()
    assert "¥200.00" in slip and "137****1111" in slip and "data-print" in slip
    signature = client.get(reverse("mailroom:loan_signature", args=[loan.pk]))
    assert signature.status_code == 200
    assert b"".join(signature.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_id_card_loan_needs_no_signature_and_has_no_slip(client, desk_user, mall):
    loan = _lend(desk_user, mall, deposit_kind="id_card", id_last4="1234", signature_png=b"")
    assert not loan.borrower_signature
    client.force_login(desk_user)
    assert client.get(reverse("mailroom:loan_slip", args=[loan.pk])).status_code == 404


def test_the_same_person_cannot_file_two_claims_for_one_item(client, desk_user, mall):
    # given a claim by 李娜 on a found wallet
    item = make_found_item(actor=desk_user, mall=mall)
    claim = {
        "claimant_name": "李娜",
        "claimant_phone": "13800138000",
        "id_last4": "5678",
        "proof_description": "黑色钱包，有会员卡",
    }
    first = services.claim_log(actor=desk_user, item=item, **claim)
    client.force_login(desk_user)
    # when the same person's claim is sent again (the number typed with spaces)
    response = client.post(
        reverse("mailroom:claim_create", args=[item.pk]),
        {**claim, "claimant_phone": "138 0013 8000"},
    )
    # then it is refused with a message naming the first claim
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "李娜" in errors
    assert timezone.localtime(first.logged_at).strftime("%Y-%m-%d %H:%M") in errors
    assert ItemClaim.objects.count() == 1
    # while another person may still claim the item
    services.claim_log(actor=desk_user, item=item, **{**claim, "claimant_phone": "13900139000"})
    assert ItemClaim.objects.count() == 2


def test_a_rejected_claimant_may_claim_again(desk_user, mall):
    item = make_found_item(actor=desk_user, mall=mall)
    claim = {
        "claimant_name": "李娜",
        "claimant_phone": "13800138000",
        "id_last4": "5678",
        "proof_description": "黑色钱包",
    }
    first = services.claim_log(actor=desk_user, item=item, **claim)
    services.claim_verify(actor=desk_user, claim=first, approved=False)
    services.claim_log(actor=desk_user, item=item, **claim)
    assert ItemClaim.objects.count() == 2


def test_a_notice_only_recorded_does_not_say_sent(client, desk_user, mall):
    # given a parcel whose arrival notice went through the record-only backend
    parcel = make_parcel(actor=desk_user, mall=mall)
    messages_dispatch()
    assert parcel.notifications.get().status == Message.Status.RECORDED
    client.force_login(desk_user)
    # when the desk opens the parcel
    page = client.get(reverse("mailroom:parcel_detail", args=[parcel.pk])).content.decode()
    # then the notice is shown as recorded, not as sent
    status = re.search(r'data-testid="notification-status">([^<]*)<', page).group(1)
    assert "已发送" not in status and "仅记录" in status


def test_each_action_says_what_it_did(client, supervisor_user, mall):
    item = make_found_item(actor=supervisor_user, mall=mall)
    client.force_login(supervisor_user)
    response = client.post(
        reverse("mailroom:found_dispose", args=[item.pk]),
        {"outcome": "to_police", "reference": "JB-2026-17"},
        follow=True,
    )
    text = response.content.decode()
    assert item.number in text and "JB-2026-17" in text


def test_the_pickup_search_box_has_a_label(client, desk_user):
    client.force_login(desk_user)
    page = client.get(reverse("mailroom:pickup")).content.decode()
    box = re.search(r'<input type="search"[^>]*\sid="([^"]+)"', page)
    assert box and f'<label for="{box.group(1)}"' in page


def test_every_mailroom_form_leaves_validation_to_the_server(client, supervisor_user, mall):
    # given a page of each kind with its forms
    item = make_found_item(actor=supervisor_user, mall=mall)
    asset = make_asset(actor=supervisor_user, mall=mall)
    loan = _lend(supervisor_user, mall)
    services.loan_return(actor=supervisor_user, loan=loan, condition="good", deposit_returned=False)
    parcel = make_parcel(actor=supervisor_user, mall=mall)
    report = services.lost_report_log(
        actor=supervisor_user,
        mall=mall,
        category="wallet",
        description="黑色钱包",
        lost_on=timezone.localdate(),
        reporter_name="李娜",
        reporter_phone="13800138000",
        lost_place="二层洗手间",
    )
    client.force_login(supervisor_user)
    urls = [
        reverse("mailroom:parcel_list"),
        reverse("mailroom:parcel_receive"),
        reverse("mailroom:parcel_detail", args=[parcel.pk]),
        reverse("mailroom:parcel_return", args=[parcel.pk]),
        f"{reverse('mailroom:pickup')}?q={parcel.pickup_code}",
        reverse("mailroom:register"),
        reverse("mailroom:outgoing_list"),
        reverse("mailroom:outgoing_create"),
        reverse("mailroom:outgoing_cost"),
        reverse("mailroom:found_list"),
        reverse("mailroom:found_create"),
        reverse("mailroom:found_detail", args=[item.pk]),
        reverse("mailroom:lost_create"),
        reverse("mailroom:lost_detail", args=[report.pk]),
        reverse("mailroom:loan_list"),
        reverse("mailroom:asset_create"),
        reverse("mailroom:loan_lend", args=[asset.pk]),
    ]
    # the site's own header forms (search, log out, language) are not ours
    header = [f'action="{reverse(name)}"' for name in ("search", "logout", "set_language")]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        # then no form of the page leaves its checks to the browser
        for form in re.findall(r"<form\b[^>]*>", page.content.decode()):
            if not any(action in form for action in header):
                assert "novalidate" in form, (url, form)
