from __future__ import annotations

import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from desk.models import Incident, IncidentEvent
from desk.services.incidents import incident_close, incident_follow_up
from desk.tests.factories import make_incident
from mallservice.audit import Source, actor_context
from mallservice.notifications.models import Message
from mallservice.tests.factories import FloorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_references_count_per_mall_and_year(desk_user, mall, other_mall, manager_user):
    # given two incidents at one mall and one at another
    first = make_incident(actor=desk_user, mall=mall)
    second = make_incident(actor=desk_user, mall=mall)
    elsewhere = make_incident(actor=manager_user, mall=other_mall)
    # then each mall counts its own, by the local year
    year = timezone.localdate().year
    assert first.reference == f"SJ-{year}-00001"
    assert second.reference == f"SJ-{year}-00002"
    assert elsewhere.reference == f"SJ-{year}-00001"


def test_a_new_year_starts_again_at_one(desk_user, mall):
    # given an incident recorded on new year's eve, local time
    eve = timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 50))
    make_incident(actor=desk_user, mall=mall, occurred_at=eve, now=eve)
    # when the next is recorded ten minutes later, after local midnight
    new_year = eve + datetime.timedelta(minutes=15)
    incident = make_incident(actor=desk_user, mall=mall, occurred_at=new_year, now=new_year)
    # then it opens the 2027 series (UTC is still in 2026)
    assert incident.reference == "SJ-2027-00001"


def test_recording_names_its_actor_in_the_history(desk_user, mall):
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        incident = make_incident(actor=desk_user, mall=mall)
    event = IncidentEvent.objects.get(pgh_obj=incident, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk
    assert incident.reported_by == desk_user and incident.status == Incident.Status.OPEN


def test_an_incident_in_the_future_is_refused(desk_user, mall):
    with pytest.raises(ValidationError) as exc:
        make_incident(
            actor=desk_user, mall=mall, occurred_at=timezone.now() + datetime.timedelta(hours=1)
        )
    assert exc.value.error_dict["occurred_at"][0].code == "future"
    assert not Incident.objects.exists()


def test_a_shop_of_another_mall_or_floor_is_refused(desk_user, mall, other_mall, floor):
    other_shop = UnitFactory(mall=other_mall, floor=FloorFactory(mall=other_mall))
    with pytest.raises(ValidationError) as exc:
        make_incident(actor=desk_user, mall=mall, unit=other_shop)
    assert exc.value.error_dict["unit"][0].code == "other_mall"
    upstairs = FloorFactory(mall=mall, code="2F", level=2)
    shop_upstairs = UnitFactory(mall=mall, floor=upstairs)
    with pytest.raises(ValidationError) as exc:
        make_incident(actor=desk_user, mall=mall, floor=floor, unit=shop_upstairs)
    assert exc.value.error_dict["unit"][0].code == "wrong_floor"


def test_a_shop_without_a_floor_takes_the_shops_floor(desk_user, mall, shop):
    incident = make_incident(actor=desk_user, mall=mall, unit=shop)
    assert incident.floor == shop.floor


def test_urgent_incident_records_the_duty_manager_notice_not_sent(
    desk_user, mall, duty_manager, caplog, django_capture_on_commit_callbacks
):
    # given the mall's duty manager
    # when the desk records an urgent medical call
    with caplog.at_level(logging.WARNING, logger="mallservice.notifications.providers"):
        with django_capture_on_commit_callbacks(execute=True):
            incident = make_incident(
                actor=desk_user, mall=mall, kind=Incident.Kind.MEDICAL, urgent=True
            )
    # then one notice to the duty manager is recorded, honestly not sent
    notice = Message.objects.get(source=f"incident:{incident.pk}")
    assert notice.status == Message.Status.RECORDED
    assert (notice.recipient_name, notice.recipient) == ("王强", "13900001111")
    assert incident.reference in notice.body and "紧急" in notice.body
    assert "recorded, not sent" in caplog.text


def test_a_routine_incident_sends_no_notice(desk_user, mall):
    make_incident(actor=desk_user, mall=mall)
    assert not Message.objects.exists()


def test_follow_up_moves_an_open_incident_on_and_closing_needs_the_outcome(
    desk_user, supervisor_user, mall
):
    incident = make_incident(actor=desk_user, mall=mall)
    # when the desk adds a follow-up
    incident_follow_up(actor=desk_user, incident=incident, note="已回访，伤情无碍")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.FOLLOW_UP
    # then desk staff may not close it; a supervisor must say how it ended
    with pytest.raises(PermissionDenied):
        incident_close(actor=desk_user, incident=incident, closing_note="完结")
    with pytest.raises(ValidationError) as exc:
        incident_close(actor=supervisor_user, incident=incident, closing_note="  ")
    assert exc.value.error_dict["closing_note"][0].code == "incident_closed_has_outcome"
    closed = incident_close(actor=supervisor_user, incident=incident, closing_note="已处理完毕")
    assert closed.status == Incident.Status.CLOSED and closed.closed_by == supervisor_user
    # and a closed incident takes no more follow-up
    with pytest.raises(ValidationError):
        incident_follow_up(actor=desk_user, incident=closed, note="再补充")


def test_the_desk_records_an_incident_through_the_form(client, desk_user, mall, shop):
    client.force_login(desk_user)
    page = client.get(reverse("desk:incident_new"))
    assert page.status_code == 200 and b"novalidate" in page.content
    response = client.post(
        reverse("desk:incident_new"),
        {
            "mall": mall.pk,
            "kind": "lift",
            "urgent": "on",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "unit": shop.pk,
            "people_involved": "两名顾客",
            "description": "3号客梯困人",
            "actions_taken": "通知维保",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response.url == incident.get_absolute_url()
    detail = client.get(response.url)
    content = detail.content.decode()
    assert incident.reference in content
    assert "仅记录，未发送" in content  # the notice, honestly


def test_a_missing_field_is_shown_in_chinese_next_to_it(client, desk_user, mall):
    client.force_login(desk_user)
    response = client.post(reverse("desk:incident_new"), {"mall": mall.pk, "kind": "injury"})
    assert response.status_code == 200
    assert 'data-testid="error-description"' in response.content.decode()
    assert "这个字段是必填项" in response.content.decode()


def test_closing_from_the_page_asks_first_and_records_the_outcome(
    client, desk_user, supervisor_user, mall
):
    incident = make_incident(actor=desk_user, mall=mall)
    client.force_login(supervisor_user)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "data-confirm=" in page
    response = client.post(
        reverse("desk:incident_close", args=[incident.pk]), {"closing_note": "已处理"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == Incident.Status.CLOSED


def test_the_list_filters_and_its_query_count_does_not_grow(
    client, desk_user, mall, django_assert_max_num_queries
):
    for n in range(30):
        make_incident(actor=desk_user, mall=mall, urgent=n % 10 == 0)
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:incident_list"), {"urgent": "on"})
    assert response.status_code == 200
    assert response.content.decode().count("/desk/incidents/") >= 3


def test_the_slip_prints_the_reference_and_the_follow_up(client, desk_user, mall):
    incident = make_incident(actor=desk_user, mall=mall)
    incident_follow_up(actor=desk_user, incident=incident, note="已通知工程部")
    client.force_login(desk_user)
    content = client.get(reverse("desk:incident_slip", args=[incident.pk])).content.decode()
    assert incident.reference in content and "已通知工程部" in content
    assert "data-print" in content
