from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from mailroom import selectors, services
from mailroom.models import NoticeKind, Parcel, ParcelPickup
from mailroom.services import parcels as parcel_services
from mailroom.tests.factories import SIGNATURE_DATA_URL, SIGNATURE_PNG, make_parcel
from mallservice.audit import Source, actor_context
from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch

pytestmark = pytest.mark.django_db


def _last_event(obj):
    return Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id").first()


def test_scanned_parcel_is_logged_with_code_and_arrival_notice(client, desk_user, shop):
    # given desk staff on the receive screen
    client.force_login(desk_user)
    # when a scanned tracking number (full-width, with spaces) is logged for a shop
    response = client.post(
        reverse("mailroom:parcel_receive"),
        {
            "mall": desk_user.mall_id,
            "tracking_number": "ＳＦ 1234 5678 9012",
            "carrier": "sf",
            "recipient_kind": "unit",
            "recipient_unit": shop.pk,
            "size": "small",
            "shelf": "B-2",
        },
    )
    # then the parcel waits on the shelf with a six-digit pick-up code
    assert response.status_code == 302
    parcel = Parcel.objects.get()
    assert parcel.tracking_number == "SF123456789012"
    assert parcel.status == Parcel.Status.WAITING
    assert len(parcel.pickup_code) == 6 and parcel.pickup_code.isdigit()
    assert parcel.received_by == desk_user
    # and the shop is notified through the outbox
    notice = parcel.notifications.get()
    assert notice.kind == NoticeKind.ARRIVAL
    assert notice.params["pickup_code"] == parcel.pickup_code
    # and the history names the desk user as the actor
    event = _last_event(parcel)
    assert event.pgh_context["user"] == desk_user.pk
    assert event.pgh_context["source"] == Source.WEB


def test_the_receive_form_remembers_carrier_and_shelf(client, desk_user, shop):
    client.force_login(desk_user)
    data = {
        "mall": desk_user.mall_id,
        "tracking_number": "YT9876543210",
        "carrier": "yto",
        "recipient_kind": "unit",
        "recipient_unit": shop.pk,
        "size": "large",
        "shelf": "C-3",
    }
    client.post(reverse("mailroom:parcel_receive"), data)
    response = client.get(reverse("mailroom:parcel_receive"))
    form = response.context["form"]
    assert form.initial["carrier"] == "yto"
    assert form.initial["shelf"] == "C-3"


def test_a_double_scan_is_refused_next_to_the_field(client, desk_user, shop, mall):
    # given a parcel already on the shelf
    make_parcel(actor=desk_user, mall=mall, unit=shop, tracking_number="JD0001112223")
    client.force_login(desk_user)
    # when the same barcode is scanned again
    response = client.post(
        reverse("mailroom:parcel_receive"),
        {
            "mall": mall.pk,
            "tracking_number": "jd0001112223",
            "carrier": "jd",
            "recipient_kind": "unit",
            "recipient_unit": shop.pk,
            "size": "small",
            "shelf": "A-1",
        },
    )
    # then the form comes back with the error on the tracking number
    assert response.status_code == 200
    assert response.context["form"].errors["tracking_number"]
    assert Parcel.objects.count() == 1


def test_a_recipient_is_required_for_its_kind(desk_user, mall):
    with pytest.raises(ValidationError) as exc:
        services.parcel_receive(
            actor=desk_user,
            mall=mall,
            carrier="sf",
            tracking_number="SF111122223333",
            recipient_kind="department",
            shelf="A-1",
        )
    assert "recipient_department" in exc.value.error_dict


def test_a_shop_of_another_mall_cannot_receive_here(desk_user, mall, other_mall):
    from mallservice.tests.factories import UnitFactory

    foreign = UnitFactory(floor__mall=other_mall)
    with pytest.raises(ValidationError) as exc:
        make_parcel(actor=desk_user, mall=mall, unit=foreign)
    assert exc.value.error_dict["recipient_unit"][0].code == "other_mall"


def test_lookup_by_code_tracking_number_or_recipient(desk_user, mall, shop):
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop, tracking_number="ZT5550001111")
    other = make_parcel(actor=desk_user, mall=mall, recipient_name="赵女士")
    assert list(selectors.parcel_search(user=desk_user, query=parcel.pickup_code)) == [parcel]
    assert list(selectors.parcel_search(user=desk_user, query="zt 5550001111")) == [parcel]
    assert list(selectors.parcel_search(user=desk_user, query=shop.name)) == [parcel]
    assert list(selectors.parcel_search(user=desk_user, query="赵女士")) == [other]


def test_several_parcels_are_handed_over_in_one_signed_pickup(client, desk_user, mall, shop):
    # given two parcels for one shop
    first = make_parcel(actor=desk_user, mall=mall, unit=shop)
    second = make_parcel(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    # when the collector shows an ID, signs, and both are ticked
    response = client.post(
        reverse("mailroom:pickup"),
        {
            "parcels": [first.pk, second.pk],
            "collector_name": "王磊",
            "verification": "id_last4",
            "id_last4": "123x",
            "signature": SIGNATURE_DATA_URL,
        },
    )
    # then one pick-up with the signature image covers both
    assert response.status_code == 302, response.context["form"].errors
    pickup = ParcelPickup.objects.get()
    assert set(pickup.parcels.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert pickup.id_last4 == "123X"
    assert pickup.handed_over_by == desk_user
    with pickup.signature.open("rb") as fh:
        assert fh.read() == SIGNATURE_PNG
    first.refresh_from_db()
    assert first.status == Parcel.Status.COLLECTED
    assert _last_event(first).pgh_context["user"] == desk_user.pk
    # and the signature image is served to desk staff
    image = client.get(reverse("mailroom:pickup_signature", args=[pickup.pk]))
    assert image.status_code == 200
    assert b"".join(image.streaming_content) == SIGNATURE_PNG


@pytest.mark.parametrize(
    "data, field",
    [
        ({"verification": "id_last4", "id_last4": ""}, "id_last4"),
        ({"verification": "id_last4", "id_last4": "12"}, "id_last4"),
        ({"verification": "staff_badge", "staff_badge": ""}, "staff_badge"),
        ({"verification": "id_last4", "id_last4": "1234", "signature": ""}, "signature"),
        (
            {
                "verification": "id_last4",
                "id_last4": "1234",
                "signature": "data:image/png;base64,!!",
            },
            "signature",
        ),
    ],
)
def test_pickup_requires_verification_and_signature(client, desk_user, mall, shop, data, field):
    # given a waiting parcel
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    # when the hand-over lacks the ID check, the badge or the signature
    post = {"parcels": [parcel.pk], "collector_name": "王磊", "signature": SIGNATURE_DATA_URL}
    post.update(data)
    response = client.post(reverse("mailroom:pickup"), post)
    # then it is refused next to the field and the parcel stays
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.WAITING


def test_the_database_refuses_an_unverified_pickup(desk_user, mall):
    with pytest.raises(IntegrityError):
        ParcelPickup.objects.create(
            mall=mall,
            collector_name="某人",
            verification="id_last4",
            id_last4="",
            signature="x.png",
            handed_over_by=desk_user,
            at=timezone.now(),
        )


def test_a_collected_parcel_cannot_be_collected_again(desk_user, mall, shop):
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop)
    kwargs = dict(
        actor=desk_user,
        mall=mall,
        parcel_ids=[parcel.pk],
        collector_name="王磊",
        verification="staff_badge",
        staff_badge="E1024",
        signature_png=SIGNATURE_PNG,
    )
    services.parcel_pickup(**kwargs)
    with pytest.raises(ValidationError) as exc:
        services.parcel_pickup(**kwargs)
    assert exc.value.error_dict["parcels"][0].code == "not_waiting"


def test_a_pickup_code_is_reused_only_after_the_parcel_left(desk_user, mall, monkeypatch):
    # given a waiting parcel with code 000042
    monkeypatch.setattr(
        parcel_services, "_new_pickup_code", iter(["000042", "000042", "000043"]).__next__
    )
    first = make_parcel(actor=desk_user, mall=mall)
    # when the next parcel draws the same code first
    second = make_parcel(actor=desk_user, mall=mall)
    # then it gets another one
    assert (first.pickup_code, second.pickup_code) == ("000042", "000043")


def test_return_to_sender_is_recorded_and_notified(client, desk_user, mall, shop):
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    response = client.post(
        reverse("mailroom:parcel_return", args=[parcel.pk]), {"reason": "店铺已撤场"}
    )
    assert response.status_code == 302
    parcel.refresh_from_db()
    assert parcel.status == Parcel.Status.RETURNED
    assert parcel.returned_by == desk_user
    assert parcel.notifications.filter(kind=NoticeKind.RETURNED).exists()
    assert _last_event(parcel).pgh_context["user"] == desk_user.pk
    # and a returned parcel cannot be returned again
    response = client.post(reverse("mailroom:parcel_return", args=[parcel.pk]), {"reason": "x"})
    assert response.status_code == 200


def test_parcel_list_query_count_does_not_grow(
    client, desk_user, mall, shop, django_assert_max_num_queries
):
    for _ in range(30):
        make_parcel(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mailroom:parcel_list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 30


def test_daily_register_lists_received_and_collected(
    client, desk_user, mall, shop, django_assert_max_num_queries
):
    # given parcels received today and one collected today
    parcels = [make_parcel(actor=desk_user, mall=mall, unit=shop) for _ in range(5)]
    services.parcel_pickup(
        actor=desk_user,
        mall=mall,
        parcel_ids=[parcels[0].pk, parcels[1].pk],
        collector_name="王磊",
        verification="id_last4",
        id_last4="4321",
        signature_png=SIGNATURE_PNG,
    )
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mailroom:register"))
    assert len(response.context["received"]) == 5
    assert len(response.context["collected"]) == 2
    assert "****4321" in response.content.decode()
    # and another day shows nothing
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.get(reverse("mailroom:register"), {"date": yesterday})
    assert response.context["received"] == []
    # and an impossible date falls back to today instead of failing
    response = client.get(reverse("mailroom:register"), {"date": "2026-02-30"})
    assert len(response.context["received"]) == 5


def test_tracking_lookup_uses_an_index(desk_user, mall):
    from django.db import connection

    with actor_context(actor_id=desk_user.pk, source=Source.COMMAND):
        for _ in range(50):
            make_parcel(actor=desk_user, mall=mall)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        qs = Parcel.objects.filter(tracking_number="SF000000000001")
        plan = qs.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "mailroom_parcel_tracking" in plan or "tracking_unique" in plan


@pytest.mark.django_db(transaction=True)
def test_two_desks_cannot_hand_over_the_same_parcel(desk_user, mall):
    import threading

    from django.db import connection

    # given one waiting parcel
    with actor_context(actor_id=desk_user.pk, source=Source.COMMAND):
        parcel = make_parcel(actor=desk_user, mall=mall)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def hand_over(name: str) -> None:
        try:
            barrier.wait()
            with actor_context(actor_id=desk_user.pk, source=Source.WEB):
                services.parcel_pickup(
                    actor=desk_user,
                    mall=mall,
                    parcel_ids=[parcel.pk],
                    collector_name=name,
                    verification="id_last4",
                    id_last4="1234",
                    signature_png=SIGNATURE_PNG,
                )
            outcomes.append("collected")
        except ValidationError as exc:
            outcomes.append(exc.error_dict["parcels"][0].code)
        finally:
            connection.close()

    # when two desks hand it over at the same moment
    threads = [threading.Thread(target=hand_over, args=(n,)) for n in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one pick-up is recorded
    assert sorted(outcomes) == ["collected", "not_waiting"]
    assert ParcelPickup.objects.count() == 1


def test_a_stack_of_parcels_kicks_the_outbox_once(
    desk_user, mall, django_capture_on_commit_callbacks
):
    # given a courier's stack of three parcels checked in one after another
    with django_capture_on_commit_callbacks(execute=True):
        first = make_parcel(actor=desk_user, mall=mall)
    with django_capture_on_commit_callbacks(execute=True):
        rest = [make_parcel(actor=desk_user, mall=mall) for _ in range(2)]
    # then the first kick delivered the first notice at once; the others
    # wait for the outbox run the beat makes every minute
    statuses = dict(Message.objects.values_list("source", "status"))
    assert statuses[f"parcel:{first.pk}"] == Message.Status.RECORDED
    assert {statuses[f"parcel:{p.pk}"] for p in rest} == {Message.Status.PENDING}
    assert messages_dispatch() == 2


def test_the_parcel_list_pages_without_counting_every_parcel(client, desk_user, mall, shop):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given 52 parcels waiting (a page holds 50)
    parcels = [make_parcel(actor=desk_user, mall=mall, unit=shop) for _ in range(52)]
    client.force_login(desk_user)
    # when the desk opens the list
    with CaptureQueriesContext(connection) as queries:
        first = client.get(reverse("mailroom:parcel_list"))
    # then the newest 50 show with a link to the next page, and no COUNT ran
    assert [p.pk for p in first.context["page_obj"]] == [p.pk for p in parcels[::-1][:50]]
    assert "page=2" in first.content.decode()
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    second = client.get(reverse("mailroom:parcel_list"), {"page": "2"})
    assert [p.pk for p in second.context["page_obj"]] == [parcels[1].pk, parcels[0].pk]
    assert not second.context["page_obj"].has_next()
    assert second.context["page_obj"].has_previous()
    # and a page number that is not one shows the first page
    assert client.get(reverse("mailroom:parcel_list"), {"page": "x"}).status_code == 200
