from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from broadcasts import selectors, services
from broadcasts.models import (
    Announcement,
    AnnouncementAiring,
    AnnouncementEvent,
    AnnouncementKind,
)
from mallservice.audit import Source, actor_context

from .conftest import NOW

MIN = datetime.timedelta(minutes=1)


def _request(user, mall, kind, **kwargs):
    params = {"script": "测试播报", "now": NOW}
    params.update(kwargs)
    return services.announcement_request(actor=user, mall=mall, kind=kind, **params)


@pytest.mark.parametrize(
    ("kind", "waits"),
    [
        (AnnouncementKind.ADVERTISEMENT, True),
        (AnnouncementKind.PROMOTION, True),
        (AnnouncementKind.MISSING_PERSON, False),
        (AnnouncementKind.CAR_MOVE, False),
        (AnnouncementKind.EMERGENCY, False),
        (AnnouncementKind.LOST_ITEM, False),
        (AnnouncementKind.OTHER, False),
    ],
)
def test_only_ads_and_promotions_wait_for_a_supervisor(desk_user, mall, kind, waits):
    # when desk staff request an announcement of this kind
    announcement = _request(desk_user, mall, kind, repetitions=2)
    # then ads and promotions wait with no airings planned; the rest are queued
    if waits:
        assert announcement.state == Announcement.State.PENDING_APPROVAL
        assert not announcement.airings.exists()
    else:
        assert announcement.state == Announcement.State.QUEUED
        assert announcement.airings.count() == 2


def test_the_database_refuses_a_queued_advertisement_without_an_approver(desk_user, mall):
    ad = _request(desk_user, mall, AnnouncementKind.ADVERTISEMENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=ad.pk).update(state=Announcement.State.QUEUED)


def test_an_emergency_can_never_be_left_waiting_for_approval(desk_user, mall):
    emergency = _request(desk_user, mall, AnnouncementKind.EMERGENCY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Announcement.objects.filter(pk=emergency.pk).update(
            state=Announcement.State.PENDING_APPROVAL
        )


def test_supervisor_approves_a_promotion_through_the_page_and_it_joins_the_queue(
    client, desk_user, supervisor_user, mall
):
    promo = _request(desk_user, mall, AnnouncementKind.PROMOTION, repetitions=3)
    client.force_login(supervisor_user)
    response = client.post(reverse("broadcasts:announcement_approve", args=[promo.pk]))
    assert response.status_code == 302
    promo.refresh_from_db()
    assert promo.state == Announcement.State.QUEUED
    assert promo.decided_by == supervisor_user
    assert promo.airings.filter(state="planned").count() == 3
    event = AnnouncementEvent.objects.filter(pgh_obj=promo, state="queued").get()
    assert event.pgh_context["user"] == supervisor_user.pk
    assert event.pgh_context["source"] == Source.WEB


def test_desk_staff_cannot_approve(client, desk_user, mall):
    promo = _request(desk_user, mall, AnnouncementKind.PROMOTION)
    client.force_login(desk_user)
    response = client.post(reverse("broadcasts:announcement_approve", args=[promo.pk]))
    assert response.status_code == 403
    with pytest.raises(ValidationError) as exc:
        services.announcement_approve(actor=desk_user, announcement=promo)
    assert exc.value.code == "not_allowed"
    promo.refresh_from_db()
    assert promo.state == Announcement.State.PENDING_APPROVAL


def test_a_rejection_needs_a_reason(supervisor_user, desk_user, mall):
    promo = _request(desk_user, mall, AnnouncementKind.PROMOTION)
    with pytest.raises(ValidationError) as exc:
        services.announcement_reject(actor=supervisor_user, announcement=promo, note=" ")
    assert "note" in exc.value.message_dict
    rejected = services.announcement_reject(
        actor=supervisor_user, announcement=promo, note="内容不合规"
    )
    assert rejected.state == Announcement.State.REJECTED
    with pytest.raises(ValidationError):
        services.announcement_approve(actor=supervisor_user, announcement=rejected)


def test_the_repeat_plan_spaces_repeats_by_the_interval(desk_user, mall):
    wanted = NOW + datetime.timedelta(minutes=10)
    car = _request(
        desk_user,
        mall,
        AnnouncementKind.CAR_MOVE,
        repetitions=3,
        interval_minutes=5,
        wanted_at=wanted,
    )
    assert list(car.airings.values_list("sequence", "due_at")) == [
        (1, wanted),
        (2, wanted + 5 * MIN),
        (3, wanted + 10 * MIN),
    ]


def test_a_wanted_time_in_the_past_means_now(desk_user, mall):
    car = _request(desk_user, mall, AnnouncementKind.CAR_MOVE, wanted_at=NOW - 60 * MIN)
    assert car.wanted_at == NOW
    assert car.airings.get().due_at == NOW


def test_airing_records_each_repeat_and_the_last_one_finishes_it(desk_user, broadcaster_user, mall):
    car = _request(desk_user, mall, AnnouncementKind.CAR_MOVE, repetitions=2, interval_minutes=5)
    first = services.announcement_air(actor=broadcaster_user, announcement=car, now=NOW + MIN)
    assert (first.sequence, first.aired_by, first.aired_at) == (1, broadcaster_user, NOW + MIN)
    car.refresh_from_db()
    assert car.state == Announcement.State.QUEUED
    second = services.announcement_air(actor=broadcaster_user, announcement=car, now=NOW + 7 * MIN)
    assert second.sequence == 2
    car.refresh_from_db()
    assert car.state == Announcement.State.DONE
    with pytest.raises(ValidationError) as exc:
        services.announcement_air(actor=broadcaster_user, announcement=car)
    assert exc.value.code == "not_queued"


def test_a_late_airing_pushes_the_later_repeats_to_keep_the_interval(
    desk_user, broadcaster_user, mall
):
    car = _request(desk_user, mall, AnnouncementKind.CAR_MOVE, repetitions=3, interval_minutes=5)
    services.announcement_air(actor=broadcaster_user, announcement=car, now=NOW + 8 * MIN)
    due = list(car.airings.filter(state="planned").values_list("due_at", flat=True))
    assert due == [NOW + 13 * MIN, NOW + 18 * MIN]


def test_cancelling_drops_the_remaining_repeats(desk_user, broadcaster_user, mall):
    # given a car-move request aired once of three
    car = _request(desk_user, mall, AnnouncementKind.CAR_MOVE, repetitions=3)
    services.announcement_air(actor=broadcaster_user, announcement=car, now=NOW)
    # when the desk cancels it because the car moved
    services.announcement_cancel(actor=desk_user, announcement=car, reason="车已移走", now=NOW)
    # then the aired repeat stays recorded and the others drop out of the queue
    states = list(car.airings.order_by("sequence").values_list("state", flat=True))
    assert states == ["aired", "dropped", "dropped"]
    assert selectors.announcement_queue(user=broadcaster_user, now=NOW + 60 * MIN) == []


def test_the_queue_puts_the_most_urgent_first_and_hides_what_is_far_off(
    desk_user, broadcaster_user, supervisor_user, mall
):
    lost = _request(desk_user, mall, AnnouncementKind.LOST_ITEM, wanted_at=NOW - 5 * MIN)
    promo = _request(desk_user, mall, AnnouncementKind.PROMOTION)
    services.announcement_approve(actor=supervisor_user, announcement=promo, now=NOW)
    emergency = _request(desk_user, mall, AnnouncementKind.EMERGENCY)
    car = _request(desk_user, mall, AnnouncementKind.CAR_MOVE)
    later = _request(desk_user, mall, AnnouncementKind.OTHER, wanted_at=NOW + 120 * MIN)
    queue = selectors.announcement_queue(user=broadcaster_user, now=NOW)
    assert [a.pk for a in queue] == [emergency.pk, car.pk, lost.pk, promo.pk]
    assert later.pk not in [a.pk for a in queue]


def test_the_queue_shows_nothing_of_another_mall(desk_user, broadcaster_user, mall, other_mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="desk-other")
    _request(other_desk, other_mall, AnnouncementKind.EMERGENCY)
    assert selectors.announcement_queue(user=broadcaster_user, now=NOW) == []


def test_a_template_request_fills_the_script_and_missing_fields_are_errors(
    client, desk_user, mall, templates
):
    client.force_login(desk_user)
    url = reverse("broadcasts:announcement_create") + f"?template={templates['car'].pk}"
    # when a field of the template is left empty, the form says so (no 500)
    response = client.post(
        url, {"template": templates["car"].pk, "repetitions": 3, "interval_minutes": 5}
    )
    assert response.status_code == 200
    assert "plate_number" in response.context["form"].errors
    # when it is filled in, the script is built from the template
    response = client.post(
        url,
        {
            "template": templates["car"].pk,
            "plate_number": "粤B·12345",
            "repetitions": 3,
            "interval_minutes": 5,
        },
    )
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    assert announcement.kind == AnnouncementKind.CAR_MOVE
    assert announcement.script == "车牌号为粤B·12345的车主请注意，请到停车场移车。"
    assert announcement.fields == {"plate_number": "粤B·12345"}
    event = AnnouncementEvent.objects.get(pgh_obj=announcement, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk


def test_a_template_with_an_unknown_field_is_refused(supervisor_user, mall):
    with pytest.raises(ValidationError) as exc:
        services.script_template_save(
            actor=supervisor_user, mall=mall, kind="other", name="x", body="{nonsense}"
        )
    assert exc.value.error_dict["body"][0].code == "unknown_placeholder"


def test_broadcaster_airs_from_the_queue_page(client, desk_user, broadcaster_user, mall):
    car = _request(
        desk_user, mall, AnnouncementKind.CAR_MOVE, repetitions=2, now=None, script="移车"
    )
    client.force_login(broadcaster_user)
    response = client.post(reverse("broadcasts:announcement_air", args=[car.pk]), {"next": "queue"})
    assert response.status_code == 302 and response.url == reverse("broadcasts:queue")
    airing = car.airings.get(sequence=1)
    assert airing.state == AnnouncementAiring.State.AIRED
    assert airing.aired_by == broadcaster_user


def test_the_queue_page_lists_due_items_in_few_queries(
    client, desk_user, broadcaster_user, mall, django_assert_max_num_queries
):
    for _ in range(8):
        _request(desk_user, mall, AnnouncementKind.CAR_MOVE, now=None, repetitions=3)
    client.force_login(broadcaster_user)
    client.get(reverse("broadcasts:queue"))  # warm the session and role caches
    with django_assert_max_num_queries(14):
        response = client.get(reverse("broadcasts:queue"))
    assert response.status_code == 200
    assert len(response.context["queue"]) == 8


def test_the_announcement_list_is_one_page_of_few_queries(
    client, desk_user, mall, django_assert_max_num_queries
):
    for _ in range(12):
        _request(desk_user, mall, AnnouncementKind.LOST_ITEM, now=None)
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("broadcasts:announcement_list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 12


def test_the_history_panel_names_a_scripts_fields_not_their_codes(
    client, desk_user, supervisor_user, mall, templates
):
    # given a car-move request filled in from its script
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        announcement = services.announcement_request(
            actor=desk_user,
            mall=mall,
            kind=AnnouncementKind.CAR_MOVE,
            template=templates["car"],
            fields={"plate_number": "沪A12345"},
        )
    # when the supervisor opens its history in Chinese
    client.force_login(supervisor_user)
    url = reverse("history_panel", args=["broadcasts", "announcement", announcement.pk])
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # then the field reads by its label
    assert "车牌号：沪A12345" in body
    assert "plate_number" not in body
