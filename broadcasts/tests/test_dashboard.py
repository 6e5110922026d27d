"""The broadcast room's figures on the supervisor dashboard (issue 8)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadcasts import services
from broadcasts.models import AnnouncementKind
from mallservice.testing import dashboard_figures, in_chinese

from .conftest import NOW

MIN = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _listed(client, url, key="page_obj") -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {obj.pk for obj in response.context[key]}


def _ads(user, mall, n):
    return [
        services.announcement_request(
            actor=user, mall=mall, kind=AnnouncementKind.ADVERTISEMENT, script="广告", now=NOW
        )
        for _ in range(n)
    ]


def _repeats(user, mall, n, *, wanted_at):
    return [
        services.announcement_request(
            actor=user,
            mall=mall,
            kind=AnnouncementKind.OTHER,
            script="请注意",
            wanted_at=wanted_at,
            now=NOW - 30 * MIN,
        )
        for _ in range(n)
    ]


def _cases(user, mall, n, *, opened):
    return [
        services.missing_case_open(
            actor=user,
            mall=mall,
            person_kind="child",
            age=5,
            gender="m",
            description="短发，圆脸",
            clothing="红色羽绒服",
            last_seen_place="三层",
            last_seen_at=opened - 5 * MIN,
            reporter_name="王女士",
            reporter_phone="13800138000",
            meeting_point="一楼客服台",
            now=opened,
        )
        for _ in range(n)
    ]


def _missed(supervisor, mall, template, n):
    for minute in range(n):
        services.routine_slot_save(
            actor=supervisor, mall=mall, template=template, at=datetime.time(13, minute)
        )
    services.routine_missed_flag(now=NOW)


def _messages(post_message, desk_user, screen, n):
    live = [post_message(title=f"直播{i}") for i in range(n)]
    waiting = [post_message(actor=desk_user, title=f"待批{i}") for i in range(n)]
    # approved, but its window is this evening: not on screen now
    post_message(time_from=datetime.time(20), time_until=datetime.time(21))
    return live, waiting


def test_announcement_figures_count_and_link_to_their_records(
    client, supervisor_user, desk_user, mall, other_mall
):
    # given 3 ads waiting for approval, 2 announcements due now and one due
    # in ten minutes, and an ad of another mall
    ads = _ads(desk_user, mall, 3)
    due = _repeats(desk_user, mall, 2, wanted_at=NOW - MIN)
    _repeats(desk_user, mall, 1, wanted_at=NOW + 10 * MIN)
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    _ads(make_staff(role=Role.DESK, mall=other_mall, username="desk-2"), other_mall, 1)
    # when the supervisor opens the dashboard
    figures = dashboard_figures(client, supervisor_user)
    pending = figures[in_chinese("Announcements awaiting approval")]
    repeats = figures[in_chinese("Repeats due now")]
    # then
    assert pending.value == 3 and repeats.value == 2
    assert _listed(client, pending.url) == {a.pk for a in ads}
    queue = client.get(repeats.url).context["queue"]
    assert {a.pk for a in due} <= {a.pk for a in queue}


def test_missing_person_figures_count_open_cases_and_overdue_police_calls(
    client, supervisor_user, desk_user, mall
):
    # given 2 cases open 20 minutes (police call overdue) and 1 open 2 minutes
    late = _cases(desk_user, mall, 2, opened=NOW - 20 * MIN)
    recent = _cases(desk_user, mall, 1, opened=NOW - 2 * MIN)
    # when
    figures = dashboard_figures(client, supervisor_user)
    # then
    open_cases = figures[in_chinese("Missing-person cases open")]
    police = figures[in_chinese("Police call overdue")]
    assert (open_cases.value, police.value) == (3, 2)
    assert police.level == "danger"
    assert _listed(client, open_cases.url) == {c.pk for c in late + recent}
    assert _listed(client, police.url) == {c.pk for c in late}


def test_an_open_case_puts_its_panel_first(client, supervisor_user, desk_user, mall):
    _cases(desk_user, mall, 1, opened=NOW - 2 * MIN)
    client.force_login(supervisor_user)
    panels = client.get(reverse("dashboard")).context["columns"][0]["panels"]
    assert panels[0].title == in_chinese("Missing persons")


def test_routine_broadcasts_missed_today_are_counted(client, supervisor_user, mall, templates):
    # given 3 routine broadcasts due at 13:00–13:02 and not aired by 15:00
    _missed(supervisor_user, mall, templates["routine"], 3)
    # when
    figures = dashboard_figures(client, supervisor_user)
    missed = figures[in_chinese("Routine broadcasts missed today")]
    # then
    assert missed.value == 3
    assert len(_listed(client, missed.url)) == 3


def test_screen_messages_live_and_waiting_are_counted(
    client, supervisor_user, desk_user, post_message, screen
):
    live, waiting = _messages(post_message, desk_user, screen, 2)
    figures = dashboard_figures(client, supervisor_user)
    on_air = figures[in_chinese("Screen messages live now")]
    pending = figures[in_chinese("Screen messages awaiting approval")]
    assert (on_air.value, pending.value) == (2, 2)
    assert _listed(client, on_air.url) == {m.pk for m in live}
    assert _listed(client, pending.url) == {m.pk for m in waiting}


def test_the_dashboard_query_count_does_not_grow_with_broadcasts(
    client, supervisor_user, desk_user, mall, templates, post_message, screen
):
    client.force_login(supervisor_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(queries)

    def world(n: int, offset: int) -> None:
        _ads(desk_user, mall, n)
        _repeats(desk_user, mall, n, wanted_at=NOW - MIN)
        _cases(desk_user, mall, n, opened=NOW - 20 * MIN)
        for minute in range(offset, offset + n):
            services.routine_slot_save(
                actor=supervisor_user,
                mall=mall,
                template=templates["routine"],
                at=datetime.time(13, minute),
            )
        services.routine_missed_flag(now=NOW)
        _messages(post_message, desk_user, screen, n)

    world(1, 0)
    count()  # warm caches (permissions, session)
    one = count()
    world(19, 1)
    assert count() == one


def test_bad_list_filters_are_ignored(client, supervisor_user):
    client.force_login(supervisor_user)
    for name, params in (
        ("broadcasts:case_list", {"state": "x", "police": "y"}),
        ("broadcasts:routine_log", {"state": "x", "day": "y"}),
        ("broadcasts:message_list", {"live": "x"}),
    ):
        assert client.get(reverse(name), params).status_code == 200
