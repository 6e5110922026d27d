"""The working calendar's desk pages: a manager enters next year's table
and a mall's day of other hours; bad input is shown next to its field; the
dashboard warns while next year's table is missing (the suite runs in
December 2026 and later; the warning's own dates are tested in
test_workdays)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from mallservice.workdays.models import CalendarYear, MallDayHours

pytestmark = pytest.mark.django_db

DECEMBER = datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC)


@time_machine.travel(DECEMBER, tick=False)
def test_the_dashboard_warns_until_next_years_table_is_entered(client, manager_user):
    client.force_login(manager_user)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="calendar-warning"' in page
    assert "2027" in page
    # when the manager enters 2027
    response = client.post(
        reverse("calendar_year"),
        {"year": "2027", "days": "2027-01-01 休 元旦\n2027-02-14 班 春节", "note": ""},
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get().entered_by == manager_user
    # then the warning is gone and the calendar page lists the entered days
    assert 'data-testid="calendar-warning"' not in client.get(reverse("dashboard")).content.decode()
    page = client.get(reverse("calendar")).content.decode()
    assert 'data-testid="calendar-days-2027"' in page
    assert "2027-02-14" in page


def test_a_wrong_line_is_shown_next_to_the_field_in_chinese(client, manager_user):
    client.force_login(manager_user)
    response = client.post(
        reverse("calendar_year"),
        {"year": "2027", "days": "2027-01-01 rest"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="error-days"' in page
    assert "第 1 行" in page
    assert not CalendarYear.objects.exists()


def test_a_text_file_can_be_imported(client, manager_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager_user)
    upload = SimpleUploadedFile("2027.txt", "2027-10-01~2027-10-07 休 国庆节\n".encode())
    response = client.post(reverse("calendar_year"), {"year": "2027", "days": "", "upload": upload})
    assert response.status_code == 302
    assert CalendarYear.objects.get().days.count() == 7


def test_a_manager_closes_the_mall_on_chuxi_and_removes_it_again(client, manager_user, mall):
    client.force_login(manager_user)
    url = f"{reverse('calendar_hours')}?mall={mall.pk}"
    response = client.post(url, {"day": "2027-02-05", "closed": "on", "reason": "除夕闭店"})
    assert response.status_code == 302
    row = MallDayHours.objects.get()
    assert row.closed and row.mall == mall
    assert "除夕闭店" in client.get(f"{reverse('calendar')}?mall={mall.pk}").content.decode()
    # neither closed nor hours: the error is next to the opening time
    response = client.post(url, {"day": "2027-02-06", "reason": "春节"})
    assert 'data-testid="error-opens_at"' in response.content.decode()
    client.post(reverse("calendar_hours_remove", args=[row.pk]))
    assert not MallDayHours.objects.exists()


def test_supervisors_read_the_calendar_and_only_managers_edit_it(
    client, supervisor_user, desk_user, manager_user, other_mall
):
    row = MallDayHours.objects.create(
        mall=other_mall, day=datetime.date(2027, 1, 1), closed=True, reason="x"
    )
    client.force_login(supervisor_user)
    assert client.get(reverse("calendar")).status_code == 200
    assert client.get(reverse("calendar_year")).status_code == 403
    assert client.get(reverse("calendar_hours")).status_code == 403
    client.force_login(desk_user)
    assert client.get(reverse("calendar")).status_code == 403
    # another mall's day is not the supervisor's to see, nor a manager's outside their malls
    client.force_login(manager_user)
    assert client.get(f"{reverse('calendar')}?mall={other_mall.pk}").status_code == 200
    client.force_login(supervisor_user)
    assert client.get(f"{reverse('calendar')}?mall={other_mall.pk}").status_code == 404
    assert client.post(reverse("calendar_hours_remove", args=[row.pk])).status_code == 403


@time_machine.travel(DECEMBER, tick=False)
def test_a_supervisor_is_not_warned_the_manager_enters_the_table(client, supervisor_user):
    client.force_login(supervisor_user)
    page = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="calendar-warning"' not in page
