from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Member, MemberImport
from members.services.imports import member_import_commit, member_import_upload

CSV = (
    "姓名,手机,性别,生日,等级\n"
    "张三,13800000001,男,1988-02-03,金卡\n"
    "李四,1380000,女,,普通\n"  # bad phone
    "王五,13800000001,女,,普通\n"  # twice in the file
    "赵六,13812345678,,,\n"  # already a member
    "钱七,13800000002,女,1990/13/01,黑卡\n"  # bad date and unknown tier
    "孙八,13800000003,女,1990-01-01,银卡\n"
)


def _upload(user, mall, content: bytes, filename="register.csv"):
    record = member_import_upload(actor=user, mall=mall, filename=filename, content=content)
    return MemberImport.objects.get(pk=record.pk)


def test_preview_lists_each_bad_row_with_a_reason_and_saves_nothing(
    mall, desk_user, member, tiers, django_capture_on_commit_callbacks
):
    # when a register is uploaded (the check runs in Celery, eagerly here)
    with django_capture_on_commit_callbacks(execute=True):
        record = _upload(desk_user, mall, CSV.encode())
    record.refresh_from_db()
    # then the preview shows every bad row with its error codes
    assert record.status == MemberImport.Status.CHECKED
    assert record.total_rows == 6 and record.valid_rows == 2
    codes = {e["row"]: e["codes"] for e in record.errors}
    assert codes == {
        3: ["bad_phone"],
        4: ["duplicate_in_file"],
        5: ["duplicate_phone"],
        6: ["bad_birthday", "unknown_tier"],
    }
    assert Member.objects.count() == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_excel_csv_in_either_encoding_imports_with_history(
    mall, desk_user, member, tiers, encoding, django_capture_on_commit_callbacks
):
    from members.models import MemberEvent

    # given the register saved by Excel as UTF-8 with a BOM or as GB18030
    with django_capture_on_commit_callbacks(execute=True):
        record = _upload(desk_user, mall, CSV.encode(encoding))
    with django_capture_on_commit_callbacks(execute=True):
        member_import_commit(actor=desk_user, record=record)
    # then the Chinese names arrive intact, each new member with its history row
    sun = Member.objects.get(phone="13800000003")
    assert sun.name == "孙八" and sun.tier == tiers["silver"]
    assert sun.registered_by == desk_user and sun.status == Member.Status.ACTIVE
    event = MemberEvent.objects.get(pgh_obj=sun, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk


def test_commit_imports_every_valid_row(
    mall, desk_user, member, tiers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = _upload(desk_user, mall, CSV.encode())
    with django_capture_on_commit_callbacks(execute=True):
        member_import_commit(actor=desk_user, record=record)
    record.refresh_from_db()
    assert record.status == MemberImport.Status.DONE and record.imported_rows == 2
    zhang = Member.objects.get(phone="13800000001")
    assert zhang.tier == tiers["gold"] and zhang.source == Member.Source.IMPORT


def test_commit_is_all_or_nothing(
    mall, desk_user, tiers, django_capture_on_commit_callbacks, django_user_model
):
    # given a checked import whose second valid row was registered meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        record = _upload(desk_user, mall, CSV.encode())
    Member.objects.create(
        mall=mall, phone="13800000003", name="孙八", source="desk", registered_by=desk_user
    )
    # when it is committed
    with django_capture_on_commit_callbacks(execute=True):
        member_import_commit(actor=desk_user, record=record)
    # then none of the rows is imported: the set differs from the preview
    record.refresh_from_db()
    assert record.status == MemberImport.Status.FAILED
    assert record.errors[0]["codes"] == ["changed_since_check"]
    assert Member.objects.filter(source="import").count() == 0


def test_formula_cells_stay_text_and_the_error_report_defuses_them(
    client, mall, desk_user, tiers, django_capture_on_commit_callbacks
):
    # given an Excel file with a formula and an injection attempt
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "手机", "性别", "生日", "等级"])
    sheet.append(['=HYPERLINK("http://x","点我")', "=1+13800000000", "女", None, "普通"])
    sheet.append(["周九", 13800000009, "男", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    client.force_login(desk_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:imports"),
            {"file": SimpleUploadedFile("register.xlsx", buffer.getvalue())},
        )
    record = MemberImport.objects.get()
    assert response.url == reverse("members:import_detail", args=[record.pk])
    # then the formula is read as text (a bad phone), never evaluated
    assert record.errors[0]["codes"] == ["bad_phone"]
    assert record.errors[0]["name"].startswith("=HYPERLINK")
    assert record.valid_rows == 1
    # and the downloadable report prefixes it so a spreadsheet shows text
    report = client.get(reverse("members:import_errors", args=[record.pk]))
    body = report.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "'=1+13800000000" in body
    assert "不是有效的大陆手机号" in body
    page = client.get(reverse("members:import_detail", args=[record.pk]))
    assert page.status_code == 200


def test_a_file_without_the_header_fails_with_a_reason(
    mall, desk_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record = _upload(desk_user, mall, b"a,b\n1,2\n")
    record.refresh_from_db()
    assert record.status == MemberImport.Status.FAILED
    assert record.errors[0]["codes"] == ["no_header"]


@pytest.mark.parametrize("name", ["register.txt", "register.exe"])
def test_only_excel_or_csv_is_accepted(client, desk_user, name):
    client.force_login(desk_user)
    response = client.post(reverse("members:imports"), {"file": SimpleUploadedFile(name, b"x")})
    assert response.status_code == 200 and MemberImport.objects.count() == 0


def test_a_birthday_in_the_future_is_a_row_error_as_at_the_desk(
    mall, desk_user, tiers, django_capture_on_commit_callbacks
):
    # given a register with a birthday in 2030
    content = "姓名,手机,性别,生日,等级\n周九,13800000009,女,2030-01-01,\n".encode()
    # when it is uploaded
    with django_capture_on_commit_callbacks(execute=True):
        record = _upload(desk_user, mall, content)
    record.refresh_from_db()
    # then the row is refused with its own error, as the desk's form refuses it
    assert record.valid_rows == 0
    assert [e["codes"] for e in record.errors] == [["future_birthday"]]
