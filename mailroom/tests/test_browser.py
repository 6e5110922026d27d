"""The desk's two core hand-overs in real Chromium: a parcel scanned in and
signed for, a found item released to a verified claimant."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from mailroom.models import FoundItem, ItemClaim, Parcel, ParcelPickup
from mallservice.tests.factories import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JPEG = image_bytes("JPEG")


def _sign(page) -> None:
    """Draw a stroke on the signature canvas with the mouse, once the page's
    script listens to it (the canvas is drawn before the script runs)."""
    page.wait_for_load_state("domcontentloaded")
    pad = page.locator("[data-testid=signature-pad]")
    box = pad.bounding_box()
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 120)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(x + 30 + step * 25, y + 120 - (step % 3) * 30)
    page.mouse.up()
    expect(pad).to_have_class(re.compile(r"\bsigned\b"))


def test_scan_in_a_parcel_and_hand_it_over_with_a_signature(
    login, page, live_server, desk_user, shop
):
    # given desk staff on the receive screen
    login(desk_user)
    page.goto(f"{live_server.url}/mailroom/parcels/receive/")
    # when the scanner types the barcode and Enter
    page.locator("#id_tracking_number").type("SF1357924680")
    page.keyboard.press("Enter")
    # then the form is not submitted: the cursor moved on to the next field
    assert page.evaluate("document.activeElement.name") == "carrier"
    assert Parcel.objects.count() == 0
    # when the recipient shop and shelf are filled in and the parcel logged
    page.select_option("#id_recipient_kind", "unit")
    page.select_option("#id_recipient_unit", str(shop.pk))
    page.fill("#id_shelf", "B-2")
    page.click("[data-testid=receive-submit]")
    page.wait_for_selector(".alert-success")
    parcel = Parcel.objects.get()
    assert parcel.pickup_code in page.locator(".alert-success").inner_text()
    # when the shop's clerk comes with the pick-up code
    page.click("[data-testid=nav-pickup]")
    page.fill("[data-testid=pickup-search]", parcel.pickup_code)
    page.click("[data-testid=pickup-find]")
    page.wait_for_selector(f"#parcel-{parcel.pk}")
    page.fill("#id_collector_name", "王磊")
    # the badge field is hidden while the ID check is chosen
    assert page.locator("#div_id_staff_badge").is_hidden()
    page.fill("#id_id_last4", "4321")
    _sign(page)
    page.click("[data-testid=pickup-submit]")
    # then the hand-over is recorded with the drawn signature
    page.wait_for_selector("[data-testid=pickup-done]")
    pickup = ParcelPickup.objects.get()
    assert pickup.collector_name == "王磊" and pickup.id_last4 == "4321"
    assert pickup.handed_over_by == desk_user
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.COLLECTED
    with pickup.signature.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    # the stored signature is served back as an image (wait for it to load:
    # on a busy machine the page can be read before the image arrives)
    page.wait_for_function(
        "() => { const img = document.querySelector('[data-testid=signature-img]');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert (
        page.evaluate("document.querySelector('[data-testid=signature-img]').naturalWidth") == 600
    )


def test_an_unsigned_pickup_is_refused_in_the_browser(login, page, live_server, desk_user, shop):
    from mailroom.tests.factories import make_parcel

    parcel = make_parcel(actor=desk_user, mall=shop.mall, unit=shop)
    login(desk_user)
    page.goto(f"{live_server.url}/mailroom/pickup/?q={parcel.pickup_code}")
    page.fill("#id_collector_name", "王磊")
    page.fill("#id_id_last4", "4321")
    page.click("[data-testid=pickup-submit]")
    page.wait_for_selector(".invalid-feedback")
    assert "签名" in page.content()
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.WAITING


def test_log_a_found_item_and_release_it_to_a_verified_claimant(
    login, page, live_server, desk_user, shop
):
    # given desk staff logging a found wallet with a photo
    login(desk_user)
    page.goto(f"{live_server.url}/mailroom/found/")
    page.click("[data-testid=found-new]")
    page.select_option("#id_category", "wallet")
    page.fill("#id_description", "黑色男士钱包，内有星巴克会员卡")
    page.set_input_files(
        "#id_photo", files=[{"name": "wallet.jpg", "mimeType": "image/jpeg", "buffer": JPEG}]
    )
    page.select_option("#id_found_unit", str(shop.pk))
    page.fill("#id_finder_name", "保洁 张阿姨")
    page.select_option("#id_value_band", "high")
    page.click("[data-testid=form-submit]")
    page.wait_for_selector("[data-testid=found-status]")
    item = FoundItem.objects.get()
    assert item.storage == FoundItem.Storage.CABINET and item.photo
    # when the owner comes and describes it
    page.fill("#id_claimant_name", "李娜")
    page.fill("#id_claimant_phone", "13800138000")
    page.fill("#id_id_last4", "5678")
    page.fill("#id_proof_description", "黑色钱包，有一张星巴克会员卡")
    page.click("[data-testid=claim-submit]")
    # and staff verify the proof
    page.click("[data-testid=claim-verify]")
    page.check("input[name=approved][value='1']")
    page.fill("#id_note", "会员卡姓名与身份证一致")
    page.click("[data-testid=claim-action-submit]")
    # and the claimant signs on screen
    page.wait_for_selector("[data-testid=signature-pad]")
    _sign(page)
    page.click("[data-testid=claim-action-submit]")
    # then the item is released to the verified, signed claim
    page.wait_for_selector("[data-testid=claim-signature]")
    item.refresh_from_db()
    claim = ItemClaim.objects.get()
    assert item.status == FoundItem.Status.RELEASED
    assert claim.status == ItemClaim.Status.RELEASED
    assert claim.verified_by == desk_user and claim.released_by == desk_user
    assert claim.signature


def test_a_borrowers_masked_phone_is_revealed_in_place_and_logged(
    login, page, live_server, desk_user, mall
):
    import datetime

    from django.utils import timezone

    from mailroom import services
    from mailroom.tests.factories import SIGNATURE_PNG, make_asset
    from mallservice.models import SensitiveAccess

    # given a wheelchair lent out
    services.loan_lend(
        actor=desk_user,
        asset=make_asset(actor=desk_user, mall=mall),
        borrower_name="孙阿姨",
        borrower_phone="13712345678",
        deposit_kind="cash",
        deposit_amount=200,
        signature_png=SIGNATURE_PNG,
        due_at=timezone.now() + datetime.timedelta(hours=2),
    )
    login(desk_user)
    page.goto(f"{live_server.url}/mailroom/lending/")
    loans = page.locator("[data-testid=open-loans]")
    assert "137****5678" in loans.inner_text()
    # when the desk asks for the full number
    loans.locator("[data-testid=reveal-phone]").click()
    # then it replaces the masked one, and the read is logged
    page.wait_for_selector("[data-testid=revealed-phone]")
    assert loans.locator("[data-testid=revealed-phone]").inner_text() == "13712345678"
    assert SensitiveAccess.objects.get().actor == desk_user


def test_a_pickup_refused_for_a_missing_field_keeps_the_drawn_signature(
    login, page, live_server, desk_user, shop
):
    from mailroom.tests.factories import make_parcel

    # given a waiting parcel and the collector signing on the screen
    parcel = make_parcel(actor=desk_user, mall=shop.mall, unit=shop)
    login(desk_user)
    page.goto(f"{live_server.url}/mailroom/pickup/?q={parcel.pickup_code}")
    page.fill("#id_collector_name", "王磊")
    _sign(page)
    # when the form is sent without the ID's last four digits
    page.click("[data-testid=pickup-submit]")
    page.wait_for_selector("#div_id_id_last4 .invalid-feedback")
    assert ParcelPickup.objects.count() == 0
    # then the signature is still on the pad
    expect(page.locator("[data-testid=signature-pad]")).to_have_class(re.compile(r"\bsigned\b"))
    # and the corrected form goes through with it, without signing again
    page.fill("#id_id_last4", "4321")
    page.click("[data-testid=pickup-submit]")
    page.wait_for_selector("[data-testid=pickup-done]")
    pickup = ParcelPickup.objects.get()
    with pickup.signature.open("rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
