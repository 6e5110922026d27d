"""Staff meal pages: the permission matrix, the list's fixed query count,
the export, the print sheet, the order form's errors, home and dashboard."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from mallservice.models import SensitiveAccess
from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case
from mallservice.tests.factories import make_staff
from rosters.dashboard import panels
from rosters.home import today
from rosters.meals.services import meal_change_request_create, meal_order_set, meal_sheet_send
from rosters.models import MealChangeRequest, MealOrder
from rosters.services.roster import assignment_set, post_qualify, week_get_or_create, week_publish
from rosters.tests.conftest import at
from rosters.tests.factories import roster_setup

pytestmark = pytest.mark.django_db

DESK, BROADCASTER, SUPERVISOR, MANAGER = (r.value for r in Role)


def _publish_day(mall, supervisor, day, people, shifts, posts):
    """`people` as (user, shift code, post code) on `day`, published."""
    for person, shift, post in people:
        post_qualify(actor=supervisor, post=posts[post], staff=person)
        assignment_set(
            actor=supervisor,
            mall=mall,
            staff=person,
            date=day,
            shift_type=shifts[shift],
            post=posts[post],
        )
    week = week_get_or_create(actor=supervisor, mall=mall, day=day)
    week_publish(actor=supervisor, week=week)


@pytest.fixture
def world(permission_world, published_week, desk_user, colleague, supervisor_user):
    """Per mall: a desk member's lunch ordered and a late change waiting."""
    day = published_week.week_start
    other = permission_world["malls"][OTHER]
    other_desk = make_staff(role=Role.DESK, mall=other, username="o-desk")
    other_sup = make_staff(role=Role.SUPERVISOR, mall=other, username="o-sup")
    shifts, posts = roster_setup(other)
    _publish_day(other, other_sup, day, [(other_desk, "A", "desk")], shifts, posts)
    for side, person, mall in (
        (OWN, desk_user, permission_world["malls"][OWN]),
        (OTHER, other_desk, other),
    ):
        meal_order_set(actor=person, mall=mall, date=day, lunch=True, dinner=False, now=at(day, 8))
        permission_world["objects"][side]["change"] = meal_change_request_create(
            actor=person,
            mall=mall,
            date=day,
            lunch=False,
            dinner=True,
            reason="加班",
            now=at(day, 16),
        )
    permission_world["day"] = day
    return permission_world


def page(name):
    return lambda w, side: f"{reverse(name)}?mall={w['malls'][side].pk}&date={w['day']}"


def send(w, side):
    return f"{reverse('rosters:meal_send')}?mall={w['malls'][side].pk}"


def change(action):
    return lambda w, side: reverse(
        f"rosters:meal_change_{action}", args=[w["objects"][side]["change"].pk]
    )


CASES = []
for role in (DESK, BROADCASTER, SUPERVISOR, MANAGER):
    CASES.append(PermissionCase(role, page("rosters:meals"), OWN, 200))
CASES += [
    PermissionCase(DESK, page("rosters:meals"), OTHER, 404),
    PermissionCase(MANAGER, page("rosters:meals"), OTHER, 200),
    PermissionCase(ANONYMOUS, page("rosters:meals"), OWN, 302),
]
for name in ("rosters:meal_list", "rosters:meal_print"):
    CASES += [
        PermissionCase(DESK, page(name), OWN, 200),
        PermissionCase(BROADCASTER, page(name), OWN, 403),
        PermissionCase(SUPERVISOR, page(name), OWN, 200),
        PermissionCase(MANAGER, page(name), OWN, 200),
        PermissionCase(DESK, page(name), OTHER, 404),
        PermissionCase(SUPERVISOR, page(name), OTHER, 404),
        PermissionCase(MANAGER, page(name), OTHER, 200),
        PermissionCase(ANONYMOUS, page(name), OWN, 302),
    ]
for name in ("rosters:meal_counts", "rosters:meal_export"):
    CASES += [
        PermissionCase(DESK, page(name), OWN, 403),
        PermissionCase(BROADCASTER, page(name), OWN, 403),
        PermissionCase(SUPERVISOR, page(name), OWN, 200),
        PermissionCase(SUPERVISOR, page(name), OTHER, 404),
        PermissionCase(MANAGER, page(name), OTHER, 200),
    ]
SEND = {"date": "2020-01-06", "meal": "lunch"}
CASES += [
    PermissionCase(BROADCASTER, send, OWN, 403, method="post", data=SEND),
    PermissionCase(DESK, send, OWN, 302, method="post", data=SEND),
    PermissionCase(DESK, send, OTHER, 404, method="post", data=SEND),
    PermissionCase(SUPERVISOR, send, OTHER, 404, method="post", data=SEND),
    PermissionCase(MANAGER, send, OTHER, 302, method="post", data=SEND),
    PermissionCase(DESK, change("approve"), OWN, 403, method="post"),
    PermissionCase(BROADCASTER, change("reject"), OWN, 403, method="post"),
    PermissionCase(SUPERVISOR, change("approve"), OWN, 302, method="post"),
    PermissionCase(SUPERVISOR, change("approve"), OTHER, 404, method="post"),
    PermissionCase(MANAGER, change("reject"), OTHER, 302, method="post"),
    PermissionCase(DESK, change("cancel"), OWN, 302, method="post"),
    PermissionCase(DESK, change("cancel"), OTHER, 404, method="post"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, world, case):
    check_permission_case(client, world, case)


def test_a_broadcaster_sees_only_their_own_late_changes(client, world, broadcaster_user):
    client.force_login(broadcaster_user)
    content = client.get(reverse("rosters:meals")).content.decode()
    assert f'data-testid="meal-change-{world["objects"][OWN]["change"].pk}"' not in content


def test_approving_through_the_page_updates_the_order_and_is_audited(
    client, world, supervisor_user, desk_user
):
    from rosters.tests.conftest import last_event

    request = world["objects"][OWN]["change"]
    client.force_login(supervisor_user)
    response = client.post(
        reverse("rosters:meal_change_approve", args=[request.pk]), {"note": "好"}
    )
    assert response.status_code == 302
    order = MealOrder.objects.get(staff=desk_user, date=world["day"])
    assert order.dinner and order.updated_by == supervisor_user
    event = last_event(order)
    assert (event.pgh_context["user"], event.pgh_context["source"]) == (supervisor_user.pk, "web")
    # the day's list marks it, and the supervisor's home no longer counts it
    content = client.get(reverse("rosters:meal_list"), {"date": world["day"]}).content.decode()
    assert f'data-testid="day-change-{request.pk}"' in content


def _list_queries(client, day) -> int:
    url = reverse("rosters:meal_list")
    client.get(url, {"date": day})  # warm the session and permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"date": day})
    assert response.status_code == 200
    return len(queries)


def _busy_day(mall, supervisor, day, n, prefix, shifts, posts):
    """`n` desk staff over two shifts and two posts on `day`, all with lunch,
    every other one dinner too, a late change from each third; lunch sent."""
    people = [make_staff(role=Role.DESK, mall=mall, username=f"{prefix}{i}") for i in range(n)]
    rostered = [(p, "AC"[i % 2], ("desk", "mailroom")[i % 3 == 0]) for i, p in enumerate(people)]
    _publish_day(mall, supervisor, day, rostered, shifts, posts)
    for i, person in enumerate(people):
        meal_order_set(
            actor=person, mall=mall, date=day, lunch=True, dinner=i % 2 == 0, now=at(day, 8)
        )
        if i % 3 == 0:
            meal_change_request_create(
                actor=person,
                mall=mall,
                date=day,
                lunch=False,
                dinner=True,
                reason="r",
                now=at(day, 16),
            )
    meal_sheet_send(actor=supervisor, mall=mall, date=day, meal="lunch", now=at(day, 10))


def test_the_list_page_query_count_does_not_grow_with_the_staff(
    client, mall, supervisor_user, django_assert_max_num_queries
):
    monday = datetime.date(2025, 3, 3)
    shifts, posts = roster_setup(mall)
    _busy_day(mall, supervisor_user, monday, 3, "a", shifts, posts)
    _busy_day(mall, supervisor_user, monday + datetime.timedelta(days=7), 15, "b", shifts, posts)
    client.force_login(supervisor_user)
    few = _list_queries(client, monday)
    assert _list_queries(client, monday + datetime.timedelta(days=7)) == few
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("rosters:meal_list"), {"date": monday + datetime.timedelta(days=7)}
        )
    assert response.context["lunch"] == 15
    with django_assert_max_num_queries(20):
        assert client.get(reverse("rosters:meal_print"), {"date": monday}).status_code == 200
    with django_assert_max_num_queries(20):
        response = client.get(reverse("rosters:meal_counts"), {"month": "2025-03"})
    assert len(response.context["rows"]) == 18


def test_the_list_shows_groups_totals_and_the_sent_state(
    client, mall, desk_user, colleague, supervisor_user, published_week
):
    day = published_week.week_start
    meal_order_set(
        actor=desk_user, mall=mall, date=day, lunch=True, dinner=True, note="素食", now=at(day, 8)
    )
    meal_sheet_send(actor=colleague, mall=mall, date=day, meal="lunch", now=at(day, 10, 2))
    client.force_login(desk_user)
    content = client.get(reverse("rosters:meal_list"), {"date": day}).content.decode()
    assert (
        'data-testid="meal-group-desk-A"' in content
        and 'data-testid="meal-group-desk-C"' in content
    )
    assert 'data-testid="total-lunch">1<' in content
    assert "素食" in content and "未订餐" in content  # colleague has not ordered
    assert "刘佳 · " in content and "10:02" in content  # sent by the colleague at 10:02
    # the printed sheet lists only the orders, on A4 portrait, with a sign-off line
    printed = client.get(reverse("rosters:meal_print"), {"date": day}).content.decode()
    assert "rosters-meal-print" in printed and 'data-testid="signoff"' in printed
    assert "陈晓雯" in printed and "刘佳" not in printed


def test_counts_export_as_excel_and_csv_and_is_logged(
    client, mall, desk_user, supervisor_user, published_week
):
    day = published_week.week_start
    meal_order_set(actor=desk_user, mall=mall, date=day, lunch=True, dinner=True, now=at(day, 8))
    month = f"{day:%Y-%m}"
    client.force_login(supervisor_user)
    response = client.get(reverse("rosters:meal_export"), {"month": month})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("工号", "姓名", "午餐份数")
    assert rows[1][1:] == ("陈晓雯", 1, 1, 2)
    response = client.get(reverse("rosters:meal_export"), {"month": month, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[1][1:] == ["陈晓雯", "1", "1", "2"]
    logs = SensitiveAccess.objects.filter(actor=supervisor_user, kind="export").order_by("pk")
    assert [(log.detail["format"], log.detail["month"], log.mall) for log in logs] == [
        ("xlsx", month, mall),
        ("csv", month, mall),
    ]


def test_an_order_of_someone_not_rostered_shows_the_error_next_to_the_field(
    client, broadcaster_user, published_week
):
    client.force_login(broadcaster_user)
    day = published_week.week_start
    response = client.post(reverse("rosters:meals"), {"date": day, "lunch": "on"})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="error-lunch"' in content and "只有当天排班表上的员工才能订餐" in content
    assert not MealOrder.objects.exists()


def test_after_the_cut_off_the_form_locks_lunch_and_offers_a_late_change(
    client, mall, desk_user, published_week
):
    day = published_week.week_start
    with time_machine.travel(at(day, 10, 30), tick=False):
        client.force_login(desk_user)
        content = client.get(reverse("rosters:meals")).content.decode()
        assert re.search(r'<input[^>]*name="lunch"[^>]*disabled', content)
        assert not re.search(r'<input[^>]*name="dinner"[^>]*disabled', content)
        assert 'data-testid="meal-change-form"' in content
        # a posted lunch is ignored (the field is closed) while dinner is taken
        client.post(reverse("rosters:meals"), {"date": day, "lunch": "on", "dinner": "on"})
        order = MealOrder.objects.get(staff=desk_user)
        assert (order.lunch, order.dinner) == (False, True)
        # and the late change goes to the supervisor
        response = client.post(
            reverse("rosters:meals"),
            {
                "action": "change",
                "change-date": day,
                "change-lunch": "on",
                "change-dinner": "on",
                "change-reason": "临时加班",
            },
        )
    assert response.status_code == 302
    request = MealChangeRequest.objects.get()
    assert (request.lunch, request.dinner, request.reason) == (True, None, "临时加班")


def test_garbage_input_never_500s(client, desk_user, published_week):
    client.force_login(desk_user)
    assert client.get(reverse("rosters:meals"), {"date": "2026-02-30"}).status_code == 200
    assert client.get(reverse("rosters:meal_list"), {"date": "x"}).status_code == 200
    assert client.post(reverse("rosters:meals"), {"date": "nope"}).status_code == 200
    assert client.post(reverse("rosters:meals"), {"action": "change"}).status_code == 200
    assert client.post(reverse("rosters:meal_send"), {"meal": "breakfast"}).status_code == 400
    url = reverse("rosters:meal_change_cancel", args=[999])
    assert client.post(url).status_code == 404


def _labels(user) -> dict[str, int]:
    return {item.label: item.count for item in today(user)}


def test_home_reminds_staff_to_order_and_the_desk_to_send(
    mall, desk_user, colleague, supervisor_user, published_week
):
    day = published_week.week_start
    # at 09:00 desk_user, on today's roster, has not ordered
    with time_machine.travel(at(day, 9), tick=False):
        assert _labels(desk_user)["请在 10:00 前订餐"] == 1
        meal_order_set(actor=desk_user, mall=mall, date=day, lunch=True, dinner=False)
        assert "请在 10:00 前订餐" not in _labels(desk_user)
    # at 10:30 the colleague, who has not ordered, may still order dinner,
    # and the desk is told the lunch list is still to send
    with time_machine.travel(at(day, 10, 30), tick=False):
        labels = _labels(colleague)
        assert labels["请在 15:00 前订餐"] == 1
        assert labels["今日午餐订餐单尚未发送给食堂"] == 1
        meal_sheet_send(actor=colleague, mall=mall, date=day, meal="lunch")
        assert "今日午餐订餐单尚未发送给食堂" not in _labels(colleague)
        # a late change waits for the supervisor
        meal_change_request_create(
            actor=desk_user, mall=mall, date=day, lunch=False, dinner=False, reason="外出"
        )
        assert _labels(supervisor_user)["待审批的订餐变更"] == 1
        assert "待审批的订餐变更" not in _labels(desk_user)


def test_the_dashboard_shows_todays_meals_and_unsent_lists(
    client, mall, desk_user, supervisor_user, published_week
):
    day = published_week.week_start
    meal_order_set(actor=desk_user, mall=mall, date=day, lunch=True, dinner=True, now=at(day, 8))
    result = panels(user=supervisor_user, malls=[mall], now=at(day, 10, 30))
    figures = {f.label: f for p in result if p.title == "员工订餐" for f in p.figures}
    assert figures["今日订餐（午餐 / 晚餐）"].value == "1 / 1"
    unsent = figures["已过截止时间未发送的订餐单"]
    assert (unsent.value, unsent.level) == (1, "danger")
    # the list behind the figure is the day's list
    client.force_login(supervisor_user)
    assert client.get(unsent.url).context["lunch"] == 1
