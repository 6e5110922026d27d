"""Issue 16 items 1 and 3: stored files are served only through views that
fetch the record with the user's scoped selector (or, for the entrance
player, its token), with a fixed content type, `nosniff`, a sandboxing CSP,
and as a download unless the file is an image; `/media/` serves nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from mallservice.roles import Role
from mallservice.tests.factories import (
    PDF_BYTES,
    FloorFactory,
    image_bytes,
    image_upload,
    make_staff,
    pdf_upload,
)

PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def stored(mall, shop, desk_user, supervisor_user):
    """One record with a file of each kind in `mall`: url name → (url,
    content type it must be served as, its bytes)."""
    from broadcasts import services as broadcasts
    from complaints.tests.factories import make_complaint, make_fault
    from mailroom import services as mailroom
    from mailroom.tests.factories import SIGNATURE_PNG, make_found_item, make_parcel
    from rosters import services as rosters

    item = make_found_item(actor=desk_user, mall=mall, photo=image_upload("wallet.png"))
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop)
    pickup = mailroom.parcel_pickup(
        actor=desk_user,
        mall=mall,
        parcel_ids=[parcel.pk],
        collector_name="王磊",
        verification="id_last4",
        id_last4="1234",
        signature_png=SIGNATURE_PNG,
    )
    claimed = make_found_item(actor=desk_user, mall=mall)
    claim = mailroom.claim_log(
        actor=desk_user,
        item=claimed,
        claimant_name="李娜",
        claimant_phone="13800138000",
        id_last4="5678",
        proof_description="黑色",
    )
    mailroom.claim_verify(actor=supervisor_user, claim=claim, approved=True, note="颜色相符")
    mailroom.claim_release(actor=desk_user, claim=claim, signature_png=SIGNATURE_PNG)
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop, attachments=[pdf_upload()])
    fault = make_fault(
        actor=desk_user,
        mall=mall,
        floor=FloorFactory(mall=mall),
        photo=image_upload("leak.jpg", fmt="JPEG"),
    )
    today = timezone.localdate()
    leave = rosters.leave_request_create(
        actor=desk_user,
        mall=mall,
        kind="sick",
        start_date=today,
        end_date=today,
        reason="发烧",
        sick_note=pdf_upload(),
    )
    screen = broadcasts.screen_save(actor=supervisor_user, mall=mall, name="东门大屏")
    message = broadcasts.screen_message_submit(
        actor=supervisor_user,
        mall=mall,
        title="欢迎",
        text="欢迎光临",
        screens=[screen],
        starts_on=today - datetime.timedelta(days=1),
        image=image_upload("welcome.png"),
    )
    return {
        "mailroom:found_photo": (reverse("mailroom:found_photo", args=[item.pk]), "image/png", PNG),
        "mailroom:pickup_signature": (
            reverse("mailroom:pickup_signature", args=[pickup.pk]),
            "image/png",
            SIGNATURE_PNG,
        ),
        "mailroom:claim_signature": (
            reverse("mailroom:claim_signature", args=[claim.pk]),
            "image/png",
            SIGNATURE_PNG,
        ),
        "complaints:attachment_file": (
            reverse("complaints:attachment_file", args=[complaint.attachments.get().pk]),
            "application/pdf",
            PDF_BYTES,
        ),
        "complaints:fault_photo": (
            reverse("complaints:fault_photo", args=[fault.pk]),
            "image/jpeg",
            image_bytes("JPEG"),
        ),
        "rosters:sick_note": (
            reverse("rosters:sick_note", args=[leave.pk]),
            "application/pdf",
            PDF_BYTES,
        ),
        "broadcasts:message_image": (
            reverse("broadcasts:message_image", args=[message.pk]),
            "image/png",
            PNG,
        ),
    }


FILE_VIEWS = [
    "mailroom:found_photo",
    "mailroom:pickup_signature",
    "mailroom:claim_signature",
    "complaints:attachment_file",
    "complaints:fault_photo",
    "rosters:sick_note",
    "broadcasts:message_image",
]


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.parametrize("view", FILE_VIEWS)
def test_staff_of_the_mall_get_the_file_with_safe_headers(client, supervisor_user, stored, view):
    url, content_type, content = stored[view]
    client.force_login(supervisor_user)
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    disposition = response["Content-Disposition"]
    if content_type.startswith("image/"):
        assert disposition.startswith("inline")
    else:
        assert disposition.startswith("attachment")


@pytest.mark.parametrize("role", [Role.DESK, Role.SUPERVISOR])
@pytest.mark.parametrize("view", FILE_VIEWS)
def test_another_malls_staff_get_404_for_a_file(client, other_mall, stored, view, role):
    # given staff of another mall (with the same permissions at home)
    intruder = make_staff(role=role, mall=other_mall, username=f"other-{role}")
    client.force_login(intruder)
    # when they open a file of this mall by its address, then it is not there
    assert client.get(stored[view][0]).status_code == 404


@pytest.mark.parametrize("view", FILE_VIEWS)
def test_anonymous_visitors_are_sent_to_the_login(client, stored, view):
    url = stored[view][0]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_media_url_serves_nothing(client, supervisor_user):
    # given a file that is on disk under MEDIA_ROOT
    name = default_storage.save("complaints/2026/12/TS-20261202-005.jpg", ContentFile(JPEG))
    client.force_login(supervisor_user)
    # when anyone asks for it by its media path, then there is no such page
    assert client.get(f"/media/{name}").status_code == 404
    client.logout()
    assert client.get(f"/media/{name}").status_code == 404


def test_an_old_file_with_a_clients_html_name_is_only_a_download(
    client, desk_user, supervisor_user, mall
):
    # given a found item stored before the fix, under the client's name x.html
    from mailroom.models import FoundItem
    from mailroom.tests.factories import make_found_item

    item = make_found_item(actor=desk_user, mall=mall)
    name = default_storage.save(
        "mailroom/found/2026/11/x.html", ContentFile(b"<script src=x.js></script>")
    )
    FoundItem.objects.filter(pk=item.pk).update(photo=name)
    # when a supervisor opens the photo link (the attack)
    client.force_login(supervisor_user)
    response = client.get(reverse("mailroom:found_photo", args=[item.pk]))
    # then it still answers (old files keep working) but never as a page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert ".html" not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_an_old_image_keeps_working_through_the_view(client, desk_user, supervisor_user, mall):
    from complaints.models import Attachment
    from complaints.tests.factories import make_complaint

    complaint = make_complaint(actor=desk_user, mall=mall, attachments=[image_upload()])
    old = default_storage.save("complaints/2026/11/TS-20261101-001.jpg", ContentFile(JPEG))
    Attachment.objects.filter(complaint=complaint).update(file=old)
    client.force_login(supervisor_user)
    response = client.get(
        reverse("complaints:attachment_file", args=[complaint.attachments.get().pk])
    )
    assert _body(response) == JPEG
    assert response["Content-Type"] == "image/jpeg"


def test_the_detail_pages_link_the_scoped_views_not_media(client, supervisor_user, stored):
    from complaints.models import Attachment, FaultReport

    client.force_login(supervisor_user)
    attachment = Attachment.objects.get()
    page = client.get(reverse("complaints:detail", args=[attachment.complaint_id])).content
    assert stored["complaints:attachment_file"][0].encode() in page
    assert b"/media/" not in page
    fault = FaultReport.objects.get()
    page = client.get(reverse("complaints:fault_detail", args=[fault.pk])).content
    assert stored["complaints:fault_photo"][0].encode() in page
    assert b"/media/" not in page


def test_nginx_sends_the_file_after_the_check_when_configured(
    client, supervisor_user, stored, settings
):
    from rosters.models import LeaveRequest

    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    client.force_login(supervisor_user)
    response = client.get(stored["rosters:sick_note"][0])
    leave = LeaveRequest.objects.get()
    assert response["X-Accel-Redirect"] == f"/protected-media/{leave.sick_note.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"


# --- the entrance player: no login, its token is the credential -----------


@pytest.fixture
def screens(mall, other_mall, supervisor_user):
    from broadcasts import services

    here = services.screen_save(actor=supervisor_user, mall=mall, name="东门大屏")
    other_supervisor = make_staff(role=Role.SUPERVISOR, mall=other_mall, username="sup-other")
    there = services.screen_save(actor=other_supervisor, mall=other_mall, name="他店大屏")
    return here, there


def _message(*, actor, mall, screen, **kwargs):
    from broadcasts import services

    return services.screen_message_submit(
        actor=actor,
        mall=mall,
        title="欢迎",
        text="欢迎光临",
        screens=[screen],
        starts_on=timezone.localdate() - datetime.timedelta(days=1),
        image=image_upload("welcome.png"),
        **kwargs,
    )


def test_the_player_gets_its_images_through_its_token(client, supervisor_user, mall, screens):
    here, _there = screens
    message = _message(actor=supervisor_user, mall=mall, screen=here)
    payload = client.get(reverse("broadcasts:player_payload", args=[here.token])).json()
    url = payload["messages"][0]["image"]
    assert url.startswith(reverse("broadcasts:player_image", args=[here.token, message.pk]))
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"


def test_the_player_image_needs_the_right_token(client, supervisor_user, mall, screens):
    from broadcasts import services

    here, there = screens
    message = _message(actor=supervisor_user, mall=mall, screen=here)
    # another screen's token, a made-up one: nothing
    for token in (there.token, "not-a-token"):
        url = reverse("broadcasts:player_image", args=[token, message.pk])
        assert client.get(url).status_code == 404
    # the right token of a screen switched off: nothing either
    services.screen_save(
        actor=supervisor_user, mall=mall, name=here.name, is_active=False, screen=here
    )
    url = reverse("broadcasts:player_image", args=[here.token, message.pk])
    assert client.get(url).status_code == 404


def test_the_player_cannot_fetch_an_image_waiting_for_approval(client, desk_user, mall, screens):
    here, _there = screens
    pending = _message(actor=desk_user, mall=mall, screen=here)
    assert pending.state == "pending"
    url = reverse("broadcasts:player_image", args=[here.token, pending.pk])
    assert client.get(url).status_code == 404
