"""Downloads of the rosters app's reports (attendance, meal counts): one
helper writes Excel or CSV and logs the export as a sensitive access."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse

from mallservice.models import Mall
from mallservice.net import client_ip
from mallservice.services import sensitive_access_log

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(
    *,
    request: HttpRequest,
    mall: Mall,
    filename: str,
    sheet_title: str,
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    detail: dict[str, Any],
    fmt: str = "xlsx",
) -> HttpResponse:
    """`filename` without extension; `fmt` "csv" or anything else for Excel.
    The export is logged with `detail` and the row count."""
    rows = [list(row) for row in rows]
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # Excel needs the BOM to read UTF-8 Chinese
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(rows)
        extension = "csv"
    else:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = sheet_title
        sheet.append(list(header))
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
        extension = "xlsx"
    sensitive_access_log(
        actor=request.user,
        kind="export",
        mall=mall,
        detail={**detail, "rows": len(rows), "format": extension},
        ip=client_ip(request),
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
