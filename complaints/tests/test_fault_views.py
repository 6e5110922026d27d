"""Fault report pages: permission matrix, query counts, intake and actions
through HTTP."""

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.models import FaultReport
from complaints.tests.factories import make_complaint, make_fault
from mallservice.roles import Role
from mallservice.testing import OTHER, OWN, PermissionCase, check_permission_case

DESK, BROAD, SUP, MGR = (
    r.value for r in (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR, Role.MANAGER)
)
FUTURE = "2099-01-01T10:00"
ASSIGN = {"assign-department": "security", "assign-due_at": FUTURE}


def _list(world, side):
    return reverse("complaints:fault_list")


def _create(world, side):
    return reverse("complaints:fault_create")


def _report(world, side):
    return reverse("complaints:fault_report")


def _detail(world, side):
    return reverse("complaints:fault_detail", args=[world["objects"][side]["fault"].pk])


def _fix(world, side):
    return reverse("complaints:fault_fix", args=[world["objects"][side]["fault"].pk])


def _assign(world, side):
    return reverse("complaints:fault_assign", args=[world["objects"][side]["fault"].pk])


CASES = [
    PermissionCase(DESK, _list, OWN, 200),
    PermissionCase(BROAD, _list, OWN, 403),
    PermissionCase(SUP, _list, OWN, 200),
    PermissionCase(MGR, _list, OWN, 200),
    PermissionCase("anonymous", _list, OWN, 302),
    PermissionCase(DESK, _create, OWN, 200),
    PermissionCase(BROAD, _create, OWN, 403),
    PermissionCase(DESK, _report, OWN, 200),
    PermissionCase(BROAD, _report, OWN, 403),
    PermissionCase(DESK, _detail, OWN, 200),
    PermissionCase(DESK, _detail, OTHER, 404),
    PermissionCase(SUP, _detail, OTHER, 404),
    PermissionCase(MGR, _detail, OTHER, 200),
    PermissionCase(BROAD, _detail, OWN, 403),
    # The desk records the fix; re-routing is the supervisor's and the manager's.
    PermissionCase(DESK, _fix, OWN, 302, "post", {"fix-fix_text": "已修"}),
    PermissionCase(SUP, _fix, OTHER, 404, "post", {"fix-fix_text": "已修"}),
    PermissionCase(DESK, _assign, OWN, 403, "post", ASSIGN),
    PermissionCase(SUP, _assign, OWN, 302, "post", ASSIGN),
    PermissionCase(MGR, _assign, OTHER, 302, "post", ASSIGN),
    PermissionCase(BROAD, _fix, OWN, 403, "post", {"fix-fix_text": "x"}),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, faults_world, case):
    check_permission_case(client, faults_world, case)


def test_fault_list_has_a_fixed_number_of_queries(
    client, desk_user, mall, shop, django_assert_max_num_queries
):
    client.force_login(desk_user)
    make_fault(actor=desk_user, mall=mall, unit=shop)
    client.get(reverse("complaints:fault_list"))  # warm caches (content types, sessions)
    with django_assert_max_num_queries(12):
        small = client.get(reverse("complaints:fault_list"))
    for i in range(30):
        make_fault(actor=desk_user, mall=mall, unit=shop, fault_type=["water", "doors"][i % 2])
    with django_assert_max_num_queries(12):
        big = client.get(reverse("complaints:fault_list"))
    assert small.status_code == big.status_code == 200
    assert big.content.count(b"BX-") >= 31


def test_fault_detail_and_report_have_a_fixed_number_of_queries(
    client, supervisor_user, desk_user, mall, shop, django_assert_max_num_queries
):
    client.force_login(supervisor_user)
    fault = make_fault(actor=desk_user, mall=mall, unit=shop)
    client.get(reverse("complaints:fault_detail", args=[fault.pk]))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("complaints:fault_detail", args=[fault.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        small = client.get(reverse("complaints:fault_report"))
    for _ in range(10):
        make_fault(actor=desk_user, mall=mall, unit=shop)
    with django_assert_max_num_queries(12):
        big = client.get(reverse("complaints:fault_report"))
    assert small.status_code == big.status_code == 200


def test_repeat_fault_is_flagged_on_list_and_detail(client, desk_user, mall, shop):
    client.force_login(desk_user)
    make_fault(actor=desk_user, mall=mall, unit=shop)
    again = make_fault(actor=desk_user, mall=mall, unit=shop)
    listing = client.get(reverse("complaints:fault_list") + "?repeats_only=on")
    assert listing.content.count(b'data-testid="repeat-flag"') == 1
    detail = client.get(reverse("complaints:fault_detail", args=[again.pk]))
    assert b'data-testid="repeat-flag"' in detail.content
    report = client.get(reverse("complaints:fault_report"))
    assert "优衣库" in report.content.decode()


def test_desk_logs_a_fault_from_a_complaint(client, desk_user, mall, shop):
    # given a complaint about a broken light
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    url = reverse("complaints:fault_create") + f"?complaint={complaint.pk}"
    assert client.get(url).status_code == 200
    # when the desk logs the fault from it
    response = client.post(
        url,
        {
            "mall": mall.pk,
            "unit": shop.pk,
            "fault_type": "toilets",
            "severity": "normal",
            "description": "洗手间堵塞",
            "reporter_kind": "customer",
        },
    )
    # then it is routed to cleaning and linked to the complaint
    fault = FaultReport.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/faults/{fault.pk}/")
    assert fault.complaint == complaint and fault.handler_department == "cleaning"
    assert fault.created_by == desk_user


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"mall": "x", "fault_type": "nope"},
        {"mall": "1", "fault_type": "lighting", "description": "x", "reporter_kind": "staff"},
        {"mall": "1", "fault_type": "lighting", "description": "x", "reporter_kind": "shop"},
    ],
)
def test_bad_intake_is_a_form_error_not_a_500(client, desk_user, mall, data):
    client.force_login(desk_user)
    response = client.post(reverse("complaints:fault_create"), data)
    assert response.status_code == 400
    assert not FaultReport.objects.exists()


def test_closing_before_the_fix_shows_an_error(client, desk_user, fault):
    client.force_login(desk_user)
    url = reverse("complaints:fault_close", args=[fault.pk])
    response = client.post(url, {})
    assert response.status_code == 400
    assert [a.name for a in response.context["actions"] if a.open] == ["close"]
    fault.refresh_from_db()
    assert fault.state == FaultReport.State.ASSIGNED


def test_the_fault_filter_says_the_faults_own_number(client, desk_user):
    # (issue 25: the filter read 投诉编号, a complaint's number)
    client.force_login(desk_user)
    with translation.override("zh-hans"):
        page = client.get(reverse("complaints:fault_list"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    label = page.context["form"]["q"].label
    assert "报修单号" in page.content.decode()
    # and its button says 筛选, not the admin's 过滤器
    assert "筛选" in page.content.decode() and "过滤器" not in page.content.decode()
    with translation.override("zh-hans"):
        assert str(label) == "报修单号"


def test_the_fault_detail_offers_the_actions_of_the_step(client, desk_user, supervisor_user, fault):
    # given a fault with its handler
    client.force_login(desk_user)
    url = reverse("complaints:fault_detail", args=[fault.pk])
    # then the desk may record the fix or add a note; re-routing is the supervisor's
    assert [a.name for a in client.get(url).context["actions"]] == ["fix", "note"]
    client.force_login(supervisor_user)
    assert [a.name for a in client.get(url).context["actions"]] == ["fix", "assign", "note"]
