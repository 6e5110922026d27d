"""Pages: permission matrix, query counts, intake and actions through HTTP."""

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Complaint
from complaints.services.desk import desk_config_ensure
from complaints.services.phone_log import phone_call_log
from complaints.services.workflow import complaint_assign
from complaints.tests.factories import at, make_complaint
from mallservice.models import SensitiveAccess
from mallservice.roles import Role
from mallservice.testing import OTHER, OWN, PermissionCase, check_permission_case

DESK, BROAD, SUP, MGR = (
    r.value for r in (Role.DESK, Role.BROADCASTER, Role.SUPERVISOR, Role.MANAGER)
)


def _list(world, side):
    return reverse("complaints:list")


def _detail(world, side):
    return reverse("complaints:detail", args=[world["objects"][side]["complaint"].pk])


def _slip(world, side):
    return reverse("complaints:slip", args=[world["objects"][side]["complaint"].pk])


def _export(world, side):
    return reverse("complaints:export")


def _calls(world, side):
    return reverse("complaints:calls")


CASES = [
    PermissionCase(DESK, _list, OWN, 200),
    PermissionCase(BROAD, _list, OWN, 403),
    PermissionCase(SUP, _list, OWN, 200),
    PermissionCase(MGR, _list, OWN, 200),
    PermissionCase(DESK, _detail, OWN, 200),
    PermissionCase(DESK, _detail, OTHER, 404),
    PermissionCase(SUP, _detail, OTHER, 404),
    PermissionCase(MGR, _detail, OTHER, 200),
    PermissionCase(BROAD, _detail, OWN, 403),
    PermissionCase(DESK, _slip, OTHER, 404),
    PermissionCase(DESK, _export, OWN, 403),
    PermissionCase(SUP, _export, OWN, 200),
    PermissionCase(DESK, _calls, OWN, 200),
    PermissionCase(BROAD, _calls, OWN, 403),
    PermissionCase("anonymous", _list, OWN, 302),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_permission_matrix(client, complaints_world, case):
    check_permission_case(client, complaints_world, case)


def test_list_page_has_a_fixed_number_of_queries(
    client, desk_user, mall, shop, django_assert_max_num_queries
):
    client.force_login(desk_user)
    make_complaint(actor=desk_user, mall=mall, unit=shop)
    client.get(reverse("complaints:list"))  # warm caches (content types, sessions)
    with django_assert_max_num_queries(14):
        small = client.get(reverse("complaints:list"))
    for _ in range(30):
        make_complaint(actor=desk_user, mall=mall, unit=shop)
    with django_assert_max_num_queries(14):
        big = client.get(reverse("complaints:list"))
    assert small.status_code == big.status_code == 200
    assert big.content.count(b"TS-") >= 31


def test_detail_page_has_a_fixed_number_of_queries(
    client, desk_user, complaint, django_assert_max_num_queries
):
    client.force_login(desk_user)
    url = reverse("complaints:detail", args=[complaint.pk])
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_intake_form_creates_and_shows_the_slip(client, desk_user, mall, shop):
    desk_config_ensure(mall=mall)
    client.force_login(desk_user)
    category = mall.category_set.get(code="parking")
    response = client.post(
        reverse("complaints:create"),
        {
            "mall": mall.pk,
            "channel": "desk",
            "complainant_name": "王先生",
            "complainant_phone": "138 1234 5678",
            "unit": shop.pk,
            "category": category.pk,
            "severity": "normal",
            "description": "停车费多收",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("complaints:slip", args=[complaint.pk])
    slip = client.get(response.url)
    assert complaint.reference.encode() in slip.content
    assert b"13812345678" not in slip.content  # masked


def test_bad_phone_is_shown_next_to_the_field_not_a_500(client, desk_user, mall, shop):
    desk_config_ensure(mall=mall)
    client.force_login(desk_user)
    response = client.post(
        reverse("complaints:create"),
        {
            "mall": mall.pk,
            "channel": "desk",
            "complainant_name": "王",
            "complainant_phone": "12345",
            "category": mall.category_set.first().pk,
            "severity": "normal",
            "description": "x",
        },
    )
    assert response.status_code == 200
    assert not Complaint.objects.exists()


def test_forbidden_action_is_a_400_with_the_error(client, desk_user, complaint):
    client.force_login(desk_user)
    response = client.post(reverse("complaints:detail", args=[complaint.pk]), {"action": "close"})
    assert response.status_code == 400


def test_export_is_logged(client, supervisor_user, complaint):
    client.force_login(supervisor_user)
    response = client.get(reverse("complaints:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    log = SensitiveAccess.objects.get(kind="export")
    assert log.actor == supervisor_user and log.detail["rows"] == 1


def test_handler_link_records_the_response(client, desk_user, complaint):
    import datetime

    from django.core import signing
    from django.utils import timezone

    from complaints.views import RESPOND_SALT

    c = complaint_assign(
        actor=desk_user,
        complaint=complaint,
        handler_kind="shop",
        handler_unit=complaint.unit,
        due_at=timezone.now() + datetime.timedelta(hours=2),
    )
    token = signing.dumps({"c": c.pk, "n": c.assignment_no}, salt=RESPOND_SALT)
    response = client.post(reverse("complaints:respond", args=[token]), {"response": "已道歉"})
    assert response.status_code == 200
    c.refresh_from_db()
    assert c.state == "responded" and c.response_text == "已道歉"
    assert client.get(reverse("complaints:respond", args=["forged"])).status_code == 404


def test_logging_a_complaint_call_opens_the_prefilled_intake(client, desk_user, mall):
    client.force_login(desk_user)
    response = client.post(
        reverse("complaints:calls"),
        {
            "mall": mall.pk,
            "direction": "in",
            "topic": "complaint",
            "caller_name": "李女士",
            "phone": "13912345678",
            "summary": "空调太冷",
        },
    )
    assert response.status_code == 302 and "?call=" in response.url
    page = client.get(response.url)
    assert "空调太冷".encode() in page.content


def test_summary_pages_show_the_stored_figures(client, supervisor_user, complaint):
    client.force_login(supervisor_user)
    # the button builds today's summary: pressed on the day the complaint came in
    with time_machine.travel(at(27, 18), tick=False):
        response = client.post(reverse("complaints:summary_build"))
    assert response.status_code == 302
    page = client.get(response.url)
    assert page.status_code == 200
    assert b'data-testid="received">1<' in page.content
    assert client.get(reverse("complaints:summaries")).status_code == 200


def test_phone_log_page_has_a_fixed_number_of_queries(
    client, desk_user, mall, django_assert_max_num_queries
):

    client.force_login(desk_user)
    for _ in range(20):
        phone_call_log(actor=desk_user, mall=mall, topic="inquiry", phone="13812345678")
    client.get(reverse("complaints:calls"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("complaints:calls"))
    assert b"13812345678" not in response.content


def test_revealing_the_phone_for_the_callback_is_logged(client, desk_user, complaint):
    client.force_login(desk_user)
    response = client.post(reverse("complaints:reveal_phone", args=[complaint.pk]))
    assert b"13812345678" in response.content
    log = SensitiveAccess.objects.get(kind="reveal")
    assert log.actor == desk_user and log.field == "complainant_phone"
