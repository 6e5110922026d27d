"""Import limits (issue 16 items 6 and 10): a workbook that unpacks to far
more than it weighs (a zip bomb) is refused from its zip directory before
anything parses it; rows and cell lengths are capped; imports run in their
own Celery queue, on workers replaced when they grow."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.utils import translation

from members import imports
from members.models import MemberImport
from members.services import member_import_upload

ROW = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'


def _bomb(rows: int) -> bytes:
    """A real workbook whose sheet is `rows` repeated rows: a few MB of XML
    packed into a few KB (a 1 GiB bomb works the same, only slower to build)."""
    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["姓名", "手机"])
    book.save(buffer)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                head, _sep, tail = data.partition(b"</sheetData>")
                data = head + ROW * rows + b"</sheetData>" + tail
            target.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@pytest.fixture
def parses(monkeypatch):
    """Every time openpyxl is asked to open a workbook."""
    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    return calls


def _check(user, mall, content: bytes, filename: str, capture) -> MemberImport:
    with capture(execute=True):
        record = member_import_upload(actor=user, mall=mall, filename=filename, content=content)
    record.refresh_from_db()
    return record


def test_a_workbook_that_unpacks_past_the_limit_is_refused_unparsed(
    settings, mall, desk_user, parses, django_capture_on_commit_callbacks
):
    # given a limit of 2 MB unpacked (100 MB in production) and a ~4 MB sheet
    settings.MEMBER_IMPORT_MAX_UNPACKED_BYTES = 2 * 1024 * 1024
    settings.MEMBER_IMPORT_MAX_PACK_RATIO = 100_000  # only the total decides here
    content = _bomb(80_000)
    assert len(content) < 100_000

    record = _check(desk_user, mall, content, "register.xlsx", django_capture_on_commit_callbacks)

    # then the import failed with its reason, and openpyxl never opened it
    assert record.status == MemberImport.Status.FAILED
    assert record.errors == [{"row": 1, "codes": ["too_large_unpacked"]}]
    assert parses == []
    with translation.override("zh-hans"):
        message = imports.error_message("too_large_unpacked")
    assert "2 MB" in message and "解压" in message


def test_a_sheet_packed_suspiciously_tightly_is_refused_unparsed(
    mall, desk_user, parses, django_capture_on_commit_callbacks
):
    # given the default limits and a sheet packed several hundred times
    record = _check(
        desk_user, mall, _bomb(80_000), "register.xlsx", django_capture_on_commit_callbacks
    )

    assert record.status == MemberImport.Status.FAILED
    assert record.errors[0]["codes"] == ["too_large_unpacked"]
    assert parses == []


def test_an_ordinary_workbook_is_still_read(
    mall, desk_user, parses, django_capture_on_commit_callbacks
):
    book = openpyxl.Workbook()
    book.active.append(["姓名", "手机"])
    book.active.append(["周九", "13800000009"])
    buffer = io.BytesIO()
    book.save(buffer)

    record = _check(
        desk_user, mall, buffer.getvalue(), "register.xlsx", django_capture_on_commit_callbacks
    )

    assert record.status == MemberImport.Status.CHECKED and record.valid_rows == 1
    assert parses == [1]


def test_a_file_with_more_rows_than_the_cap_is_refused_with_a_translated_reason(
    settings, mall, desk_user, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_MAX_ROWS = 5
    rows = "".join(f"会员{i},1380000{i:04d}\n" for i in range(6))
    content = ("姓名,手机\n" + rows).encode()

    record = _check(desk_user, mall, content, "register.csv", django_capture_on_commit_callbacks)

    assert record.status == MemberImport.Status.FAILED
    assert record.errors[0]["codes"] == ["too_many_rows"]
    with translation.override("zh-hans"):
        message = imports.error_message("too_many_rows")
    assert "5" in message and "行" in message


def test_the_default_row_cap_is_fifty_thousand():
    assert imports.limit("MEMBER_IMPORT_MAX_ROWS") == 50_000


def test_cells_are_read_only_up_to_the_cell_limit(
    settings, mall, desk_user, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_MAX_CELL_CHARS = 200
    content = ("姓名,手机\n张三," + "1" * 100_000 + "\n").encode()

    record = _check(desk_user, mall, content, "register.csv", django_capture_on_commit_callbacks)

    assert record.errors[0]["codes"] == ["bad_phone"]
    assert len(record.errors[0]["phone"]) == 200


@pytest.mark.parametrize(
    "task",
    ["members.tasks.import_check", "members.tasks.import_commit", "members.tasks.imports_dispatch"],
)
def test_imports_run_in_their_own_queue(task):
    from mallservice.celery import app

    route = app.amqp.router.route({}, task, args=(1,), kwargs={})
    assert route["queue"].name == "imports"
    assert app.amqp.router.route({}, "members.tasks.plan_calls")["queue"].name == "celery"


def test_workers_consume_the_imports_queue_and_are_replaced_when_they_grow():
    from mallservice.celery import app

    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD
    assert settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD > 0
    root = Path(settings.BASE_DIR)
    for procfile in ("Procfile", "Procfile.dev"):
        worker = next(
            line for line in (root / procfile).read_text().splitlines() if line.startswith("worker")
        )
        assert "-Q celery,imports" in worker
