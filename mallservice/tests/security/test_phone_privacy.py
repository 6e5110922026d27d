"""Full phone numbers only through the logged reveal (issue 16 item 5, all
but the history panel): full-number searches are logged and rate-limited,
the intake from a logged call does not put the caller's number in the page,
and every download that lists numbers is logged."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.services.desk import desk_config_ensure
from complaints.services.phone_log import phone_call_log
from mallservice.models import SensitiveAccess
from mallservice.phone_search import LOG_FIELD, limits
from members.models import MemberImport
from members.tests.factories import MemberFactory

NUMBER = "13912345678"


@pytest.fixture
def member(mall, desk_user):
    return MemberFactory(mall=mall, registered_by=desk_user, phone=NUMBER, name="王小明")


def _searches(user):
    return SensitiveAccess.objects.filter(actor=user, field=LOG_FIELD)


def _guess(middle: int) -> str:
    return f"139{middle:04d}5678"


def test_guessing_the_masked_digits_in_the_header_search_is_cut_off(
    client, settings, desk_user, member
):
    # given the shipped limit: 10 full-number searches in 10 minutes
    assert limits() == (10, 600)
    client.force_login(desk_user)
    # when the desk tries ten wrong middles (each answered, each logged)
    for middle in range(10):
        response = client.get(reverse("search"), {"q": _guess(middle)})
        assert response.status_code == 200
    assert _searches(desk_user).count() == 10
    # then the eleventh, the right number, does not jump to the member
    response = client.get(reverse("search"), {"q": NUMBER})
    assert response.status_code == 429
    assert reverse("members:detail", args=[member.pk]) not in response.content.decode()
    assert 'data-testid="search-limited"' in response.content.decode()
    assert _searches(desk_user).count() == 10


def test_each_full_number_search_is_logged_with_the_number_masked(client, desk_user, member):
    client.force_login(desk_user)

    response = client.get(reverse("search"), {"q": NUMBER})

    assert response.status_code == 302  # one member: straight to the record
    entry = _searches(desk_user).get()
    assert entry.kind == "reveal" and entry.detail["where"] == "header"
    assert entry.detail["number"] == "139****5678"
    assert NUMBER not in str(entry.detail) and entry.detail["digest"]


def test_the_limit_is_per_user_and_configurable(
    client, settings, desk_user, supervisor_user, member
):
    settings.PHONE_SEARCH_LIMIT = 2
    client.force_login(desk_user)
    assert client.get(reverse("search"), {"q": _guess(1)}).status_code == 200
    assert client.get(reverse("search"), {"q": _guess(2)}).status_code == 200
    assert client.get(reverse("search"), {"q": _guess(3)}).status_code == 429
    # a colleague has their own count
    client.force_login(supervisor_user)
    assert client.get(reverse("search"), {"q": NUMBER}).status_code == 302


def test_the_window_passes(client, settings, desk_user, member):
    settings.PHONE_SEARCH_LIMIT = 1
    settings.PHONE_SEARCH_WINDOW_SECONDS = 600
    client.force_login(desk_user)
    client.get(reverse("search"), {"q": _guess(1)})
    assert client.get(reverse("search"), {"q": NUMBER}).status_code == 429
    # ten minutes later
    import datetime

    from django.utils import timezone

    from mallservice.phone_search import full_number_search_allow

    later = timezone.now() + datetime.timedelta(seconds=601)
    assert full_number_search_allow(user=desk_user, number=NUMBER, where="test", ip=None, now=later)


def test_last_four_digits_and_names_are_not_counted(client, settings, desk_user, member):
    settings.PHONE_SEARCH_LIMIT = 1
    client.force_login(desk_user)
    for _ in range(3):
        client.get(reverse("search"), {"q": "5678"})
        client.get(reverse("search"), {"q": "王小明"})
    assert _searches(desk_user).count() == 0


def test_the_member_search_page_is_limited_and_logged_too(client, settings, desk_user, member):
    settings.PHONE_SEARCH_LIMIT = 3
    client.force_login(desk_user)
    for middle in range(3):
        assert client.get(reverse("members:search"), {"q": _guess(middle)}).status_code == 200
    response = client.get(reverse("members:search"), {"q": NUMBER})
    assert response.status_code == 429
    assert reverse("members:detail", args=[member.pk]) not in response.content.decode()
    assert _searches(desk_user).filter(detail__where="members").count() == 3
    # through HTMX the partial says why
    response = client.get(reverse("members:search"), {"q": NUMBER}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "member-search-error" in response.content.decode()


def test_intake_from_a_call_does_not_put_the_full_number_in_the_page(client, desk_user, mall):
    desk_config_ensure(mall=mall)
    call = phone_call_log(
        actor=desk_user, mall=mall, topic="complaint", caller_name="李女士", phone=NUMBER
    )
    client.force_login(desk_user)

    page = client.get(reverse("complaints:create"), {"call": call.pk}).content.decode()

    assert NUMBER not in page
    assert "139****5678" in page and f'name="call" value="{call.pk}"' in page


def test_intake_from_a_call_takes_the_number_from_the_call(client, desk_user, mall, shop):
    from complaints.models import Category, Complaint

    desk_config_ensure(mall=mall)
    call = phone_call_log(
        actor=desk_user, mall=mall, topic="complaint", caller_name="李女士", phone=NUMBER
    )
    client.force_login(desk_user)

    response = client.post(
        reverse("complaints:create"),
        {
            "call": call.pk,
            "mall": mall.pk,
            "channel": "phone",
            "complainant_name": "李女士",
            "complainant_phone": "",
            "category": Category.objects.get(mall=mall, code="service_attitude").pk,
            "severity": "normal",
            "description": "空调太冷",
        },
    )

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.complainant_phone == NUMBER and complaint.phone_call == call


def test_downloading_the_import_error_report_is_logged(client, supervisor_user, mall):
    record = MemberImport.objects.create(
        mall=mall,
        created_by=supervisor_user,
        filename="r.csv",
        content=b"",
        status=MemberImport.Status.CHECKED,
        errors=[{"row": 2, "codes": ["duplicate_phone"], "name": "王小明", "phone": NUMBER}],
    )
    client.force_login(supervisor_user)

    response = client.get(reverse("members:import_errors", args=[record.pk]))

    assert NUMBER in response.content.decode("utf-8-sig")
    entry = SensitiveAccess.objects.get(actor=supervisor_user, kind="export")
    assert entry.object_id == str(record.pk) and entry.mall == mall
    assert entry.detail["what"] == "members.import_errors" and entry.detail["rows"] == 1


def test_the_admin_neither_lists_nor_shows_a_customers_number(client, manager_user, mall, shop):
    from complaints.tests.factories import make_complaint

    complaint = make_complaint(actor=manager_user, mall=mall, unit=shop, complainant_phone=NUMBER)
    call = phone_call_log(actor=manager_user, mall=mall, topic="inquiry", phone=NUMBER)
    client.force_login(manager_user)

    pages = [
        reverse("admin:complaints_complaint_changelist"),
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        reverse("admin:complaints_phonecall_changelist"),
        reverse("admin:complaints_phonecall_change", args=[call.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert NUMBER not in response.content.decode(), url
    # nor finds a call by its number (a search is a reveal too)
    response = client.get(reverse("admin:complaints_phonecall_changelist"), {"q": NUMBER})
    assert f"/{call.pk}/change/" not in response.content.decode()
