"""Uploading and committing an import of the paper VIP register. The two
passes the worker runs (check, then insert) are here too; reading the file
and checking its rows is `members.imports`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.guards import field_error
from mallservice.models import Mall
from mallservice.queue import enqueue_on_commit
from members.imports import ERROR_MESSAGES, MAX_STORED_ERRORS, parse_rows, validated_rows
from members.models import Member, MemberImport

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@transaction.atomic
def member_import_upload(*, actor: Any, mall: Mall, filename: str, content: bytes) -> MemberImport:
    """Store an uploaded register and start the check (preview) in Celery."""
    name = filename.lower()
    if not (name.endswith(".xlsx") or name.endswith(".csv")):
        raise field_error("file", _("Upload an Excel (.xlsx) or CSV file."), "bad_type")
    if len(content) > MAX_IMPORT_BYTES:
        raise field_error("file", _("The file is too large (20 MB at most)."), "too_large")
    record = MemberImport.objects.create(
        mall=mall, filename=filename[:200], content=content, created_by=actor
    )
    enqueue_on_commit("members.tasks.import_check", record.pk, actor_id=actor.pk)
    return record


@transaction.atomic
def member_import_commit(*, actor: Any, record: MemberImport) -> MemberImport:
    """Ask Celery to insert the valid rows of a checked import (all or none)."""
    record = MemberImport.objects.select_for_update().defer("content").get(pk=record.pk)
    if record.status != MemberImport.Status.CHECKED:
        raise ValidationError(
            _("This import is not ready to be committed."), code="invalid_transition"
        )
    if record.valid_rows == 0:
        raise ValidationError(_("There are no valid rows to import."), code="nothing_to_import")
    record.status = MemberImport.Status.IMPORTING
    record.save(update_fields=["status"])
    enqueue_on_commit("members.tasks.import_commit", record.pk, actor_id=actor.pk)
    return record


def _progress(import_id: int, **fields: Any) -> None:
    MemberImport.objects.filter(pk=import_id).update(**fields)


def member_import_check_run(*, import_id: int) -> MemberImport:
    """The preview pass: count rows, collect per-row errors (codes)."""
    record = MemberImport.objects.get(pk=import_id)
    _progress(import_id, status=MemberImport.Status.CHECKING, processed_rows=0)
    errors: list[dict[str, Any]] = []
    processed = valid = 0

    def on_chunk(n: int) -> None:
        nonlocal processed
        processed += n
        _progress(import_id, processed_rows=processed)

    try:
        for number, raw, clean, codes in validated_rows(
            parse_rows(bytes(record.content), record.filename),
            mall_id=record.mall_id,
            on_chunk=on_chunk,
        ):
            if clean is not None:
                valid += 1
            elif len(errors) < MAX_STORED_ERRORS:
                errors.append(
                    {
                        "row": number,
                        "codes": codes,
                        "name": raw.get("name", ""),
                        "phone": raw.get("phone", ""),
                    }
                )
    except ValueError as exc:
        code = str(exc) if str(exc) in ERROR_MESSAGES else "bad_file"
        _progress(
            import_id, status=MemberImport.Status.FAILED, errors=[{"row": 1, "codes": [code]}]
        )
        return MemberImport.objects.get(pk=import_id)
    except Exception:  # noqa: BLE001 - a corrupt upload must not crash the worker
        _progress(
            import_id, status=MemberImport.Status.FAILED, errors=[{"row": 0, "codes": ["bad_file"]}]
        )
        return MemberImport.objects.get(pk=import_id)
    _progress(
        import_id,
        status=MemberImport.Status.CHECKED,
        total_rows=processed,
        processed_rows=processed,
        valid_rows=valid,
        errors=errors,
    )
    return MemberImport.objects.get(pk=import_id)


# One statement a chunk, the rows as arrays: Django's bulk_create spent more
# time building 100,000 model instances and their SQL than PostgreSQL spent
# inserting them. The audit trigger writes each row's history as usual.
INSERT_SQL = """
INSERT INTO members_member (
    mall_id, phone, name, gender, birthday, tier_id, source, status, consent_callback,
    consent_marketing, do_not_call, points_balance, notes, registered_at, registered_by_id)
SELECT %(mall)s, r.phone, r.name, r.gender, r.birthday, r.tier_id, %(source)s, %(status)s,
       false, false, false, 0, '', %(now)s, %(by)s
FROM unnest(%(phones)s::text[], %(names)s::text[], %(genders)s::text[], %(birthdays)s::date[],
            %(tiers)s::bigint[]) AS r(phone, name, gender, birthday, tier_id)
"""


COMMIT_CHUNK = 2000


def _insert_chunk(record: MemberImport, rows: list[dict[str, Any]], now: datetime.datetime) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_SQL,
            {
                "mall": record.mall_id,
                "source": Member.Source.IMPORT.value,
                "status": Member.Status.ACTIVE.value,
                "now": now,
                "by": record.created_by_id,
                "phones": [r["phone"] for r in rows],
                "names": [r["name"] for r in rows],
                "genders": [r["gender"] for r in rows],
                "birthdays": [r["birthday"] for r in rows],
                "tiers": [r["tier_id"] for r in rows],
            },
        )


def member_import_commit_run(*, import_id: int) -> MemberImport:
    """Insert every valid row in ONE transaction: all or none."""
    record = MemberImport.objects.get(pk=import_id)
    if record.status != MemberImport.Status.IMPORTING:
        return record  # a redelivered task: already done or never requested
    processed = imported = 0
    now = timezone.now()
    try:
        with transaction.atomic():
            chunk: list[dict[str, Any]] = []
            for _number, _raw, clean, _codes in validated_rows(
                parse_rows(bytes(record.content), record.filename), mall_id=record.mall_id
            ):
                processed += 1
                if clean is None:
                    continue
                imported += 1
                chunk.append(clean)
                if len(chunk) >= COMMIT_CHUNK:
                    _insert_chunk(record, chunk, now)
                    chunk.clear()
            if chunk:
                _insert_chunk(record, chunk, now)
            if imported != record.valid_rows:
                # Something changed since the preview (a phone registered
                # meanwhile): import none rather than a different set.
                raise ValueError("changed_since_check")
    except (IntegrityError, ValueError):
        errors = [{"row": 0, "codes": ["changed_since_check"]}, *record.errors]
        _progress(import_id, status=MemberImport.Status.FAILED, errors=errors)
        return MemberImport.objects.get(pk=import_id)
    _progress(
        import_id, status=MemberImport.Status.DONE, imported_rows=imported, processed_rows=processed
    )
    return MemberImport.objects.get(pk=import_id)
