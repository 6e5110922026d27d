"""Ad-hoc announcements (临时播报): the request, a supervisor's decision on
ads and promotions, the repeat plan, airing and cancelling."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadcasts.models import (
    KIND_URGENCY,
    KINDS_NEEDING_APPROVAL,
    SCRIPT_FIELDS,
    Announcement,
    AnnouncementAiring,
    AnnouncementKind,
    MissingPersonCase,
    ScriptTemplate,
    render_script,
)
from broadcasts.permissions import ADD_ANNOUNCEMENT, AIR_ANNOUNCEMENT, APPROVE_ANNOUNCEMENT
from broadcasts.services.common import require_perm
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall, User


def _plan_airings(announcement: Announcement, *, start: datetime.datetime) -> None:
    interval = datetime.timedelta(minutes=announcement.interval_minutes)
    AnnouncementAiring.objects.bulk_create(
        AnnouncementAiring(
            mall_id=announcement.mall_id,
            announcement=announcement,
            sequence=n + 1,
            due_at=start + n * interval,
        )
        for n in range(announcement.repetitions)
    )


@transaction.atomic
def announcement_request(
    *,
    actor: User,
    mall: Mall,
    kind: str,
    template: ScriptTemplate | None = None,
    fields: dict[str, str] | None = None,
    script: str = "",
    wanted_at: datetime.datetime | None = None,
    repetitions: int = 1,
    interval_minutes: int = 5,
    missing_case: MissingPersonCase | None = None,
    now: datetime.datetime | None = None,
) -> Announcement:
    """Request an announcement. Ads and promotions wait for a supervisor;
    every other kind goes straight to the broadcaster's queue with its
    repeat plan (one airing row per repetition)."""
    require_perm(actor, ADD_ANNOUNCEMENT)
    now = now or timezone.now()
    kind = AnnouncementKind(kind)
    if kind == AnnouncementKind.ROUTINE:
        raise field_error("kind", _("Routine broadcasts come from the schedule."), "routine")
    require_same_mall(mall, template, missing_case)
    fields = {k: str(v).strip() for k, v in (fields or {}).items() if k in SCRIPT_FIELDS}
    if template is not None:
        if template.kind != kind:
            raise field_error("template", _("This template is for another kind."), "kind")
        missing = [p for p in template.placeholders if not fields.get(p)]
        if missing:
            raise ValidationError(
                {
                    p: ValidationError(_("Fill in this field for the script."), code="required")
                    for p in missing
                }
            )
        script = render_script(template.body, fields)
    if not script.strip():
        raise field_error("script", _("Write the script or choose a template."), "required")
    # A time in the past means "as soon as possible".
    wanted_at = now if wanted_at is None or wanted_at < now else wanted_at
    announcement = Announcement(
        mall=mall,
        kind=kind,
        urgency=KIND_URGENCY[kind],
        template=template,
        fields=fields,
        script=script.strip(),
        requested_by=actor,
        requested_at=now,
        wanted_at=wanted_at,
        repetitions=repetitions,
        interval_minutes=interval_minutes,
        missing_case=missing_case,
        state=Announcement.State.PENDING_APPROVAL
        if kind in KINDS_NEEDING_APPROVAL
        else Announcement.State.QUEUED,
    )
    announcement.full_clean()
    announcement.save()
    if announcement.state == Announcement.State.QUEUED:
        _plan_airings(announcement, start=wanted_at)
    return announcement


def _locked_announcement(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update().get(pk=announcement.pk)


@transaction.atomic
def announcement_approve(
    *,
    actor: User,
    announcement: Announcement,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Announcement:
    """A supervisor approves an ad or promotion: it joins the queue from the
    wanted time (or now, if that has passed)."""
    require_perm(actor, APPROVE_ANNOUNCEMENT)
    now = now or timezone.now()
    announcement = _locked_announcement(announcement)
    announcement.transition_to(Announcement.State.QUEUED)
    announcement.decided_by, announcement.decided_at = actor, now
    announcement.decision_note = note
    announcement.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    _plan_airings(announcement, start=max(announcement.wanted_at, now))
    return announcement


@transaction.atomic
def announcement_reject(
    *,
    actor: User,
    announcement: Announcement,
    note: str,
    now: datetime.datetime | None = None,
) -> Announcement:
    require_perm(actor, APPROVE_ANNOUNCEMENT)
    if not note.strip():
        raise field_error("note", _("Say why it is rejected."), "required")
    announcement = _locked_announcement(announcement)
    announcement.transition_to(Announcement.State.REJECTED)
    announcement.decided_by, announcement.decided_at = actor, now or timezone.now()
    announcement.decision_note = note.strip()
    announcement.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return announcement


@transaction.atomic
def announcement_cancel(
    *,
    actor: User,
    announcement: Announcement,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Announcement:
    """Cancel a request once resolved (car moved, child found): the repeats
    not yet aired are dropped from the plan."""
    announcement = _locked_announcement(announcement)
    announcement.transition_to(Announcement.State.CANCELLED)
    announcement.cancelled_by, announcement.cancelled_at = actor, now or timezone.now()
    announcement.cancel_reason = reason.strip()
    announcement.save(update_fields=["state", "cancelled_by", "cancelled_at", "cancel_reason"])
    for airing in AnnouncementAiring.objects.select_for_update().filter(
        announcement=announcement, state=AnnouncementAiring.State.PLANNED
    ):
        airing.transition_to(AnnouncementAiring.State.DROPPED)
        airing.save(update_fields=["state"])
    return announcement


@transaction.atomic
def announcement_air(
    *,
    actor: User,
    announcement: Announcement,
    now: datetime.datetime | None = None,
) -> AnnouncementAiring:
    """Record that the broadcaster read the next planned repetition. If it
    ran late, the later repeats move so the interval between them holds.
    After the last one the announcement is done."""
    require_perm(actor, AIR_ANNOUNCEMENT)
    now = now or timezone.now()
    announcement = _locked_announcement(announcement)
    if announcement.state != Announcement.State.QUEUED:
        raise ValidationError(
            _("Only an announcement in the queue can be aired."), code="not_queued"
        )
    planned = list(
        AnnouncementAiring.objects.select_for_update()
        .filter(announcement=announcement, state=AnnouncementAiring.State.PLANNED)
        .order_by("sequence")
    )
    airing = planned[0]
    airing.transition_to(AnnouncementAiring.State.AIRED)
    airing.aired_at, airing.aired_by = now, actor
    airing.save(update_fields=["state", "aired_at", "aired_by"])
    interval = datetime.timedelta(minutes=announcement.interval_minutes)
    for later in planned[1:]:
        earliest = now + (later.sequence - airing.sequence) * interval
        if later.due_at < earliest:
            later.due_at = earliest
            later.save(update_fields=["due_at"])
    if len(planned) == 1:
        announcement.transition_to(Announcement.State.DONE)
        announcement.save(update_fields=["state"])
    return airing
