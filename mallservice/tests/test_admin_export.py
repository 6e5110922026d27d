"""The admin's Excel export reads like the desk's own downloads (issue 25
item 10): headed by what staff call each column, names instead of ids,
choice labels instead of codes, local times, no secrets — and every export
is in the sensitive-access log under the mall it concerns, where that
mall's managers see it."""

from __future__ import annotations

import datetime
import io
import json
import re

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mallservice.models import SensitiveAccess, User

UNIT_COLUMNS = [
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


def _export(client, model: str, fields: list[str], fmt: str = "0"):
    resource = f"{model}resource"
    return client.post(
        reverse(f"admin:mallservice_{model}_export"),
        {"format": fmt, "resource": "0", **{f"{resource}_{name}": True for name in fields}},
    )


def _rows(response) -> list[tuple]:
    return list(load_workbook(io.BytesIO(response.content)).active.values)


def test_unit_export_is_headed_in_chinese_with_names_and_labels(client, manager_user, shop):
    # given a shop of 星河广场, floor 一层
    client.force_login(manager_user)

    # when the manager exports the directory to Excel
    response = _export(client, "unit", UNIT_COLUMNS)

    # then the columns are named as staff name them, the cells read as text
    header, row = _rows(response)
    assert header[:2] == ("商场", "楼层") and "启用" in header
    assert not [h for h in header if re.fullmatch(r"[a-z_]+", h)], header
    assert row[:2] == ("星河广场", "一层")
    assert row[header.index("类型")] == "商户"  # the label, not "shop"
    assert row[header.index("启用")] == "是"


def test_user_export_shows_local_times_and_never_a_password(client, manager_user, desk_user):
    utc_login = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    User.objects.filter(pk=desk_user.pk).update(last_login=utc_login)
    client.force_login(manager_user)
    page = client.get(reverse("admin:mallservice_user_export"))
    assert "userresource_password" not in page.content.decode()
    fields = re.findall(r'name="userresource_([a-z_]+)"', page.content.decode())

    response = _export(client, "user", [*fields, "password"])

    header, *rows = _rows(response)
    assert "密码" not in header and "password" not in header
    desk = next(row for row in rows if "desk" in row)
    # 23:30 UTC is 07:30 the next morning at the mall
    assert desk[header.index("上次登录")] == datetime.datetime(2026, 12, 1, 7, 30)
    assert desk[header.index("所属商场")] == "星河广场"
    assert not any(str(cell).startswith("pbkdf2") for row in rows for cell in row)


def test_an_export_is_logged_under_its_mall_and_seen_by_its_managers(
    client, manager_user, shop, mall
):
    client.force_login(manager_user)

    _export(client, "unit", ["code", "name"], fmt="1")

    entry = SensitiveAccess.objects.get(kind="export")
    assert entry.actor == manager_user and entry.mall == mall
    assert entry.detail["rows"] == 1 and entry.detail["fields"] == ["code", "name"]
    listing = client.get(reverse("admin:mallservice_sensitiveaccess_changelist"))
    assert listing.context["cl"].result_count == 1


def test_the_export_page_names_its_columns_and_needs_no_inline_script(client, manager_user):
    client.force_login(manager_user)

    page = client.get(reverse("admin:mallservice_unit_export")).content.decode()

    assert "onchange=" not in page and 'style="' not in page
    assert "js/admin_export.js" in page
    assert "铺位号" in page and "Area Kind" not in page and "Tenant Name" not in page


def test_the_admin_speaks_the_desks_chinese(client, manager_user, mall):
    # given a logged reveal (the sensitive-access log's record type and id)
    from mallservice.services import sensitive_access_log

    sensitive_access_log(actor=manager_user, kind="reveal", obj=mall, field="phone", mall=mall)
    entry = SensitiveAccess.objects.get()
    entry_at = timezone.localtime(entry.at)
    client.force_login(manager_user)

    index = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:mallservice_sensitiveaccess_changelist")).content.decode()
    detail = client.get(
        reverse("admin:mallservice_sensitiveaccess_change", args=[entry.pk])
    ).content.decode()

    for english in ("Model name", "Add link", "Submission tokens"):
        assert english not in index
    assert "筛选" in listing and "过滤器" not in listing
    assert "Content type" not in listing and "Object id" not in listing
    assert "记录类型" in listing
    # the record is titled by who, what and when in the mall's time
    assert f"{manager_user} · 查看了个人信息 · {entry_at:%Y-%m-%d %H:%M}" in detail


def test_the_admins_multi_select_widget_says_shaixuan_too(client, manager_user):
    # (the permission and group pickers: Django's own catalogue says 过滤)
    client.force_login(manager_user)
    catalogue = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = catalogue.content.decode()
    assert '"Filter": ' + json.dumps("筛选") in text
    assert json.dumps("过滤")[1:-1] not in text
