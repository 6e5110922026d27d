from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from mallservice.models import Unit

_COLUMNS = [
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


def _sheet(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(_COLUMNS)
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


def test_the_exported_directory_imports_again_and_updates_the_shop(
    client, manager_user, shop, mall
):
    # given a manager who exports the directory, every column, as staff read
    # it (headed 商场/名称…, the mall and floor by name, 商户, 是)
    client.force_login(manager_user)
    columns = {f"unitresource_{name}": True for name in _COLUMNS}
    exported = client.post(
        reverse("admin:mallservice_unit_export"), {"format": "0", "resource": "0", **columns}
    )
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    header, row = (list(r) for r in book.active.iter_rows(values_only=True))
    assert "商场" in header and mall.name in row
    # when they rename the shop in the sheet and import it again
    row[header.index("名称")] = "新名字"
    book = openpyxl.Workbook()
    book.active.append(header)
    book.active.append(["" if cell is None else cell for cell in row])
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "directory.xlsx"
    preview = client.post(
        reverse("admin:mallservice_unit_import"),
        {"format": "0", "import_file": upload, "resource": "0"},
    )
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    client.post(
        reverse("admin:mallservice_unit_process_import"), preview.context["confirm_form"].initial
    )
    # then the same shop is renamed, nothing else changed, no new one made
    shop.refresh_from_db()
    assert (shop.name, shop.kind, shop.is_active) == ("新名字", "shop", True)
    assert Unit.objects.filter(mall=mall).count() == 1
