from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from broadcasts import services
from broadcasts.models import (
    Announcement,
    AnnouncementKind,
    MissingPersonCase,
    MissingPersonCaseEvent,
)
from mallservice.models import Unit
from mallservice.tests.factories import UnitFactory

from .conftest import NOW

MIN = datetime.timedelta(minutes=1)


def _open(user, mall, **kwargs):
    params = {
        "person_kind": "child",
        "person_name": "王小明",
        "age": 5,
        "gender": "m",
        "description": "短发，圆脸",
        "clothing": "红色羽绒服、白色运动鞋",
        "last_seen_place": "三层孩子王门口",
        "last_seen_at": NOW - 5 * MIN,
        "reporter_name": "王女士",
        "reporter_phone": "138 0013 8000",
        "meeting_point": "一楼客服台",
        "now": NOW,
    }
    params.update(kwargs)
    return services.missing_case_open(actor=user, mall=mall, **params)


def test_a_childs_page_describes_the_child_but_never_names_them(desk_user, mall):
    case = _open(desk_user, mall)
    page = case.announcements.get()
    assert page.kind == AnnouncementKind.MISSING_PERSON
    assert "王小明" not in page.script and "小明" not in page.script
    assert "红色羽绒服" in page.script and "三层孩子王门口" in page.script
    assert "一楼客服台" in page.script
    # the name is still on file for the police
    assert case.person_name == "王小明"


def test_an_elderly_persons_page_may_use_their_name(desk_user, mall):
    case = _open(desk_user, mall, person_kind="elderly", person_name="李桂英", age=78, gender="f")
    assert "李桂英" in case.announcements.get().script


def test_a_missing_person_page_goes_to_the_queue_at_once(desk_user, mall):
    case = _open(desk_user, mall, repetitions=3, interval_minutes=5)
    page = case.announcements.get()
    assert page.state == Announcement.State.QUEUED
    assert list(page.airings.values_list("due_at", flat=True)) == [
        NOW,
        NOW + 5 * MIN,
        NOW + 10 * MIN,
    ]


def test_the_reporter_phone_is_normalised_and_shown_masked(client, desk_user, mall):
    case = _open(desk_user, mall)
    assert case.reporter_phone == "13800138000"
    client.force_login(desk_user)
    html = client.get(reverse("broadcasts:case_detail", args=[case.pk])).content.decode()
    assert "138****8000" in html and "13800138000" not in html


def test_a_bad_reporter_phone_is_an_error_on_the_field(client, desk_user, mall):
    client.force_login(desk_user)
    response = client.post(
        reverse("broadcasts:case_create"),
        {
            "person_kind": "child",
            "description": "x",
            "clothing": "y",
            "last_seen_place": "z",
            "last_seen_at": "2026-11-26T14:55",
            "reporter_name": "王",
            "reporter_phone": "12345",
            "meeting_point": "客服台",
        },
    )
    assert response.status_code == 200
    assert "reporter_phone" in response.context["form"].errors
    assert not MissingPersonCase.objects.exists()


def test_the_desk_is_prompted_to_call_the_police_after_ten_minutes(desk_user, mall):
    case = _open(desk_user, mall)
    assert case.police_due_at == NOW + 10 * MIN
    # before ten minutes nothing is prompted
    assert services.missing_police_prompt_dispatch(now=NOW + 9 * MIN) == []
    assert not case.police_overdue(NOW + 9 * MIN)
    # after ten minutes the dispatcher prompts once
    assert services.missing_police_prompt_dispatch(now=NOW + 10 * MIN) == [case.pk]
    assert services.missing_police_prompt_dispatch(now=NOW + 11 * MIN) == []
    case.refresh_from_db()
    assert case.police_prompted_at == NOW + 10 * MIN
    assert case.police_overdue(NOW + 10 * MIN)


def test_the_police_time_is_configurable(desk_user, mall, settings):
    settings.BROADCASTS_POLICE_PROMPT_MINUTES = 5
    case = _open(desk_user, mall)
    assert case.police_due_at == NOW + 5 * MIN


def test_the_case_page_prompts_and_records_when_the_police_were_called(client, desk_user, mall):
    case = _open(desk_user, mall, now=None, last_seen_at=NOW - 5 * MIN)
    MissingPersonCase.objects.filter(pk=case.pk).update(police_due_at=NOW - MIN)
    client.force_login(desk_user)
    url = reverse("broadcasts:case_detail", args=[case.pk])
    assert b'data-testid="police-prompt"' in client.get(url).content
    response = client.post(reverse("broadcasts:case_police_called", args=[case.pk]), {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.police_called_at is not None and case.police_called_by == desk_user
    assert b'data-testid="police-prompt"' not in client.get(url).content
    event = MissingPersonCaseEvent.objects.filter(
        pgh_obj=case, police_called_at__isnull=False
    ).first()
    assert event.pgh_context["user"] == desk_user.pk
    assert "reporter_phone" not in {f.name for f in MissingPersonCaseEvent._meta.fields}


def test_exits_are_marked_watched_once(desk_user, mall, floor):
    exit_ = UnitFactory(
        floor=floor, mall=mall, kind=Unit.Kind.PUBLIC_AREA, area_kind="entrance", name="东门"
    )
    case = _open(desk_user, mall)
    watch = services.missing_case_watch_exit(actor=desk_user, case=case, exit=exit_, now=NOW)
    assert watch.watched_by == desk_user
    with pytest.raises(ValidationError):
        services.missing_case_watch_exit(actor=desk_user, case=case, exit=exit_, now=NOW)


def test_finding_the_person_records_the_outcome_and_cancels_the_remaining_pages(
    desk_user, broadcaster_user, mall
):
    case = _open(desk_user, mall, repetitions=3)
    page = case.announcements.get()
    services.announcement_air(actor=broadcaster_user, announcement=page, now=NOW)
    services.missing_case_resolve(
        actor=desk_user,
        case=case,
        outcome="reunited",
        found=True,
        found_at=NOW + 8 * MIN,
        now=NOW + 9 * MIN,
    )
    case.refresh_from_db()
    page.refresh_from_db()
    assert (case.state, case.outcome, case.found_at) == ("found", "reunited", NOW + 8 * MIN)
    assert page.state == Announcement.State.CANCELLED
    assert list(page.airings.order_by("sequence").values_list("state", flat=True)) == [
        "aired",
        "dropped",
        "dropped",
    ]
    # a closed case no longer prompts for the police
    assert services.missing_police_prompt_dispatch(now=NOW + 60 * MIN) == []


def test_revealing_the_reporters_number_is_logged(client, desk_user, mall):
    from mallservice.models import SensitiveAccess

    case = _open(desk_user, mall)
    client.force_login(desk_user)
    response = client.post(reverse("broadcasts:case_reveal_phone", args=[case.pk]))
    assert response.status_code == 200
    assert "13800138000" in response.content.decode()
    access = SensitiveAccess.objects.get()
    assert (access.actor, access.kind, access.field, access.object_id) == (
        desk_user,
        "reveal",
        "reporter_phone",
        str(case.pk),
    )


def test_closing_a_case_needs_an_explicit_result_and_outcome(client, desk_user, mall):
    # given an open case with its page in the queue
    case = _open(desk_user, mall, now=timezone.now())
    client.force_login(desk_user)
    # when the desk presses "close" without saying found or not, nor how it ended
    response = client.post(reverse("broadcasts:case_resolve", args=[case.pk]), {})
    # then nothing is assumed: both fields are asked for and the case stays open
    assert response.status_code == 200
    errors = response.context["resolve_form"].errors
    assert set(errors) >= {"found", "outcome"}
    case.refresh_from_db()
    assert case.state == MissingPersonCase.State.OPEN
    assert case.announcements.get().state == Announcement.State.QUEUED


def test_a_person_not_found_cannot_be_closed_as_reunited(client, desk_user, mall):
    case = _open(desk_user, mall, now=timezone.now())
    client.force_login(desk_user)
    response = client.post(
        reverse("broadcasts:case_resolve", args=[case.pk]), {"found": "no", "outcome": "reunited"}
    )
    assert response.status_code == 200
    assert "未找到的人不能选择" in response.context["resolve_form"].errors["outcome"][0]
    case.refresh_from_db()
    assert case.state == MissingPersonCase.State.OPEN
    # while an explicit "not found, left the mall" closes it
    client.post(
        reverse("broadcasts:case_resolve", args=[case.pk]), {"found": "no", "outcome": "left"}
    )
    case.refresh_from_db()
    assert (case.state, case.outcome, case.found_at) == ("closed", "left", None)


def test_the_close_form_asks_for_confirmation(client, desk_user, mall):
    case = _open(desk_user, mall, now=timezone.now())
    client.force_login(desk_user)
    page = client.get(reverse("broadcasts:case_detail", args=[case.pk])).content.decode()
    assert 'data-confirm="确定结案并取消所有尚未播出的寻人广播吗？"' in page
    form = page.split(reverse("broadcasts:case_resolve", args=[case.pk]))[1].split(
        "resolve-submit"
    )[0]
    # and neither "found" nor "reunited" is ticked in advance
    assert "checked" not in form
    assert 'value="reunited" selected' not in form


def test_the_broadcasters_queue_prompts_to_call_the_police(
    client, desk_user, broadcaster_user, mall
):
    # given a case opened 11 minutes ago and nobody has called the police
    case = _open(desk_user, mall, now=timezone.now() - 11 * MIN)
    client.force_login(broadcaster_user)
    # when the broadcaster looks at the queue (the page and its 30-second refresh)
    full = client.get(reverse("broadcasts:queue")).content.decode()
    partial = client.get(reverse("broadcasts:queue"), HTTP_HX_REQUEST="true").content.decode()
    # then both tell them to call the police, linking to the case
    for html in (full, partial):
        assert f'data-testid="queue-police-prompt-{case.pk}"' in html
        assert reverse("broadcasts:case_detail", args=[case.pk]) in html
    # and once the police have been called the prompt goes
    services.missing_case_police_called(actor=desk_user, case=case, at=None)
    assert "queue-police-prompt" not in client.get(reverse("broadcasts:queue")).content.decode()
