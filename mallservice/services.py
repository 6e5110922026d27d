"""Writes shared by every app: staff accounts, the system actor, the
sensitive-access log, the beat heartbeat."""

from __future__ import annotations

import datetime
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from mallservice import daily_report
from mallservice.models import (
    SYSTEM_USERNAME,
    DailyReport,
    Heartbeat,
    Mall,
    SensitiveAccess,
    User,
)
from mallservice.permissions import RENAME_STAFF
from mallservice.roles import Role, roles_granting
from mallservice.selectors import user_mall_ids

logger = logging.getLogger(__name__)


def system_actor_id() -> int:
    """The named actor for scheduled work nobody started by hand."""
    user, _created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        # Scheduled work spans every mall (daily reports, dispatchers).
        defaults={"is_active": False, "display_name": "system", "all_malls": True},
    )
    return user.pk


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str | None,
    role: str,
    mall: Mall | None,
    display_name: str = "",
    all_malls: bool = False,
    extra_malls: list[Mall] | None = None,
    staff_no: str = "",
) -> User:
    """Create a staff account with one role. Managers get the admin site."""
    role = Role(role)
    user = User(
        username=username,
        display_name=display_name,
        mall=mall,
        all_malls=all_malls,
        staff_no=staff_no,
        is_staff=role == Role.MANAGER,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    if extra_malls:
        user.extra_malls.add(*extra_malls)
    return user


def sensitive_access_log(
    *,
    actor: Any,
    kind: str,
    obj: models.Model | None = None,
    field: str = "",
    mall: Mall | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> SensitiveAccess:
    """Record that `actor` read sensitive data (revealed a field, exported a
    list). Call it in the same request that shows the data."""
    return SensitiveAccess.objects.create(
        actor=actor,
        kind=SensitiveAccess.Kind(kind),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        field=field,
        mall=mall,
        detail=detail or {},
        ip=ip,
    )


def heartbeat_record(*, name: str, now: datetime.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": now or timezone.now()})


@transaction.atomic
def staff_update_profile(*, user: User, phone: str) -> User:
    """A staff member corrects their own phone. Their display name is not
    theirs to change (see `staff_rename`)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.phone = phone
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=["phone"])
    return locked


class RenameRefused(ValidationError):
    pass


def staff_may_rename(*, actor: User, staff: User) -> bool:
    """Whoever manages staff (`mallservice.change_user`: managers) renames
    anyone of their malls; whoever may rename staff (supervisors) renames
    those of their malls who may not themselves; nobody renames themselves
    (a user who could rename themselves could pass their actions off as a
    colleague's)."""
    if actor.pk == staff.pk or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if staff.is_superuser:
        return False
    if not actor.all_malls and staff.mall_id not in user_mall_ids(actor):
        return False
    if actor.has_perm("mallservice.change_user"):
        return True
    # groups.all(), not a query: the staff list prefetches them.
    return actor.has_perm(RENAME_STAFF) and not (
        roles_granting(RENAME_STAFF) & {group.name for group in staff.groups.all()}
    )


@transaction.atomic
def staff_rename(*, actor: User, staff: User, display_name: str) -> User:
    """Set the name colleagues see for `staff`. Side effect: a history row
    naming `actor` (the old name stays in the history)."""
    if not staff_may_rename(actor=actor, staff=staff):
        raise RenameRefused(
            gettext("Only a supervisor of their mall can change this person's name."),
            code="not_allowed",
        )
    locked = User.objects.select_for_update().get(pk=staff.pk)
    locked.display_name = display_name.strip()
    locked.full_clean(exclude=["password"])
    locked.save(update_fields=["display_name"])
    return locked


def daily_report_build(
    *, mall: Mall, day: datetime.date, now: datetime.datetime | None = None
) -> DailyReport:
    """Build (or rebuild) `mall`'s daily report for `day` from every app's
    figures. A rebuild replaces the figures; a report already e-mailed is
    not e-mailed again."""
    now = now or timezone.now()
    data = [s.as_json() for s in daily_report.sections(mall=mall, day=day, now=now)]
    with transaction.atomic():
        report, created = DailyReport.objects.select_for_update().get_or_create(
            mall=mall, day=day, defaults={"generated_at": now, "data": data}
        )
        if not created:
            report.generated_at, report.data = now, data
            report.save(update_fields=["generated_at", "data"])
    return report


def _daily_report_email_claim(*, report: DailyReport, now: datetime.datetime) -> bool:
    """Claim the report's e-mail for this worker, committed before the send.
    False when it went out already or another worker's claim is fresh."""
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    with transaction.atomic():
        claimed = (
            DailyReport.objects.select_for_update(skip_locked=True)
            .filter(pk=report.pk, emailed_at__isnull=True)
            .filter(models.Q(email_claimed_at__isnull=True) | models.Q(email_claimed_at__lt=stale))
            .update(email_claimed_at=now)
        )
    report.email_claimed_at = now
    return claimed == 1


def daily_report_email(*, report: DailyReport, now: datetime.datetime | None = None) -> bool:
    """E-mail the report to its mall's recipients, once. Returns whether it
    went out; on a mail failure it stays unsent for the next dispatch.

    The send is claimed first in its own transaction (two dispatchers at
    once mail it once) and marked sent right after; the Message-ID is the
    report's, so a copy re-sent after a crash between the two can be dropped."""
    recipients = report.mall.report_recipient_list()
    if report.emailed_at is not None or not recipients:
        return False
    now = now or timezone.now()
    if not _daily_report_email_claim(report=report, now=now):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("%(mall)s desk daily report %(day)s") % {
            "mall": report.mall.name,
            "day": report.day.isoformat(),
        }
        body = daily_report.report_text(report.data)
    mine = DailyReport.objects.filter(pk=report.pk, email_claimed_at=now)
    try:
        EmailMessage(
            subject, body, None, recipients, headers={"Message-ID": report.message_id}
        ).send()
    except (OSError, smtplib.SMTPException):
        logger.exception("daily report %s not e-mailed; retried at the next dispatch", report.pk)
        mine.update(email_claimed_at=None)
        return False
    mine.update(emailed_to=recipients, emailed_at=timezone.now())
    return True


def daily_reports_dispatch(*, now: datetime.datetime | None = None) -> int:
    """Run by beat every few minutes: build each active mall's report for
    today once its report time has come, and e-mail reports not yet sent
    (a failed mail is retried here). Returns how many were built."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    built = 0
    for mall in Mall.objects.filter(is_active=True):
        if local.time() < mall.report_time:
            continue
        if not DailyReport.objects.filter(mall=mall, day=local.date()).exists():
            daily_report_build(mall=mall, day=local.date(), now=now)
            built += 1
    unsent = DailyReport.objects.filter(
        emailed_at__isnull=True, day__gte=local.date() - datetime.timedelta(days=7)
    )
    for report in unsent.select_related("mall"):
        daily_report_email(report=report, now=now)
    return built
