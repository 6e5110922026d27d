"""Issue 25, friction at the counter: a second shift does not silently
replace the first, approved leave shows on the week grid, an inspection
dated ahead or twice is refused, no English on the PIN clock, the browser
never validates a rosters form in its own language, and the meal list does
not claim a send the app did not make."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rosters.models import Assignment, Inspection
from rosters.services.inspections import inspection_record
from rosters.services.leave import leave_request_approve, leave_request_create
from rosters.services.roster import assignment_set
from rosters.tests.conftest import acting

pytestmark = pytest.mark.django_db


def _assign(supervisor, mall, person, day, shift, post, **kwargs):
    return assignment_set(
        actor=supervisor, mall=mall, staff=person, date=day, shift_type=shift, post=post, **kwargs
    )


def test_a_second_shift_for_the_same_day_is_refused_next_to_the_field(
    client, mall, roster, supervisor_user, desk_user, next_monday
):
    # given desk_user on A at the desk on Monday (draft)
    shifts, posts = roster["shifts"], roster["posts"]
    _assign(supervisor_user, mall, desk_user, next_monday, shifts["A"], posts["desk"])
    client.force_login(supervisor_user)

    # when the supervisor puts them on B the same day without replacing
    data = {
        "staff": desk_user.pk,
        "date": next_monday,
        "shift_type": shifts["B"].pk,
        "post": posts["desk"].pk,
    }
    response = client.post(reverse("rosters:week"), data)

    # then the form says so next to the person, and A stays
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="error-staff"' in content and "已排 A 班" in content
    assert Assignment.objects.get(staff=desk_user, date=next_monday).shift_type.code == "A"

    # and with "replace" ticked, B replaces A
    response = client.post(reverse("rosters:week"), {**data, "replace": "on"})
    assert response.status_code == 302
    assert Assignment.objects.get(staff=desk_user, date=next_monday).shift_type.code == "B"


def test_approved_leave_is_shown_on_the_week_grid(
    client, mall, roster, supervisor_user, desk_user, next_monday
):
    # given desk_user's approved annual leave on Tuesday of next week
    tuesday = next_monday + datetime.timedelta(days=1)
    with acting(desk_user):
        leave = leave_request_create(
            actor=desk_user,
            mall=mall,
            kind="annual",
            start_date=tuesday,
            end_date=tuesday,
            reason="家事",
        )
    with acting(supervisor_user):
        leave_request_approve(actor=supervisor_user, leave=leave)
    client.force_login(supervisor_user)

    # when the supervisor opens next week's grid
    response = client.get(reverse("rosters:week"), {"date": next_monday})

    # then Tuesday's cell of desk_user says 年假, Monday's does not
    content = response.content.decode()
    cell = re.search(
        rf'data-testid="cell-{desk_user.username}-{tuesday.isoformat()}">(.*?)</td>', content, re.S
    ).group(1)
    assert 'data-testid="cell-leave"' in cell and "年假" in cell
    monday_cell = re.search(
        rf'data-testid="cell-{desk_user.username}-{next_monday.isoformat()}">(.*?)</td>',
        content,
        re.S,
    ).group(1)
    assert "cell-leave" not in monday_cell


def _inspect(supervisor, mall, staff, day):
    return inspection_record(
        actor=supervisor,
        mall=mall,
        staff=staff,
        date=day,
        discipline=5,
        attitude=5,
        appearance=5,
        skills=5,
    )


def test_an_inspection_dated_in_the_future_is_refused(mall, supervisor_user, desk_user):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        _inspect(supervisor_user, mall, desk_user, tomorrow)
    assert exc.value.error_dict["date"][0].code == "future_date"
    assert not Inspection.objects.exists()


def test_a_second_inspection_of_a_person_on_a_day_is_refused_on_the_form(
    client, mall, supervisor_user, desk_user
):
    today = timezone.localdate()
    with acting(supervisor_user):
        first = _inspect(supervisor_user, mall, desk_user, today)
    client.force_login(supervisor_user)
    response = client.post(
        reverse("rosters:inspections"),
        {
            "staff": desk_user.pk,
            "date": today,
            "discipline": 1,
            "attitude": 1,
            "appearance": 1,
            "skills": 1,
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-date"' in response.content.decode()
    first.refresh_from_db()
    assert first.discipline == 5 and Inspection.objects.count() == 1


ROSTERS_PAGES = [
    "rosters:week",
    "rosters:swaps",
    "rosters:leave",
    "rosters:clock",
    "rosters:clock_pin",
    "rosters:offpost",
    "rosters:inspections",
    "rosters:training",
    "rosters:handovers",
    "rosters:supplies",
    "rosters:meals",
    "rosters:meal_list",
]


def test_no_english_kind_and_every_rosters_form_is_novalidate(client, supervisor_user, roster):
    client.force_login(supervisor_user)
    pin = client.get(reverse("rosters:clock_pin")).content.decode()
    assert "Kind" not in pin and "上班 / 下班" in pin
    for name in ROSTERS_PAGES:
        content = client.get(reverse(name)).content.decode()
        forms = re.findall(r"<form\b[^>]*>", content)
        # the base layout's own forms (language, search, logout) are the kernel's
        rosters_forms = [f for f in forms if "setlang" not in f and "logout" not in f]
        rosters_forms = [f for f in rosters_forms if "search" not in f]
        assert all("novalidate" in f for f in rosters_forms), (name, rosters_forms)


def test_the_meal_list_says_the_desk_recorded_the_send(client, mall, desk_user):
    client.force_login(desk_user)
    content = client.get(reverse("rosters:meal_list")).content.decode()
    assert "已发送" not in content
    assert "登记已送出" in content and "系统不会代为发送" in content


def test_a_day_at_the_edge_of_the_calendar_is_refused_not_a_500(client, desk_user):
    # given the meal list asked about 1 January of year 1 (a hand-edited link)
    client.force_login(desk_user)
    page = client.get(reverse("rosters:meal_list"), {"date": "0001-01-01"})
    # then today's list is shown instead of an overflow
    assert page.status_code == 200
    assert page.context["day"] == timezone.localdate()
