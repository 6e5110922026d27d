"""The roster's panels of the supervisor dashboard against a known data
set, their links, and the dashboard page's fixed query count."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.tests.factories import make_complaint
from rosters.dashboard import panels
from rosters.models import Assignment
from rosters.services.attendance import clock_record
from rosters.services.handover import handover_create
from rosters.services.leave import leave_request_create
from rosters.services.off_post import off_post_start
from rosters.services.roster import assignment_set, week_get_or_create, week_publish
from rosters.services.supplies import (
    supply_allowance_set,
    supply_item_create,
    supply_requisition_approve,
    supply_requisition_create,
    supply_requisition_issue,
)
from rosters.services.swaps import swap_request_accept, swap_request_create
from rosters.tests.conftest import at

pytestmark = pytest.mark.django_db


def _figures(panel_list, title):
    panel = next(p for p in panel_list if p.title == title)
    return {f.label: f for f in panel.figures}


@pytest.fixture
def known(mall, published_week, desk_user, colleague, supervisor_user, roster, next_monday):
    """Monday 10:00 of the published week: desk_user on shift A at the desk,
    clocked in at 08:32, off post since 09:40; no punch from anyone else.
    A swap and a leave request wait for the supervisor, a handover for the
    afternoon shift; the pen is over its expected use, a roll requested."""
    now = at(next_monday, 10)
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(next_monday, 8, 32))
    off_post_start(
        actor=desk_user,
        mall=mall,
        post=roster["posts"]["desk"],
        reason="取快递",
        now=at(next_monday, 9, 40),
    )
    tuesday = next_monday + datetime.timedelta(days=1)
    swap = swap_request_create(
        actor=desk_user,
        mine=Assignment.objects.get(staff=desk_user, date=tuesday),
        theirs=Assignment.objects.get(staff=colleague, date=tuesday),
        reason="看病",
        now=at(next_monday, 9),
    )
    swap_request_accept(actor=colleague, swap=swap, now=at(next_monday, 9, 5))
    leave_request_create(
        actor=colleague,
        mall=mall,
        kind="personal",
        start_date=next_monday + datetime.timedelta(days=3),
        end_date=next_monday + datetime.timedelta(days=3),
        reason="办证",
        now=at(next_monday, 9),
    )
    handover_create(
        actor=desk_user, mall=mall, post=roster["posts"]["desk"], now=at(next_monday, 9, 50)
    )
    desk = roster["posts"]["desk"]
    pen = supply_item_create(actor=supervisor_user, mall=mall, code="pen", name="签字笔")
    supply_allowance_set(actor=supervisor_user, post=desk, item=pen, monthly_quantity=10)
    issued = supply_requisition_create(
        actor=desk_user, mall=mall, post=desk, item=pen, quantity=12, reason="丢了", now=now
    )
    supply_requisition_approve(actor=supervisor_user, requisition=issued, now=now)
    supply_requisition_issue(actor=supervisor_user, requisition=issued, now=now)
    supply_requisition_create(
        actor=colleague, mall=mall, post=desk, item=pen, quantity=1, reason="补充", now=now
    )
    return now


def test_right_now_shows_who_is_on_shift_off_post_and_short_posts(supervisor_user, mall, known):
    result = panels(user=supervisor_user, malls=[mall], now=known)
    figures = _figures(result, "此刻")
    assert figures["当前在班"].value == 1
    assert figures["当前离岗"].value == 1
    # desk needs 2 and has nobody at it; broadcast and mailroom have nobody
    assert figures["低于最低人数的岗位"].value == 3
    rows = dict(next(p for p in result if p.title == "此刻").rows)
    assert "陈晓雯" in rows["前台 低于最低人数 2"]
    assert rows["离岗：陈晓雯（前台）"] == "20 分钟"


def test_attendance_and_roster_figures(supervisor_user, mall, known, next_monday):
    result = panels(user=supervisor_user, malls=[mall], now=known)
    figures = _figures(result, "考勤与排班")
    # nobody late or absent yet on Monday morning (desk_user was on time)
    assert figures["本周考勤异常"].value == 0
    assert figures["下周排班表"].value == "缺失"
    assert figures["待审批的调班"].value == 1
    assert figures["待审批的请假"].value == 1
    assert figures["未确认的交接班"].value == 1
    chart = next(p for p in result if p.title == "考勤与排班").charts[0]
    assert chart.labels[-1] == f"{next_monday:%m-%d}"


def test_an_absence_counts_as_an_attendance_exception_and_links_to_it(
    supervisor_user, mall, known, next_monday
):
    # at 15:00 desk_user's shift ended at 14:30 without a clock-out and the
    # colleague's 14:30 shift has no clock-in (absent): two exceptions
    now = at(next_monday, 15)
    result = panels(user=supervisor_user, malls=[mall], now=now)
    figure = _figures(result, "考勤与排班")["本周考勤异常"]
    assert figure.value == 2
    assert f"start={next_monday:%Y-%m-%d}" in figure.url and "exceptions=1" in figure.url


def test_supplies_figures_flag_items_over_expected_use(supervisor_user, mall, known):
    result = panels(user=supervisor_user, malls=[mall], now=known)
    figures = _figures(result, "办公用品")
    assert figures["本月用量 / 预损耗量"].value == "12 / 10"
    assert figures["超出预损耗量的物品"].value == 1
    assert figures["待审批的领用单"].value == 1


def test_the_list_behind_each_roster_figure_shows_the_same_number(
    client, supervisor_user, mall, known
):
    client.force_login(supervisor_user)
    result = panels(user=supervisor_user, malls=[mall], now=known)
    expected_lists = {
        "待审批的调班": "swaps",
        "待审批的请假": "leaves",
        "未确认的交接班": "handovers",
        "待审批的领用单": "requisitions",
        "超出预损耗量的物品": "rows",
    }
    figures = {f.label: f for p in result for f in p.figures}
    for label, key in expected_lists.items():
        response = client.get(figures[label].url)
        assert response.status_code == 200, label
        assert len(response.context[key]) == figures[label].value, label
    for figure in figures.values():
        assert client.get(figure.url).status_code == 200, figure.label


def test_staff_without_the_attendance_permission_get_no_roster_panels(desk_user, mall, known):
    assert panels(user=desk_user, malls=[mall], now=known) == []


def _records(n, *, mall, desk_user, colleague, supervisor_user, shop, roster, pen=None, first=0):
    desk = roster["posts"]["desk"]
    if pen is None:
        pen = supply_item_create(actor=supervisor_user, mall=mall, code="pen", name="笔")
        supply_allowance_set(actor=supervisor_user, post=desk, item=pen, monthly_quantity=1)
    for i in range(first, first + n):
        make_complaint(actor=desk_user, mall=mall, unit=shop)
        handover_create(actor=desk_user, mall=mall, post=desk)
        requisition = supply_requisition_create(
            actor=colleague, mall=mall, post=desk, item=pen, quantity=1 + i, reason="r"
        )
        if i % 2:
            supply_requisition_approve(actor=supervisor_user, requisition=requisition)
            supply_requisition_issue(actor=supervisor_user, requisition=requisition)
    return pen


def _dashboard_queries(client) -> int:
    client.get(reverse("dashboard"))  # warm the session and permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_query_count_does_not_grow_with_the_data(
    client,
    mall,
    shop,
    desk_user,
    colleague,
    supervisor_user,
    published_week,
    roster,
    django_assert_max_num_queries,
):
    people = dict(
        mall=mall,
        desk_user=desk_user,
        colleague=colleague,
        supervisor_user=supervisor_user,
        shop=shop,
        roster=roster,
    )
    client.force_login(supervisor_user)
    # given one record of each kind
    pen = _records(1, **people)
    with_one = _dashboard_queries(client)
    # when there are twenty
    _records(19, **people, pen=pen, first=1)
    # then the page (and its HTMX refresh) runs the same number of queries
    assert _dashboard_queries(client) == with_one
    with django_assert_max_num_queries(with_one):
        client.get(reverse("dashboard"), HTTP_HX_REQUEST="true")


def test_the_attendance_list_keeps_only_exceptions_of_a_range(
    client, supervisor_user, mall, roster, desk_user, colleague
):
    # given last Monday to yesterday published: desk_user on time, colleague absent
    from django.utils import timezone

    from rosters.selectors.roster import week_start_of

    today = timezone.localdate()
    monday = week_start_of(today) - datetime.timedelta(days=7)
    for person, code in ((desk_user, "A"), (colleague, "B")):
        assignment_set(
            actor=supervisor_user,
            mall=mall,
            staff=person,
            date=monday,
            shift_type=roster["shifts"][code],
            post=roster["posts"]["desk"],
        )
    week = week_get_or_create(actor=supervisor_user, mall=mall, day=monday)
    week_publish(actor=supervisor_user, week=week)
    clock_record(staff=desk_user, mall=mall, kind="in", now=at(monday, 8, 30))
    clock_record(staff=desk_user, mall=mall, kind="out", now=at(monday, 14, 30))
    client.force_login(supervisor_user)
    url = reverse("rosters:attendance")
    params = {"mall": mall.pk, "start": f"{monday}", "end": f"{monday + datetime.timedelta(6)}"}
    assert len(client.get(url, params).context["records"]) == 2
    records = client.get(url, {**params, "exceptions": 1}).context["records"]
    assert [r.staff for r in records] == [colleague]
