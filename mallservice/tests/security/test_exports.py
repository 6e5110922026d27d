"""Formula injection (issue 16 item 4): text a person typed that starts like
a spreadsheet formula reaches every download as text, never as a live
formula; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaints.tests.factories import make_complaint
from mallservice.exports import escape_cell
from mallservice.models import User
from rosters.meals import services as meal_services
from rosters.tests.conftest import (  # noqa: F401 - fixtures
    at,
    colleague,
    next_monday,
    published_week,
    roster,
)

EVIL = '=HYPERLINK("http://evil.example","x")'
ESCAPED = "'" + EVIL


def _cells(response) -> list:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [cell for row in sheet.iter_rows() for cell in row]


def _csv_values(response) -> list[str]:
    rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    return [value for row in rows for value in row]


def _assert_no_formula(cells) -> None:
    assert not [c.value for c in cells if c.data_type == "f"], "a live formula was written"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_escaped_and_numbers_are_not(start):
    assert escape_cell(f"{start}1+1") == f"'{start}1+1"
    assert escape_cell(-5) == -5 and escape_cell(3.5) == 3.5
    assert escape_cell("王先生") == "王先生"


def test_complaint_export_writes_a_formula_name_as_text(client, supervisor_user, desk_user, mall):
    make_complaint(actor=desk_user, mall=mall, complainant_name=EVIL)
    client.force_login(supervisor_user)

    response = client.get(reverse("complaints:export"))

    cells = _cells(response)
    _assert_no_formula(cells)
    escaped = [c for c in cells if c.value == ESCAPED]
    assert escaped and escaped[0].data_type == "s"


def test_attendance_export_writes_a_formula_display_name_as_text(
    client,
    supervisor_user,
    desk_user,
    published_week,  # noqa: F811
):
    User.objects.filter(pk=desk_user.pk).update(display_name=EVIL)
    client.force_login(supervisor_user)
    month = published_week.week_start.strftime("%Y-%m")
    url = reverse("rosters:report_export")

    xlsx = client.get(url, {"month": month})
    as_csv = client.get(url, {"month": month, "format": "csv"})

    cells = _cells(xlsx)
    _assert_no_formula(cells)
    assert ESCAPED in [c.value for c in cells]
    assert ESCAPED in _csv_values(as_csv) and EVIL not in _csv_values(as_csv)


def test_meal_export_writes_a_formula_display_name_as_text_and_counts_as_numbers(
    client,
    mall,
    desk_user,
    supervisor_user,
    published_week,  # noqa: F811
):
    day = published_week.week_start
    meal_services.meal_order_set(
        actor=desk_user, mall=mall, date=day, lunch=True, dinner=True, now=at(day, 8)
    )
    User.objects.filter(pk=desk_user.pk).update(display_name=EVIL)
    client.force_login(supervisor_user)
    url = reverse("rosters:meal_export")

    xlsx = client.get(url, {"month": f"{day:%Y-%m}"})
    as_csv = client.get(url, {"month": f"{day:%Y-%m}", "format": "csv"})

    cells = _cells(xlsx)
    _assert_no_formula(cells)
    row = next(r for r in load_workbook(io.BytesIO(xlsx.content)).active.values if ESCAPED in r)
    assert row[2:] == (1, 1, 2)  # counts stay numbers
    assert ESCAPED in _csv_values(as_csv) and EVIL not in _csv_values(as_csv)


@pytest.mark.parametrize("fmt", ["0", "1"])  # the admin's Excel, then CSV
def test_admin_export_writes_a_formula_name_as_text(client, manager_user, shop, fmt):
    shop.tenant_name = EVIL
    shop.save(update_fields=["tenant_name"])
    client.force_login(manager_user)

    response = client.post(
        reverse("admin:mallservice_unit_export"),
        {
            "format": fmt,
            "resource": "0",
            "unitresource_code": True,
            "unitresource_tenant_name": True,
        },
    )

    assert response.status_code == 200
    if fmt == "0":
        cells = _cells(response)
        _assert_no_formula(cells)
        assert ESCAPED in [c.value for c in cells]
    else:
        values = _csv_values(response)
        assert ESCAPED in values and EVIL not in values


def test_import_error_report_writes_a_formula_name_as_text(client, supervisor_user, mall):
    from members.models import MemberImport

    record = MemberImport.objects.create(
        mall=mall,
        created_by=supervisor_user,
        filename="r.csv",
        content=b"",
        status=MemberImport.Status.CHECKED,
        errors=[{"row": 2, "codes": ["bad_phone"], "name": EVIL, "phone": "+1"}],
    )
    client.force_login(supervisor_user)

    response = client.get(reverse("members:import_errors", args=[record.pk]))

    values = _csv_values(response)
    assert ESCAPED in values and "'+1" in values
