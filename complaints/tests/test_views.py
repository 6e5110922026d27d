"""Pages: permission matrix, query counts, intake and actions through HTTP."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from complaints.models import Complaint, PhoneCall
from complaints.services.closing import complaint_callback
from complaints.services.compensation import compensation_request
from complaints.services.desk import desk_config_ensure
from complaints.services.phone_log import phone_call_log
from complaints.services.workflow import complaint_assign, complaint_respond, complaint_verify
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


def _note(world, side):
    return reverse("complaints:note", args=[world["objects"][side]["complaint"].pk])


def _units(world, side):
    return reverse("complaints:unit_options")


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
    # One URL per action: the permission first, then the record through the
    # scoped selector.
    PermissionCase(DESK, _note, OWN, 302, "post", {"note-text": "备注"}),
    PermissionCase(DESK, _note, OTHER, 404, "post", {"note-text": "备注"}),
    PermissionCase(MGR, _note, OTHER, 302, "post", {"note-text": "备注"}),
    PermissionCase(BROAD, _note, OWN, 403, "post", {"note-text": "备注"}),
    PermissionCase(DESK, _units, OWN, 200),
    PermissionCase(BROAD, _units, OWN, 403),
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


def test_a_refused_button_says_why_and_changes_nothing(client, desk_user, complaint):
    # given a new complaint (not yet called back)
    client.force_login(desk_user)
    # when the desk closes it
    response = client.post(reverse("complaints:close", args=[complaint.pk]), follow=True)
    # then it is back on the complaint with the reason, still new
    assert response.redirect_chain[-1][0] == reverse("complaints:detail", args=[complaint.pk])
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.NEW


def test_a_refused_form_is_a_400_with_the_error_next_to_it(client, desk_user, complaint):
    # given a new complaint (no handler yet)
    client.force_login(desk_user)
    # when a handler's response is recorded for it
    response = client.post(
        reverse("complaints:record_response", args=[complaint.pk]),
        {"respond-response": "已道歉"},
    )
    # then the detail page comes back with that form open and the reason in it
    assert response.status_code == 400
    assert [a.name for a in response.context["actions"] if a.open] == ["respond"]
    assert b'data-testid="form-errors"' in response.content
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.NEW


def test_a_missing_field_is_shown_next_to_it(client, desk_user, complaint):
    client.force_login(desk_user)
    response = client.post(reverse("complaints:merge", args=[complaint.pk]), {"merge-into": ""})
    assert response.status_code == 400
    assert b'data-testid="error-into"' in response.content


def test_each_action_says_what_it_did(client, desk_user, complaint):
    # given a new complaint
    client.force_login(desk_user)
    url = reverse("complaints:note", args=[complaint.pk])
    # when a note is added
    response = client.post(url, {"note-text": "顾客稍后再来"}, follow=True)
    # then the message names the action, not a bare "Saved."
    with translation.override("zh-hans"):
        expected = translation.gettext("Note added.")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    assert expected != "Note added."
    assert complaint.activities.filter(code="note", actor=desk_user).exists()


@pytest.mark.parametrize(
    ("state_of", "offered"),
    [
        ("new", ["verify", "assign", "status", "merge", "note", "compensation", "attach"]),
        ("assigned", ["respond", "assign", "status", "merge", "note", "compensation", "attach"]),
        ("called_back", ["close", "reopen", "note", "compensation", "attach"]),
    ],
)
def test_the_detail_page_offers_only_the_actions_of_the_step_all_closed(
    client, desk_user, complaint, state_of, offered
):
    # given a complaint in a step
    if state_of != "new":
        c = complaint_assign(
            actor=desk_user,
            complaint=complaint,
            handler_kind="floor_supervisor",
            handler_name="楼层主管",
            due_at=timezone.now() + datetime.timedelta(hours=2),
        )
        if state_of == "called_back":
            c = complaint_respond(actor=desk_user, complaint=c, response="已处理")
            c = complaint_verify(actor=desk_user, complaint=c)
            complaint_callback(actor=desk_user, complaint=c, satisfaction="satisfied")
    client.force_login(desk_user)
    # when the detail page is opened
    response = client.get(reverse("complaints:detail", args=[complaint.pk]))
    # then it offers that step's actions, none of their forms open
    actions = response.context["actions"]
    assert [a.name for a in actions] == offered
    assert not [a for a in actions if a.open]
    assert response.content.count(b"accordion-collapse collapse show") == 0


def test_a_get_of_an_action_url_goes_to_the_complaint(client, desk_user, complaint):
    # (after signing in again, the login page sends the user to the action's URL)
    client.force_login(desk_user)
    detail = reverse("complaints:detail", args=[complaint.pk])
    for name in ("complaints:assign", "complaints:close"):
        response = client.get(reverse(name, args=[complaint.pk]))
        assert response.status_code == 302 and response.url == detail
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.NEW


def test_a_supervisor_approves_a_compensation_by_its_own_url(
    client, desk_user, supervisor_user, complaint
):
    # given a requested compensation
    compensation = compensation_request(
        actor=desk_user, complaint=complaint, kind="parking", amount=Decimal("20")
    )
    # the desk may not decide it
    client.force_login(desk_user)
    url = reverse("complaints:compensation_approve", args=[compensation.pk])
    assert client.post(url).status_code == 403
    # when a supervisor approves it
    client.force_login(supervisor_user)
    response = client.post(url)
    # then it is approved and the supervisor is back on the complaint
    assert response.url == reverse("complaints:detail", args=[complaint.pk])
    compensation.refresh_from_db()
    assert compensation.state == "approved" and compensation.decided_by == supervisor_user


def test_the_slip_shows_the_place_the_receiving_staff_and_the_deadline(
    client, desk_user, complaint
):
    client.force_login(desk_user)
    page = client.get(reverse("complaints:slip", args=[complaint.pk])).content.decode()
    due = timezone.localtime(complaint.resolution_due_at).strftime("%Y-%m-%d %H:%M")
    assert complaint.unit.name in _testid(page, "slip-where")
    assert complaint.floor.code in _testid(page, "slip-where")
    assert str(desk_user) in _testid(page, "slip-received-by")
    assert due in _testid(page, "slip-due")


def _testid(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</dd>", start)]


def test_export_is_logged(client, supervisor_user, complaint):
    client.force_login(supervisor_user)
    response = client.get(reverse("complaints:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    log = SensitiveAccess.objects.get(kind="export")
    assert log.actor == supervisor_user and log.detail["rows"] == 1


def test_handler_link_records_the_response(client, desk_user, complaint):
    from django.core import signing

    from complaints.views.handler import RESPOND_SALT

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


def test_an_empty_phone_log_entry_is_refused_next_to_the_field(client, desk_user, mall):
    # given the phone log
    client.force_login(desk_user)
    # when "log the call" is pressed with nothing typed
    response = client.post(
        reverse("complaints:calls"), {"mall": mall.pk, "direction": "in", "topic": "inquiry"}
    )
    # then nothing is logged and the form says what is missing, by the field
    assert response.status_code == 400
    assert b'data-testid="error-summary"' in response.content
    assert not PhoneCall.objects.exists()


def test_choosing_a_floor_lists_that_floors_shops_by_name(client, desk_user, mall, floor, shop):
    # given two floors with shops typed in no order
    from mallservice.tests.factories import FloorFactory, UnitFactory

    upstairs = FloorFactory(mall=mall, code="2F", name="二层", level=2)
    UnitFactory(floor=upstairs, mall=mall, name="星巴克")
    UnitFactory(floor=floor, mall=mall, name="Apple")
    client.force_login(desk_user)
    url = reverse("complaints:unit_options")
    # when the first floor is chosen, with 优衣库 already picked
    page = client.get(url, {"floor": floor.pk, "unit": shop.pk}).content.decode()
    # then its shops come by name, the picked one still picked, none of upstairs
    assert page.index("Apple") < page.index("优衣库") and "星巴克" not in page
    assert f'value="{shop.pk}" selected' in page
    # and with no floor every shop comes, by floor then name
    everything = client.get(url).content.decode()
    assert everything.index("Apple") < everything.index("优衣库") < everything.index("星巴克")


def test_the_intake_floor_reloads_the_shop_list(client, desk_user, mall, floor):
    client.force_login(desk_user)
    page = client.get(reverse("complaints:create")).content.decode()
    assert f'hx-get="{reverse("complaints:unit_options")}"' in page
    assert "data-searchable" in page
