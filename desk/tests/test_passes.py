from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from desk.models import ReleasePass, ReleasePassEvent
from desk.services.passes import CODE_ALPHABET, pass_decide, pass_use
from desk.tests.factories import make_pass
from mallservice.audit import Source, actor_context
from mallservice.tests.factories import FloorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_request_gets_a_reference_and_a_readable_code(desk_user, mall, shop):
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        release = make_pass(actor=desk_user, mall=mall, unit=shop)
    assert release.reference == f"FX-{timezone.localdate().year}-00001"
    assert len(release.code) == 8 and set(release.code) <= set(CODE_ALPHABET)
    assert release.vehicle == "沪A·3K721"
    assert release.status == ReleasePass.Status.REQUESTED
    event = ReleasePassEvent.objects.get(pgh_obj=release, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk


def test_the_window_must_end_after_it_starts_and_in_the_future(desk_user, mall, shop):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        make_pass(
            actor=desk_user,
            mall=mall,
            unit=shop,
            valid_from=now + datetime.timedelta(hours=3),
            valid_until=now + datetime.timedelta(hours=1),
        )
    assert exc.value.error_dict["valid_until"][0].code == "releasepass_window_in_order"
    with pytest.raises(ValidationError) as exc:
        make_pass(
            actor=desk_user,
            mall=mall,
            unit=shop,
            valid_from=now - datetime.timedelta(hours=3),
            valid_until=now - datetime.timedelta(hours=1),
        )
    assert exc.value.error_dict["valid_until"][0].code == "past"


def test_another_malls_shop_is_refused(desk_user, mall, other_mall):
    theirs = UnitFactory(mall=other_mall, floor=FloorFactory(mall=other_mall))
    with pytest.raises(ValidationError) as exc:
        make_pass(actor=desk_user, mall=mall, unit=theirs)
    assert exc.value.error_dict["unit"][0].code == "other_mall"


def test_a_refusal_needs_its_reason(desk_user, mall, shop):
    release = make_pass(actor=desk_user, mall=mall, unit=shop)
    with pytest.raises(ValidationError) as exc:
        pass_decide(actor=desk_user, release=release, approve=False, reason=" ")
    assert exc.value.error_dict["refusal_reason"][0].code == "releasepass_refusal_has_reason"
    refused = pass_decide(actor=desk_user, release=release, approve=False, reason="未盖公章")
    assert refused.status == ReleasePass.Status.REFUSED and refused.decided_by == desk_user


def test_an_approved_pass_is_used_once(desk_user, mall, shop):
    release = pass_decide(
        actor=desk_user, release=make_pass(actor=desk_user, mall=mall, unit=shop), approve=True
    )
    used = pass_use(actor=desk_user, release=release)
    assert used.status == ReleasePass.Status.USED and used.used_by == desk_user
    with pytest.raises(ValidationError) as exc:
        pass_use(actor=desk_user, release=used)
    assert exc.value.code == "used"


@pytest.mark.parametrize(
    ("decide", "shift", "state"),
    [
        (None, 0, "requested"),
        (False, 0, "refused"),
        (True, 3, "expired"),
        (True, -1, "not_yet"),
    ],
)
def test_the_exit_refuses_a_pass_that_does_not_let_goods_out(
    desk_user, mall, shop, decide, shift, state
):
    release = make_pass(actor=desk_user, mall=mall, unit=shop)
    if decide is not None:
        pass_decide(actor=desk_user, release=release, approve=decide, reason="未盖公章")
    at = timezone.now() + datetime.timedelta(hours=shift)
    if shift < 0:
        at = release.valid_from - datetime.timedelta(minutes=30)
    with pytest.raises(ValidationError) as exc:
        pass_use(actor=desk_user, release=release, now=at)
    assert exc.value.code == state
    release.refresh_from_db()
    assert release.used_at is None


def test_the_exit_page_finds_the_code_and_says_clearly(client, desk_user, mall, shop):
    release = make_pass(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    url = reverse("desk:pass_check")
    # typed in lower case with a space, before approval
    page = client.get(url, {"code": f"{release.code[:4].lower()} {release.code[4:]}"})
    assert "尚未批准" in page.content.decode()
    pass_decide(actor=desk_user, release=release, approve=True)
    page = client.get(url, {"code": release.code}).content.decode()
    assert "有效" in page and 'data-testid="pass-use"' in page and "data-confirm" in page
    response = client.post(reverse("desk:pass_use", args=[release.pk]))
    assert response.status_code == 302 and response.url.endswith(f"code={release.code}")
    again = client.get(response.url).content.decode()
    assert "已使用过" in again and 'data-testid="pass-use"' not in again
    assert "没有此核验码" in client.get(url, {"code": "ZZZZZZZZ"}).content.decode()


def test_the_desk_records_a_request_through_the_form(client, desk_user, mall, shop):
    client.force_login(desk_user)
    now = timezone.localtime()
    response = client.post(
        reverse("desk:pass_new"),
        {
            "mall": mall.pk,
            "unit": shop.pk,
            "contact_name": "李店长",
            "items": "展示柜",
            "quantity": 1,
            "valid_from": now.strftime("%Y-%m-%dT%H:%M"),
            "valid_until": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-valid_until"' in response.content.decode()
    assert not ReleasePass.objects.exists()


def test_the_list_query_count_does_not_grow(
    client, desk_user, mall, shop, django_assert_max_num_queries
):
    for _ in range(20):
        make_pass(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:pass_list"), {"status": "requested"})
    assert response.status_code == 200 and len(response.context["passes"]) == 20
