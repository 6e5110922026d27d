"""Reading the paper VIP register (Excel .xlsx or CSV) and checking its
rows. The check pass that previews per-row errors and the commit of every
valid row in one transaction (or none) are services
(`members.services.imports`), run in Celery; they write their progress on
the import row so the user can leave the page and come back. Files are
streamed row by row; formula cells are read as their text, never evaluated."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.validators import normalise_mobile
from members.models import Member, MemberImport, Tier

PROGRESS_EVERY = 500
MAX_STORED_ERRORS = 5000
HEADERS = {
    "name": {"姓名", "name", "会员姓名"},
    "phone": {"手机", "手机号", "phone", "mobile", "电话"},
    "gender": {"性别", "gender"},
    "birthday": {"生日", "birthday", "出生日期"},
    "tier": {"等级", "会员等级", "tier"},
}
GENDERS = {"男": "m", "m": "m", "male": "m", "女": "f", "f": "f", "female": "f", "": ""}
ERROR_MESSAGES = {
    "name_required": _("The name is empty."),
    "bad_phone": _("Not a valid mainland mobile number."),
    "duplicate_phone": _("This mobile number is already registered."),
    "duplicate_in_file": _("This mobile number appears twice in the file."),
    "unknown_tier": _("Unknown tier."),
    "bad_birthday": _("The birthday is not a date (use 1990-05-01)."),
    "future_birthday": _("The birthday cannot be in the future."),
    "bad_gender": _("Gender must be 男 or 女."),
    "no_header": _("The first row must name the columns: 姓名, 手机, 性别, 生日, 等级."),
    "bad_file": _("The file cannot be read as Excel (.xlsx) or CSV."),
    "changed_since_check": _(
        "Members were registered since the preview: nothing was imported; upload again."
    ),
    "too_many_rows": _(
        "The file has more than %(rows)s rows: split it into several files of at most "
        "%(rows)s rows."
    ),
    "too_large_unpacked": _(
        "The Excel file unpacks to more than %(megabytes)s MB or is packed suspiciously "
        "tightly: it was not read. Save it again from Excel, or as CSV."
    ),
}
# Limits of one import, each overridable in settings. A workbook is a zip:
# a 1 MB upload can unpack to 1 GiB of sheet XML (a "zip bomb"), so the
# sizes its directory declares are checked before anything parses it.
# Python's zipfile never inflates an entry past its declared size (it stops
# there and fails the CRC), so the declared sizes are a safe bound.
DEFAULT_LIMITS = {
    "MEMBER_IMPORT_MAX_ROWS": 50_000,
    # 50,000 rows of five short cells are about 15 MB of sheet XML.
    "MEMBER_IMPORT_MAX_UNPACKED_BYTES": 100 * 1024 * 1024,
    # Sheet XML packs 5–20 times; repeated rows of a bomb pack ~1,000 times.
    "MEMBER_IMPORT_MAX_PACK_RATIO": 200,
    # The longest a cell is read (a name is 50 characters at most).
    "MEMBER_IMPORT_MAX_CELL_CHARS": 200,
}


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULT_LIMITS[name]))


def error_message(code: str) -> str:
    message = ERROR_MESSAGES.get(code)
    if message is None:
        return code
    return str(message) % {
        "rows": f"{limit('MEMBER_IMPORT_MAX_ROWS'):,}",
        "megabytes": limit("MEMBER_IMPORT_MAX_UNPACKED_BYTES") // (1024 * 1024),
    }


def _text(value: Any, max_chars: int) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:max_chars].strip()


def check_workbook_size(content: bytes) -> None:
    """Refuse (ValueError "too_large_unpacked") a workbook whose zip
    directory declares more than the unpacked limit in total, or an entry
    packed more tightly than the ratio limit; "bad_file" if it is no zip."""
    import zipfile

    most = limit("MEMBER_IMPORT_MAX_UNPACKED_BYTES")
    ratio = limit("MEMBER_IMPORT_MAX_PACK_RATIO")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError("bad_file") from exc
    total = 0
    for entry in entries:
        total += entry.file_size
        # Small entries (styles, a one-row sheet) may pack tightly.
        if entry.file_size > 1024 * 1024 and entry.file_size > ratio * max(entry.compress_size, 1):
            raise ValueError("too_large_unpacked")
    if total > most:
        raise ValueError("too_large_unpacked")


def _raw_rows(content: bytes, filename: str) -> Iterator[list[str]]:
    max_chars = limit("MEMBER_IMPORT_MAX_CELL_CHARS")
    if filename.lower().endswith(".xlsx"):
        import openpyxl

        check_workbook_size(content)
        # read_only streams the sheet; data_only=False returns a formula's
        # text ("=HYPERLINK(...)") rather than evaluating anything.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            for row in workbook.worksheets[0].iter_rows(values_only=True):
                yield [_text(v, max_chars) for v in row]
        finally:
            workbook.close()
        return
    # Decoded as it is read, not as one string: a 100,000-row register would
    # otherwise be held twice more in memory. Excel's Chinese CSV is GB18030.
    encoding = "utf-8-sig" if _is_utf8(content) else "gb18030"
    with io.TextIOWrapper(io.BytesIO(content), encoding=encoding, newline="") as text:
        for row in csv.reader(text):
            yield [cell[:max_chars] for cell in row]


def _is_utf8(content: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(content)
    try:
        for start in range(0, len(view), 1 << 16):
            decoder.decode(view[start : start + (1 << 16)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def parse_rows(content: bytes, filename: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {name, phone, gender, birthday, tier}) for each data row."""
    rows = _raw_rows(content, filename)
    header = next(rows, None)
    columns: dict[str, int] = {}
    for index, title in enumerate(header or []):
        for key, names in HEADERS.items():
            if title.strip().lower() in names:
                columns[key] = index
    if "name" not in columns or "phone" not in columns:
        raise ValueError("no_header")
    # One upload answers "is this number registered here?" for each row: a
    # million-row file must not. Blank rows count too (they cost a read).
    last_row = limit("MEMBER_IMPORT_MAX_ROWS") + 1
    for number, row in enumerate(rows, start=2):
        if number > last_row:
            raise ValueError("too_many_rows")
        if not any(cell.strip() for cell in row if cell):
            continue
        yield (
            number,
            {
                key: (row[i].strip() if i < len(row) and row[i] else "")
                for key, i in columns.items()
            },
        )


def _parse_birthday(text: str) -> datetime.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def validated_rows(
    rows: Iterator[tuple[int, dict[str, str]]], *, mall_id: int, on_chunk=None
) -> Iterator[tuple[int, dict[str, str], dict[str, Any] | None, list[str]]]:
    """Check rows in chunks (one phone query per chunk):
    yields (row number, raw, clean values or None, error codes)."""
    tiers = {t.name: t.pk for t in Tier.objects.filter(mall_id=mall_id)}
    tiers.update({t.code: t.pk for t in Tier.objects.filter(mall_id=mall_id)})
    seen: set[str] = set()
    chunk: list[tuple[int, dict[str, str], dict[str, Any], list[str]]] = []

    def flush():
        phones = [c["phone"] for _n, _r, c, e in chunk if not e]
        # Only this mall's members: the answer must not depend on whether a
        # number is a member of another mall (membership is per mall).
        taken = set(
            Member.objects.filter(mall_id=mall_id, phone__in=phones).values_list("phone", flat=True)
        )
        for number, raw, clean, errors in chunk:
            if not errors and clean["phone"] in taken:
                errors.append("duplicate_phone")
            yield number, raw, (None if errors else clean), errors
        if on_chunk:
            on_chunk(len(chunk))
        chunk.clear()

    for number, raw in rows:
        errors: list[str] = []
        clean: dict[str, Any] = {"name": raw.get("name", "")[:50]}
        if not clean["name"]:
            errors.append("name_required")
        try:
            clean["phone"] = normalise_mobile(raw.get("phone", ""))
            if clean["phone"] in seen:
                errors.append("duplicate_in_file")
            seen.add(clean["phone"])
        except Exception:  # noqa: BLE001 - any bad value is a row error
            clean["phone"] = ""
            errors.append("bad_phone")
        gender = raw.get("gender", "").lower()
        if gender not in GENDERS:
            errors.append("bad_gender")
        clean["gender"] = GENDERS.get(gender, "")
        try:
            clean["birthday"] = _parse_birthday(raw.get("birthday", ""))
        except ValueError:
            errors.append("bad_birthday")
        else:
            # The same rule as the desk's form (member_register).
            if clean["birthday"] and clean["birthday"] > timezone.localdate():
                errors.append("future_birthday")
        tier = raw.get("tier", "")
        if tier and tier not in tiers:
            errors.append("unknown_tier")
        clean["tier_id"] = tiers.get(tier) if tier else None
        chunk.append((number, raw, clean, errors))
        if len(chunk) >= 1000:
            yield from flush()
    yield from flush()


def error_report_rows(record: MemberImport) -> Iterator[list[str]]:
    """Rows of the downloadable error report (written through
    `mallservice.exports`, which keeps formula-like cells as text)."""
    yield [str(_("Row")), str(_("Name")), str(_("Mobile")), str(_("Errors"))]
    for error in record.errors:
        yield [
            str(error.get("row", "")),
            str(error.get("name") or ""),
            str(error.get("phone") or ""),
            "；".join(error_message(c) for c in error.get("codes", [])),
        ]
