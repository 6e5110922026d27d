from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mallservice.models import SensitiveAccess
from mallservice.roles import Role
from mallservice.testing import ANONYMOUS, OTHER, OWN, PermissionCase, check_permission_case
from mallservice.tests.factories import make_staff, pdf_upload
from rosters.models import Assignment, LeaveRequest, SwapRequest
from rosters.services.leave import leave_request_create
from rosters.services.roster import assignment_set, week_get_or_create, week_publish
from rosters.services.swaps import swap_request_create
from rosters.tests.factories import roster_setup

pytestmark = pytest.mark.django_db

DESK, BROADCASTER, SUPERVISOR, MANAGER = (r.value for r in Role)


@pytest.fixture
def world(permission_world, roster, published_week, desk_user, colleague):
    """Per mall: a swap and a leave request of a desk member."""
    other = permission_world["malls"][OTHER]
    other_desk = make_staff(role=Role.DESK, mall=other, username="o-desk")
    other_desk2 = make_staff(role=Role.DESK, mall=other, username="o-desk2")
    other_sup = make_staff(role=Role.SUPERVISOR, mall=other, username="o-sup")
    shifts, posts = roster_setup(other, qualified=[other_desk, other_desk2])
    for person, code in ((other_desk, "A"), (other_desk2, "C")):
        assignment_set(
            actor=other_sup,
            mall=other,
            staff=person,
            date=published_week.week_start,
            shift_type=shifts[code],
            post=posts["desk"],
        )
    other_week = week_get_or_create(actor=other_sup, mall=other, day=published_week.week_start)
    week_publish(actor=other_sup, week=other_week)
    for side, week, a, b in (
        (OWN, published_week, desk_user, colleague),
        (OTHER, other_week, other_desk, other_desk2),
    ):
        mine = Assignment.objects.get(week=week, staff=a, date=week.week_start)
        theirs = Assignment.objects.get(week=week, staff=b, date=week.week_start)
        permission_world["objects"][side]["week"] = week
        permission_world["objects"][side]["swap"] = swap_request_create(
            actor=a, mine=mine, theirs=theirs, reason="x"
        )
        start = week.week_start + datetime.timedelta(days=14)
        permission_world["objects"][side]["leave"] = leave_request_create(
            actor=b, mall=week.mall, kind="annual", start_date=start, end_date=start, reason="x"
        )
    return permission_world


def page(name):
    return lambda w, side: f"{reverse(name)}?mall={w['malls'][side].pk}"


def week_print(w, side):
    return reverse("rosters:week_print", args=[w["objects"][side]["week"].pk])


def swap_reject(w, side):
    return reverse("rosters:swap_reject", args=[w["objects"][side]["swap"].pk])


def leave_reject(w, side):
    return reverse("rosters:leave_reject", args=[w["objects"][side]["leave"].pk])


STAFF_PAGES = [
    "rosters:my",
    "rosters:swaps",
    "rosters:leave",
    "rosters:clock",
    "rosters:offpost",
    "rosters:handovers",
    "rosters:supplies",
]
SUPERVISOR_PAGES = [
    "rosters:week",
    "rosters:attendance",
    "rosters:report",
    "rosters:inspections",
    "rosters:training",
    "rosters:supply_usage",
]

CASES = []
for name in STAFF_PAGES:
    for role in (DESK, BROADCASTER, SUPERVISOR, MANAGER):
        CASES.append(PermissionCase(role, page(name), OWN, 200))
    CASES += [
        PermissionCase(DESK, page(name), OTHER, 404),
        PermissionCase(SUPERVISOR, page(name), OTHER, 404),
        PermissionCase(MANAGER, page(name), OTHER, 200),
        PermissionCase(ANONYMOUS, page(name), OWN, 302),
    ]
for name in SUPERVISOR_PAGES:
    CASES += [
        PermissionCase(DESK, page(name), OWN, 403),
        PermissionCase(BROADCASTER, page(name), OWN, 403),
        PermissionCase(SUPERVISOR, page(name), OWN, 200),
        PermissionCase(SUPERVISOR, page(name), OTHER, 404),
        PermissionCase(MANAGER, page(name), OWN, 200),
        PermissionCase(MANAGER, page(name), OTHER, 200),
    ]
CASES += [
    PermissionCase(DESK, week_print, OWN, 200),
    PermissionCase(DESK, week_print, OTHER, 404),
    PermissionCase(SUPERVISOR, week_print, OTHER, 404),
    PermissionCase(MANAGER, week_print, OTHER, 200),
    PermissionCase(DESK, swap_reject, OWN, 403, method="post"),
    PermissionCase(SUPERVISOR, swap_reject, OWN, 302, method="post"),
    PermissionCase(SUPERVISOR, swap_reject, OTHER, 404, method="post"),
    PermissionCase(MANAGER, swap_reject, OTHER, 302, method="post"),
    PermissionCase(DESK, leave_reject, OWN, 403, method="post"),
    PermissionCase(SUPERVISOR, leave_reject, OWN, 302, method="post"),
    PermissionCase(SUPERVISOR, leave_reject, OTHER, 404, method="post"),
    PermissionCase(MANAGER, leave_reject, OTHER, 302, method="post"),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, world, case):
    check_permission_case(client, world, case)


def test_desk_staff_only_see_their_own_swaps_and_leave(client, world, broadcaster_user):
    client.force_login(broadcaster_user)
    response = client.get(reverse("rosters:swaps"))
    assert f'data-testid="swap-{world["objects"][OWN]["swap"].pk}"' not in response.content.decode()


def test_the_lists_colour_each_state_from_the_model(client, world, supervisor_user, mall):
    # a swap awaiting the colleague and a leave request awaiting the
    # supervisor: both wait, so both are a warning, on every page alike
    client.force_login(supervisor_user)
    swaps = client.get(reverse("rosters:swaps"), {"mall": mall.pk}).content.decode()
    assert '<span class="badge text-bg-warning" data-testid="swap-state">待同事确认</span>' in swaps
    leave = client.get(reverse("rosters:leave"), {"mall": mall.pk}).content.decode()
    assert '<span class="badge text-bg-warning">待主管审批</span>' in leave


def test_week_grid_query_count_is_bounded(
    client, supervisor_user, published_week, django_assert_max_num_queries
):
    client.force_login(supervisor_user)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("rosters:week") + f"?date={published_week.week_start}")
    assert response.status_code == 200
    assert "rosters-gap" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "rosters:swaps",
        "rosters:leave",
        "rosters:offpost",
        "rosters:report",
        "rosters:attendance",
        "rosters:handovers",
        "rosters:supplies",
        "rosters:supply_usage",
    ],
)
def test_list_pages_query_count_is_bounded(
    client, world, supervisor_user, name, django_assert_max_num_queries
):
    client.force_login(supervisor_user)
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name)).status_code == 200


def test_assign_form_shows_service_errors_next_to_the_field(
    client, supervisor_user, roster, mall, next_monday
):
    newcomer = make_staff(role=Role.DESK, mall=mall, username="newbie")
    client.force_login(supervisor_user)
    response = client.post(
        reverse("rosters:week"),
        {
            "staff": newcomer.pk,
            "date": next_monday,
            "shift_type": roster["shifts"]["A"].pk,
            "post": roster["posts"]["broadcast"].pk,
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-post"' in response.content.decode()


def test_garbage_input_never_500s(client, supervisor_user, desk_user, roster):
    client.force_login(supervisor_user)
    assert client.get(reverse("rosters:week") + "?date=2026-13-45&mall=abc").status_code == 404
    assert client.get(reverse("rosters:week") + "?date=notadate").status_code == 200
    assert client.post(reverse("rosters:week"), {"staff": "x", "date": "y"}).status_code == 200
    assert client.post("/rosters/week/explode/").status_code == 404
    client.force_login(desk_user)
    assert client.post(reverse("rosters:clock"), {"kind": "sideways"}).status_code == 400
    assert (
        client.post(
            reverse("rosters:leave"), {"kind": "sick", "start_date": "2026-02-30"}
        ).status_code
        == 200
    )


def test_swap_accept_through_the_view_is_audited_with_the_actor(client, world, colleague):
    swap = world["objects"][OWN]["swap"]
    client.force_login(colleague)
    response = client.post(reverse("rosters:swap_accept", args=[swap.pk]))
    assert response.status_code == 302
    swap.refresh_from_db()
    assert swap.state == SwapRequest.State.AWAITING_SUPERVISOR
    from rosters.tests.conftest import last_event

    event = last_event(swap)
    assert event.pgh_context["user"] == colleague.pk
    assert event.pgh_context["source"] == "web"


def test_leave_form_files_a_request_with_a_sick_note(client, desk_user, mall):
    from django.utils import timezone

    client.force_login(desk_user)
    today = timezone.localdate()
    response = client.post(
        reverse("rosters:leave"),
        {
            "kind": "sick",
            "start_date": today,
            "end_date": today,
            "reason": "发烧",
            "sick_note": pdf_upload(),
        },
    )
    assert response.status_code == 302
    leave = LeaveRequest.objects.get(staff=desk_user)
    assert leave.sick_note.name.endswith(".pdf")


def test_monthly_export_is_an_excel_file_and_is_logged(
    client, supervisor_user, published_week, mall
):
    client.force_login(supervisor_user)
    month = published_week.week_start.strftime("%Y-%m")
    response = client.get(reverse("rosters:report_export") + f"?month={month}")
    assert response.status_code == 200
    import io

    book = load_workbook(io.BytesIO(response.content))
    assert book.active.max_row >= 2
    log = SensitiveAccess.objects.get(actor=supervisor_user, kind="export")
    assert log.mall == mall and log.detail["month"] == month


def test_print_page_has_the_sign_off_line(client, desk_user, published_week):
    client.force_login(desk_user)
    response = client.get(reverse("rosters:week_print", args=[published_week.pk]))
    content = response.content.decode()
    assert 'data-testid="signoff"' in content and "陈晓雯" in content


def test_home_flags_an_unpublished_next_week_for_the_supervisor(client, supervisor_user, mall):
    client.force_login(supervisor_user)
    content = client.get(reverse("home")).content.decode()
    assert reverse("rosters:week") in content
