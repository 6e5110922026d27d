from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from mallservice.models import Unit


def _sheet(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "mall",
            "floor",
            "code",
            "name",
            "kind",
            "area_kind",
            "tenant_name",
            "contact_name",
            "contact_phone",
            "is_active",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "directory.xlsx"
    return buffer


def test_mall_directory_imports_from_an_excel_sheet(client, manager_user, floor, mall):
    client.force_login(manager_user)
    upload = _sheet(
        [
            [
                mall.code,
                "1F",
                "1F-120",
                "喜茶",
                "shop",
                "",
                "喜茶餐饮有限公司",
                "王强",
                "13900001111",
                1,
            ],
            [mall.code, "1F", "PA-09", "北门入口", "public_area", "entrance", "", "", "", 1],
        ]
    )
    # the admin previews the import, then confirms it
    response = client.post(
        reverse("admin:mallservice_unit_import"),
        {"format": "0", "import_file": upload, "resource": "0"},
    )
    assert response.status_code == 200
    assert Unit.objects.filter(mall=mall).count() == 0  # nothing saved before confirming
    form = response.context["confirm_form"]
    response = client.post(reverse("admin:mallservice_unit_process_import"), form.initial)
    assert response.status_code == 302
    tea = Unit.objects.get(mall=mall, code="1F-120")
    assert tea.floor == floor and tea.tenant_name == "喜茶餐饮有限公司"
    assert Unit.objects.get(mall=mall, code="PA-09").area_kind == "entrance"


def test_a_bad_row_rejects_the_sheet_and_changes_nothing(client, manager_user, floor, mall):
    client.force_login(manager_user)
    upload = _sheet(
        [
            [mall.code, "1F", "1F-121", "好店", "shop", "", "", "", "", 1],
            [mall.code, "9F", "1F-122", "楼层不存在", "shop", "", "", "", "", 1],
        ]
    )
    response = client.post(
        reverse("admin:mallservice_unit_import"),
        {"format": "0", "import_file": upload, "resource": "0"},
    )
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert Unit.objects.filter(mall=mall).count() == 0


def test_exporting_a_list_to_excel_is_logged(client, manager_user, shop):
    from mallservice.models import SensitiveAccess

    client.force_login(manager_user)
    response = client.post(
        reverse("admin:mallservice_unit_export"),
        {"format": "0", "resource": "0", "unitresource_name": True, "unitresource_code": True},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    entry = SensitiveAccess.objects.get(kind="export")
    assert entry.actor == manager_user
    assert entry.detail["model"] == "mallservice.Unit" and entry.detail["rows"] == 1
