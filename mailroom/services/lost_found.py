"""Lost and found (失物招领): found items and their broadcasts, lost-item
reports, claims verified and released against a signature, and the end
of the retention period."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from broadcasts.models import Announcement, AnnouncementKind
from broadcasts.services import announcement_cancel, announcement_request
from mailroom import conf
from mailroom.models import FoundItem, ItemCategory, ItemClaim, LostReport
from mailroom.services.common import signature_file
from mallservice.clock import local_date
from mallservice.guards import field_error, require_same_mall
from mallservice.models import Mall, Unit, User
from mallservice.uploads import PHOTO, upload_check
from mallservice.validators import normalise_mobile


def _next_found_number(mall: Mall, now: datetime.datetime) -> str:
    day = local_date(now)
    prefix = f"LF{day:%y%m%d}-"
    count = FoundItem.objects.filter(mall=mall, number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def found_item_log(
    *,
    actor: User,
    mall: Mall,
    category: str,
    description: str,
    found_at: datetime.datetime,
    finder_name: str,
    value_band: str,
    found_unit: Unit | None = None,
    found_place: str = "",
    finder_phone: str = "",
    storage: str | None = None,
    storage_place: str = "",
    photo: File | None = None,
    broadcast_requested: bool = False,
    now: datetime.datetime | None = None,
) -> FoundItem:
    """Take in a found item. Valuables go to the locked cabinet; the notice
    is published now and the retention clock runs from it. A requested
    "lost item found" broadcast is queued for the broadcast room (broadcasts
    app) in the same transaction and linked to the item."""
    now = now or timezone.now()
    if found_unit is not None:
        require_same_mall(mall, found_unit, field="found_unit")
    if found_at > now + datetime.timedelta(minutes=5):
        raise field_error("found_at", _("This is in the future."), "future")
    if storage is None:
        storage = (
            FoundItem.Storage.CABINET
            if value_band == FoundItem.ValueBand.HIGH
            else FoundItem.Storage.SHELF
        )
    if value_band == FoundItem.ValueBand.HIGH and storage != FoundItem.Storage.CABINET:
        raise field_error(
            "storage", _("Valuables must go to the locked cabinet."), "valuables_locked"
        )
    retention_days = conf.get("FOUND_RETENTION_DAYS")
    item = FoundItem(
        mall=mall,
        category=category,
        description=description.strip(),
        found_at=found_at,
        found_unit=found_unit,
        found_place=found_place.strip(),
        finder_name=finder_name.strip(),
        finder_phone=normalise_mobile(finder_phone) if finder_phone else "",
        value_band=value_band,
        storage=storage,
        storage_place=storage_place.strip(),
        broadcast_requested=broadcast_requested,
        notice_published_at=now,
        retention_until=local_date(now) + datetime.timedelta(days=retention_days),
        logged_by=actor,
        logged_at=now,
    )
    if photo is not None:
        checked = upload_check(photo, rule=PHOTO, field="photo").file
        item.photo.save(checked.name, checked, save=False)
    with transaction.atomic():
        for _attempt in range(10):
            item.number = _next_found_number(mall, now)
            item.full_clean()
            try:
                with transaction.atomic():
                    item.save()
                break
            except IntegrityError as exc:
                # Two desks numbering the same day: take the next number.
                if "found_number_unique" not in str(exc):
                    raise
                item.pk = None
        if broadcast_requested:
            _broadcast_request(actor=actor, item=item, now=now)
    return item


def found_item_script(item: FoundItem) -> tuple[str, dict[str, str]]:
    """The announcement read out for a found item, in the mall's language,
    and its fields. Only the kind of item and where it was found: the
    finder's name and phone are never read out, and neither is the
    description, which a claimant must give to prove the item is theirs."""
    with translation.override(settings.LANGUAGE_CODE):
        fields = {
            "item_description": str(
                _("an item")
                if item.category == ItemCategory.OTHER
                else ItemCategory(item.category).label
            ),
            "found_place": item.found_unit.name if item.found_unit else item.found_place,
            "meeting_point": str(_("the customer service desk")),
        }
        if fields["found_place"]:
            text = _(
                "Attention please: %(item)s was found at %(place)s. Would its owner please "
                "come to %(meeting_point)s to claim it. Thank you."
            )
        else:
            text = _(
                "Attention please: %(item)s was found in the mall. Would its owner please "
                "come to %(meeting_point)s to claim it. Thank you."
            )
        script = text % {
            "item": fields["item_description"],
            "place": fields["found_place"],
            "meeting_point": fields["meeting_point"],
        }
    return str(script), fields


def _broadcast_request(*, actor: User, item: FoundItem, now: datetime.datetime) -> Announcement:
    """Queue the announcement through the broadcasts app's own service and
    link it to the (locked or new) item."""
    script, fields = found_item_script(item)
    announcement = announcement_request(
        actor=actor,
        mall=item.mall,
        kind=AnnouncementKind.LOST_ITEM,
        script=script,
        fields=fields,
        repetitions=conf.get("FOUND_BROADCAST_REPETITIONS"),
        interval_minutes=conf.get("FOUND_BROADCAST_INTERVAL_MINUTES"),
        now=now,
    )
    item.broadcast_requested = True
    item.announcement = announcement
    item.save(update_fields=["broadcast_requested", "announcement"])
    return announcement


@transaction.atomic
def found_item_broadcast_request(
    *, actor: User, item: FoundItem, now: datetime.datetime | None = None
) -> Announcement:
    """Ask the broadcast room to announce an item already logged. Refused
    while an earlier announcement of it is still being aired."""
    now = now or timezone.now()
    item = FoundItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        raise ValidationError(_("This item is no longer held."), code="not_held")
    if item.announcement_id and item.announcement.state in _LIVE_ANNOUNCEMENT:
        raise ValidationError(_("This item is already being announced."), code="already_announced")
    return _broadcast_request(actor=actor, item=item, now=now)


_LIVE_ANNOUNCEMENT = (Announcement.State.PENDING_APPROVAL, Announcement.State.QUEUED)


def _broadcast_cancel(*, actor: User, item: FoundItem, now: datetime.datetime) -> None:
    """The item has left the desk (to its owner or the police): drop the
    repeats of its announcement not yet aired."""
    if not item.announcement_id:
        return
    # Lock before looking at the state, so a repeat aired at this moment
    # (the last one ends the announcement) cannot make the cancel fail.
    announcement = Announcement.objects.select_for_update().get(pk=item.announcement_id)
    if announcement.state not in _LIVE_ANNOUNCEMENT:
        return
    with translation.override(settings.LANGUAGE_CODE):
        reason = str(
            _("Item %(number)s: %(status)s.")
            % {"number": item.number, "status": item.get_status_display()}
        )
    announcement_cancel(actor=actor, announcement=announcement, reason=reason, now=now)


@transaction.atomic
def lost_report_log(
    *,
    actor: User,
    mall: Mall,
    category: str,
    description: str,
    lost_on: datetime.date,
    reporter_name: str,
    reporter_phone: str,
    source: str = LostReport.Source.DESK,
    lost_unit: Unit | None = None,
    lost_place: str = "",
    now: datetime.datetime | None = None,
) -> LostReport:
    now = now or timezone.now()
    if lost_unit is not None:
        require_same_mall(mall, lost_unit, field="lost_unit")
    if lost_on > local_date(now):
        raise field_error("lost_on", _("This is in the future."), "future")
    report = LostReport(
        mall=mall,
        source=source,
        category=category,
        description=description.strip(),
        lost_on=lost_on,
        lost_unit=lost_unit,
        lost_place=lost_place.strip(),
        reporter_name=reporter_name.strip(),
        reporter_phone=normalise_mobile(reporter_phone),
        logged_by=actor,
        logged_at=now,
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def lost_report_close(
    *, actor: User, report: LostReport, found_item: FoundItem | None = None
) -> LostReport:
    """Close a report: resolved by a found item, or closed as not found."""
    report = LostReport.objects.select_for_update().get(pk=report.pk)
    if report.status != LostReport.Status.OPEN:
        raise ValidationError(_("This report is already closed."), code="closed")
    if found_item is not None:
        require_same_mall(report.mall_id, found_item, field="found_item")
    report.status = LostReport.Status.RESOLVED if found_item else LostReport.Status.CLOSED
    report.found_item = found_item
    report.save(update_fields=["status", "found_item"])
    return report


@transaction.atomic
def claim_log(
    *,
    actor: User,
    item: FoundItem,
    claimant_name: str,
    claimant_phone: str,
    id_last4: str,
    proof_description: str,
    now: datetime.datetime | None = None,
) -> ItemClaim:
    """Record a claim; it must be verified before the item is released."""
    now = now or timezone.now()
    item = FoundItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_open:
        raise ValidationError(_("This item is no longer held."), code="not_held")
    claimant_phone = normalise_mobile(claimant_phone)
    id_last4 = id_last4.strip().upper()
    # One open claim per person and item: the same person (phone and ID)
    # claiming again (a resubmit, a colleague at the next desk) is refused,
    # naming the first. The item's row lock above makes two desks wait for
    # each other.
    first = (
        ItemClaim.objects.filter(
            item=item,
            claimant_phone=claimant_phone,
            id_last4=id_last4,
            status__in=[ItemClaim.Status.PENDING, ItemClaim.Status.VERIFIED],
        )
        .order_by("logged_at")
        .first()
    )
    if first is not None:
        raise ValidationError(
            _(
                "%(name)s already has a claim on this item, recorded %(at)s by %(by)s "
                "(%(status)s): continue with that claim."
            )
            % {
                "name": first.claimant_name,
                "at": timezone.localtime(first.logged_at).strftime("%Y-%m-%d %H:%M"),
                "by": first.logged_by,
                "status": first.get_status_display(),
            },
            code="duplicate_claim",
        )
    claim = ItemClaim(
        mall_id=item.mall_id,
        item=item,
        claimant_name=claimant_name.strip(),
        claimant_phone=claimant_phone,
        id_last4=id_last4,
        proof_description=proof_description.strip(),
        logged_by=actor,
        logged_at=now,
    )
    claim.full_clean()
    claim.save()
    return claim


@transaction.atomic
def claim_verify(
    *,
    actor: User,
    claim: ItemClaim,
    approved: bool,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ItemClaim:
    """Staff compare the claimant's description and ID with the item."""
    claim = ItemClaim.objects.select_for_update().get(pk=claim.pk)
    if approved and not note.strip():
        raise field_error(
            "note", _("Say what matched (marks, contents, ID name on the item…)."), "note_required"
        )
    claim.transition_to(ItemClaim.Status.VERIFIED if approved else ItemClaim.Status.REJECTED)
    claim.verified_by = actor
    claim.verified_at = now or timezone.now()
    claim.verification_note = note.strip()
    claim.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
    return claim


@transaction.atomic
def claim_release(
    *,
    actor: User,
    claim: ItemClaim,
    signature_png: bytes,
    now: datetime.datetime | None = None,
) -> ItemClaim:
    """Hand the item to a verified claimant who signs for it. Repeats of
    its "lost item found" announcement not yet aired are cancelled."""
    now = now or timezone.now()
    # Lock the item first, then the claim: the same order as claim_log.
    item = FoundItem.objects.select_for_update().get(pk=claim.item_id)
    claim = ItemClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != ItemClaim.Status.VERIFIED:
        raise ValidationError(
            _("The claim must be verified before the item is released."), code="not_verified"
        )
    signature = signature_file(signature_png)
    item.transition_to(FoundItem.Status.RELEASED)
    item.save(update_fields=["status"])
    _broadcast_cancel(actor=actor, item=item, now=now)
    claim.transition_to(ItemClaim.Status.RELEASED)
    claim.signature.save(signature.name, signature, save=False)
    claim.released_by = actor
    claim.released_at = now
    claim.save(update_fields=["status", "signature", "released_by", "released_at"])
    # Other open claims on the same item can no longer succeed.
    for other in ItemClaim.objects.select_for_update().filter(
        item=item, status__in=[ItemClaim.Status.PENDING, ItemClaim.Status.VERIFIED]
    ):
        other.transition_to(ItemClaim.Status.REJECTED)
        other.verification_note = other.verification_note or "item released to another claimant"
        if other.verified_by_id is None:
            other.verified_by = actor
            other.verified_at = now
        other.save(update_fields=["status", "verification_note", "verified_by", "verified_at"])
    LostReport.objects.filter(found_item=item, status=LostReport.Status.OPEN).update(
        status=LostReport.Status.RESOLVED
    )
    return claim


def found_retention_dispatch(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Mark held items whose retention period is over, once each, so the
    desk hands them to the police or records their disposal."""
    now = now or timezone.now()
    today = local_date(now)
    with transaction.atomic():
        due = list(
            FoundItem.objects.select_for_update(skip_locked=True)
            .filter(status=FoundItem.Status.HELD, retention_until__lt=today)
            .order_by("retention_until")[:limit]
        )
        for item in due:
            item.transition_to(FoundItem.Status.EXPIRED)
            item.expired_at = now
            item.save(update_fields=["status", "expired_at"])
    return len(due)


@transaction.atomic
def found_item_dispose(
    *,
    actor: User,
    item: FoundItem,
    outcome: str,
    reference: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> FoundItem:
    """Record the hand-over to the police (any time) or the disposal (only
    once the retention period is over)."""
    item = FoundItem.objects.select_for_update().get(pk=item.pk)
    if outcome == FoundItem.Status.TO_POLICE and not reference.strip():
        raise field_error("reference", _("Enter the police receipt number."), "reference_required")
    if outcome == FoundItem.Status.DISPOSED and item.status != FoundItem.Status.EXPIRED:
        raise field_error(
            "outcome",
            _("An item may be disposed of only after its retention period."),
            "retention_not_over",
        )
    if outcome not in (FoundItem.Status.TO_POLICE, FoundItem.Status.DISPOSED):
        raise field_error("outcome", _("Choose an outcome."), "invalid")
    item.transition_to(outcome)
    now = now or timezone.now()
    _broadcast_cancel(actor=actor, item=item, now=now)
    item.disposal_at = now
    item.disposal_by = actor
    item.disposal_reference = reference.strip()
    item.disposal_note = note.strip()
    item.save(
        update_fields=[
            "status",
            "disposal_at",
            "disposal_by",
            "disposal_reference",
            "disposal_note",
        ]
    )
    return item
