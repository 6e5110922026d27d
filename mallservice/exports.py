"""The one way to write a spreadsheet download (Excel or CSV).

Every text cell that a spreadsheet would evaluate — starting with `=`, `+`,
`-`, `@`, a tab or a carriage return — is written with a leading apostrophe
(OWASP's advice against CSV/formula injection): a complainant or a colleague
who names themselves `=HYPERLINK("http://evil.example", "x")` reaches the
supervisor's file as text, not as a live link. Numbers and dates stay
numbers and dates. The admin's django-import-export downloads go through
`escape_dataset` (`mallservice.admin_export.LoggedExportMixin`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

from mallservice.models import Mall
from mallservice.net import client_ip
from mallservice.services import sensitive_access_log

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """`value` unchanged unless it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def escape_row(row: Iterable[Any]) -> list[Any]:
    return [escape_cell(value) for value in row]


def escape_dataset(dataset: Any) -> Any:
    """Escape a tablib Dataset's headers and rows in place; returns it."""
    if dataset.headers:
        dataset.headers = escape_row(dataset.headers)
    for _index in range(len(dataset)):
        dataset.append(escape_row(dataset.lpop()))  # the same order, escaped
    return dataset


def csv_write(out: Any, rows: Iterable[Sequence[Any]]) -> int:
    """Write escaped rows to a text stream (an HttpResponse works); the
    number of rows written."""
    writer = csv.writer(out)
    count = 0
    for row in rows:
        writer.writerow(escape_row(row))
        count += 1
    return count


def xlsx_bytes(*, sheet_title: str, rows: Iterable[Sequence[Any]]) -> tuple[bytes, int]:
    """One streamed (write-only) sheet of escaped rows: (file bytes, rows)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])  # Excel's limit on a sheet name
    count = 0
    for row in rows:
        sheet.append(escape_row(row))
        count += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count


def csv_response(*, filename: str, rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV download Excel opens as UTF-8 (with the BOM), cells escaped."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    csv_write(response, rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def spreadsheet_response(
    *,
    request: HttpRequest,
    mall: Mall | None,
    filename: str,
    sheet_title: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    detail: dict[str, Any],
    fmt: str = "xlsx",
) -> HttpResponse:
    """`filename` without extension; `fmt` "csv" or anything else for Excel.
    Side effect: the export is written to the sensitive-access log with
    `detail`, the row count and the format."""
    body = [list(header), *(list(row) for row in rows)]
    if fmt == "csv":
        extension = "csv"
        response = csv_response(filename=f"{filename}.csv", rows=body)
    else:
        extension = "xlsx"
        content, _count = xlsx_bytes(sheet_title=sheet_title, rows=body)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    sensitive_access_log(
        actor=request.user,
        kind="export",
        mall=mall,
        detail={**detail, "rows": len(body) - 1, "format": extension},
        ip=client_ip(request),
    )
    return response
