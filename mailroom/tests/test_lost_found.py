from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from mailroom import selectors, services
from mailroom.models import FoundItem, ItemClaim, LostReport
from mailroom.tests.factories import SIGNATURE_DATA_URL, SIGNATURE_PNG, make_found_item
from mallservice.audit import Source, actor_context
from mallservice.services import system_actor_id
from mallservice.tests.factories import image_bytes

pytestmark = pytest.mark.django_db

JPEG = image_bytes("JPEG")


def _last_event(obj):
    return Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id").first()


def test_found_item_intake_with_photo_and_broadcast_request(client, desk_user, mall, shop):
    # given desk staff with a found phone
    client.force_login(desk_user)
    found_at = timezone.localtime() - datetime.timedelta(minutes=30)
    # when they log it as valuable with a photo and ask for a broadcast
    response = client.post(
        reverse("mailroom:found_create"),
        {
            "mall": mall.pk,
            "category": "phone",
            "description": "白色手机，蓝色手机壳",
            "photo": SimpleUploadedFile("phone.jpg", JPEG, content_type="image/jpeg"),
            "found_at": found_at.strftime("%Y-%m-%dT%H:%M"),
            "found_unit": shop.pk,
            "finder_name": "保洁 张阿姨",
            "value_band": "high",
            "storage_place": "柜-3",
            "broadcast_requested": "on",
        },
    )
    # then it is numbered, locked in the cabinet, with the retention clock set
    assert response.status_code == 302, response.context["form"].errors
    item = FoundItem.objects.get()
    assert item.number.startswith("LF") and item.number.endswith("-001")
    assert item.storage == FoundItem.Storage.CABINET
    assert item.broadcast_requested is True
    assert item.retention_until == timezone.localdate() + datetime.timedelta(days=365)
    assert _last_event(item).pgh_context["user"] == desk_user.pk
    # and the photo is served from behind the login
    photo = client.get(reverse("mailroom:found_photo", args=[item.pk]))
    assert b"".join(photo.streaming_content) == JPEG


def test_a_photo_must_be_an_image(client, desk_user, mall):
    client.force_login(desk_user)
    response = client.post(
        reverse("mailroom:found_create"),
        {
            "mall": mall.pk,
            "category": "bag",
            "description": "帆布包",
            "photo": SimpleUploadedFile("x.jpg", b"<script>", content_type="image/jpeg"),
            "found_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "finder_name": "顾客",
            "value_band": "low",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]


def test_valuables_cannot_go_on_the_open_shelf(desk_user, mall):
    with pytest.raises(ValidationError) as exc:
        make_found_item(actor=desk_user, mall=mall, value_band="high", storage="shelf")
    assert exc.value.error_dict["storage"][0].code == "valuables_locked"
    item = make_found_item(actor=desk_user, mall=mall, value_band="high")
    with pytest.raises(IntegrityError):
        FoundItem.objects.filter(pk=item.pk).update(storage="shelf")


def test_item_numbers_count_up_within_the_day(desk_user, mall):
    first = make_found_item(actor=desk_user, mall=mall)
    second = make_found_item(actor=desk_user, mall=mall)
    assert first.number[:-3] == second.number[:-3]
    assert (first.number[-3:], second.number[-3:]) == ("001", "002")


def test_claim_flow_verify_then_release_with_signature(client, desk_user, supervisor_user, mall):
    # given a found wallet and a claim recorded at the desk
    item = make_found_item(actor=desk_user, mall=mall)
    client.force_login(desk_user)
    response = client.post(
        reverse("mailroom:claim_create", args=[item.pk]),
        {
            "claimant_name": "李娜",
            "claimant_phone": "138 0013 8000",
            "id_last4": "5678",
            "proof_description": "黑色钱包，里面有一张星巴克会员卡",
        },
    )
    assert response.status_code == 302
    claim = ItemClaim.objects.get()
    assert claim.claimant_phone == "13800138000"
    # when release is attempted before verification
    response = client.post(
        reverse("mailroom:claim_release", args=[claim.pk]), {"signature": SIGNATURE_DATA_URL}
    )
    # then it is refused
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    item.refresh_from_db()
    assert item.status == FoundItem.Status.HELD
    # when a supervisor verifies the proof
    client.force_login(supervisor_user)
    response = client.post(
        reverse("mailroom:claim_verify", args=[claim.pk]),
        {"approved": "1", "note": "会员卡姓名与身份证一致"},
    )
    assert response.status_code == 302
    # and the claimant signs
    response = client.post(
        reverse("mailroom:claim_release", args=[claim.pk]), {"signature": SIGNATURE_DATA_URL}
    )
    # then the item is released to them, signed, with the actors recorded
    assert response.status_code == 302
    claim.refresh_from_db()
    item.refresh_from_db()
    assert item.status == FoundItem.Status.RELEASED
    assert claim.status == ItemClaim.Status.RELEASED
    assert claim.verified_by == supervisor_user
    assert claim.released_by == supervisor_user
    with claim.signature.open("rb") as fh:
        assert fh.read() == SIGNATURE_PNG
    assert _last_event(claim).pgh_context["user"] == supervisor_user.pk
    assert _last_event(item).pgh_context["user"] == supervisor_user.pk


def test_verification_needs_a_note_and_rejection_ends_the_claim(desk_user, mall):
    item = make_found_item(actor=desk_user, mall=mall)
    claim = services.claim_log(
        actor=desk_user,
        item=item,
        claimant_name="某人",
        claimant_phone="13800138000",
        id_last4="1234",
        proof_description="一个钱包",
    )
    with pytest.raises(ValidationError):
        services.claim_verify(actor=desk_user, claim=claim, approved=True, note="")
    services.claim_verify(actor=desk_user, claim=claim, approved=False, note="颜色不符")
    claim.refresh_from_db()
    assert claim.status == ItemClaim.Status.REJECTED
    with pytest.raises(ValidationError):
        services.claim_release(actor=desk_user, claim=claim, signature_png=SIGNATURE_PNG)


def test_a_released_item_goes_to_one_owner(desk_user, mall):
    item = make_found_item(actor=desk_user, mall=mall)
    claims = []
    for last4 in ("1111", "2222"):
        claim = services.claim_log(
            actor=desk_user,
            item=item,
            claimant_name="某人",
            claimant_phone="13800138000",
            id_last4=last4,
            proof_description="钱包",
        )
        services.claim_verify(actor=desk_user, claim=claim, approved=True, note="匹配")
        claims.append(claim)
    services.claim_release(actor=desk_user, claim=claims[0], signature_png=SIGNATURE_PNG)
    claims[1].refresh_from_db()
    assert claims[1].status == ItemClaim.Status.REJECTED
    with pytest.raises(ValidationError):
        services.claim_release(actor=desk_user, claim=claims[1], signature_png=SIGNATURE_PNG)


def test_retention_job_expires_each_item_once_then_police_handover_is_recorded(
    desk_user, supervisor_user, mall, settings
):
    # given an item logged with a 30-day retention period
    settings.MAILROOM_FOUND_RETENTION_DAYS = 30
    start = timezone.now()
    item = make_found_item(actor=desk_user, mall=mall, now=start)
    fresh = make_found_item(actor=desk_user, mall=mall, now=start + datetime.timedelta(days=20))
    # when the retention job runs on the last day, then nothing happens
    with actor_context(actor_id=system_actor_id(), source=Source.CELERY):
        assert services.found_retention_dispatch(now=start + datetime.timedelta(days=30)) == 0
        # when it runs after the period, twice
        later = start + datetime.timedelta(days=31)
        assert services.found_retention_dispatch(now=later) == 1
        assert services.found_retention_dispatch(now=later) == 0
    # then the item is marked once, by the system actor; the newer one stays held
    item.refresh_from_db()
    fresh.refresh_from_db()
    assert item.status == FoundItem.Status.EXPIRED
    assert fresh.status == FoundItem.Status.HELD
    assert _last_event(item).pgh_context["user"] == system_actor_id()
    # when a supervisor hands it to the police without a receipt, it is refused
    with pytest.raises(ValidationError):
        services.found_item_dispose(actor=supervisor_user, item=item, outcome="to_police")
    services.found_item_dispose(
        actor=supervisor_user, item=item, outcome="to_police", reference="深公(福)收字 0421"
    )
    item.refresh_from_db()
    assert item.status == FoundItem.Status.TO_POLICE
    assert item.disposal_by == supervisor_user


def test_disposal_only_after_the_retention_period(desk_user, supervisor_user, mall):
    item = make_found_item(actor=desk_user, mall=mall, value_band="low")
    with pytest.raises(ValidationError) as exc:
        services.found_item_dispose(actor=supervisor_user, item=item, outcome="disposed")
    assert exc.value.error_dict["outcome"][0].code == "retention_not_over"


def test_nearing_limit_list(desk_user, mall, settings):
    settings.MAILROOM_FOUND_RETENTION_DAYS = 40
    settings.MAILROOM_FOUND_WARNING_DAYS = 30
    now = timezone.now()
    near = make_found_item(actor=desk_user, mall=mall, now=now - datetime.timedelta(days=15))
    make_found_item(actor=desk_user, mall=mall, now=now)
    assert list(selectors.found_items_nearing_limit(user=desk_user, now=now)) == [near]


def test_desk_cannot_dispose_supervisor_can(client, desk_user, supervisor_user, mall):
    item = make_found_item(actor=desk_user, mall=mall)
    url = reverse("mailroom:found_dispose", args=[item.pk])
    data = {"outcome": "to_police", "reference": "R-1"}
    client.force_login(desk_user)
    assert client.post(url, data).status_code == 403
    client.force_login(supervisor_user)
    assert client.post(url, data).status_code == 302


def test_lost_report_is_matched_by_category_place_and_date(client, desk_user, mall, shop):
    # given found items: a wallet in the same shop, a wallet elsewhere, a phone,
    # and a wallet found before the loss
    now = timezone.now()
    same = make_found_item(actor=desk_user, mall=mall, found_unit=shop, found_place="")
    elsewhere = make_found_item(actor=desk_user, mall=mall, found_place="停车场")
    make_found_item(actor=desk_user, mall=mall, category="phone")
    make_found_item(actor=desk_user, mall=mall, found_at=now - datetime.timedelta(days=10), now=now)
    # when a customer phones in a lost wallet in that shop
    report = services.lost_report_log(
        actor=desk_user,
        mall=mall,
        category="wallet",
        description="黑色钱包",
        lost_on=timezone.localdate(),
        lost_unit=shop,
        reporter_name="吴先生",
        reporter_phone="13912345678",
        source=LostReport.Source.PHONE,
    )
    # then both wallets found since match, the same-place one first
    matches = list(selectors.found_item_matches(user=desk_user, report=report))
    assert matches == [same, elsewhere]
    client.force_login(desk_user)
    response = client.get(reverse("mailroom:lost_detail", args=[report.pk]))
    assert "139****5678" in response.content.decode()
    # and confirming a match resolves the report
    client.post(reverse("mailroom:lost_resolve", args=[report.pk]), {"found_item": same.pk})
    report.refresh_from_db()
    assert report.status == LostReport.Status.RESOLVED and report.found_item == same


def test_a_report_is_closed_as_not_found_and_says_so(client, desk_user, mall):
    report = services.lost_report_log(
        actor=desk_user,
        mall=mall,
        category="wallet",
        description="黑色钱包",
        lost_on=timezone.localdate(),
        reporter_name="吴先生",
        reporter_phone="13912345678",
    )
    client.force_login(desk_user)
    response = client.post(reverse("mailroom:lost_close", args=[report.pk]), follow=True)
    report.refresh_from_db()
    assert report.status == LostReport.Status.CLOSED and report.found_item is None
    assert "报失已按未找到结案" in response.content.decode()
    # a second close is refused as a message, nothing changes
    response = client.post(reverse("mailroom:lost_close", args=[report.pk]), follow=True)
    assert "已结案" in response.content.decode()


def test_another_malls_found_item_cannot_resolve_a_report(client, desk_user, mall, other_mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="desk-other-lf")
    theirs = make_found_item(actor=other_desk, mall=other_mall)
    report = services.lost_report_log(
        actor=desk_user,
        mall=mall,
        category="wallet",
        description="黑色钱包",
        lost_on=timezone.localdate(),
        reporter_name="吴先生",
        reporter_phone="13912345678",
    )
    client.force_login(desk_user)
    client.post(reverse("mailroom:lost_resolve", args=[report.pk]), {"found_item": theirs.pk})
    report.refresh_from_db()
    assert report.status == LostReport.Status.OPEN


def test_found_list_query_count(client, desk_user, mall, django_assert_max_num_queries):
    for _ in range(20):
        make_found_item(actor=desk_user, mall=mall)
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mailroom:found_list"))
    assert len(response.context["page_obj"].object_list) == 20
