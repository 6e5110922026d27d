"""Every write of the mailroom. Views, tasks, demo data and tests call these.

Each function runs in one transaction, locks the rows whose state it changes
(`select_for_update`) and raises `ValidationError` with a code for the form
to show next to the field."""

from __future__ import annotations

import base64
import binascii
import datetime
import secrets
import unicodedata
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from broadcasts.models import Announcement, AnnouncementKind
from broadcasts.services import announcement_cancel, announcement_request
from mailroom import conf
from mailroom.models import (
    DispatchBatch,
    FoundItem,
    ItemCategory,
    ItemClaim,
    LendableAsset,
    Loan,
    LostReport,
    Notification,
    OutgoingMail,
    Parcel,
    ParcelPickup,
    PickupVerification,
)
from mailroom.notify import get_backend
from mallservice.models import Mall, Unit, User
from mallservice.queue import enqueue
from mallservice.uploads import PHOTO, SIGNATURE, upload_check
from mallservice.validators import normalise_mobile

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
OUTBOX_MAX_ATTEMPTS = 5


# ------------------------------------------------------------------ helpers


def field_error(field: str, message: Any, code: str) -> ValidationError:
    """A ValidationError for one form field that keeps its code."""
    return ValidationError({field: ValidationError(message, code=code)})


def normalise_tracking_number(value: str) -> str:
    """What a scanner or a hand types: full-width digits, spaces, dashes,
    lower case — stored as upper-case ASCII without separators."""
    text = unicodedata.normalize("NFKC", value or "")
    text = "".join(ch for ch in text if ch.isalnum()).upper()
    if not 6 <= len(text) <= 40 or not text.isascii():
        raise field_error(
            "tracking_number",
            _("Scan or type a tracking number of 6 to 40 letters or digits."),
            "invalid_tracking",
        )
    return text


def signature_from_data_url(value: str, *, field: str = "signature") -> bytes:
    """The PNG bytes of a signature drawn on the canvas (a data: URL)."""
    prefix = "data:image/png;base64,"
    if not value or not value.startswith(prefix):
        raise field_error(
            field,
            _("The signature is missing: ask the person to sign on the screen."),
            "signature_missing",
        )
    try:
        data = base64.b64decode(value[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        data = b""
    # A complete PNG that decodes, at most SIGNATURE's limit (300 KB).
    upload_check(data, rule=SIGNATURE, field=field)
    return data


def _signature_file(data: bytes) -> File:
    """The signature as a file to store: a PNG that decodes (checked again
    here, whoever called the service); stored under a random name."""
    if not data.startswith(PNG_MAGIC):
        raise field_error("signature", _("The signature is missing."), "unsigned")
    return upload_check(data, rule=SIGNATURE, field="signature").file


def _check_mall(obj_mall_id: int | None, mall: Mall, field: str) -> None:
    if obj_mall_id is not None and obj_mall_id != mall.pk:
        raise field_error(field, _("This belongs to another mall."), "wrong_mall")


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


# ----------------------------------------------------------------- parcels


def _new_pickup_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def _recipient_contact(parcel: Parcel) -> tuple[str, str]:
    if parcel.recipient_kind == Parcel.RecipientKind.UNIT and parcel.recipient_unit:
        unit = parcel.recipient_unit
        return (parcel.recipient_name or unit.contact_name or unit.name, unit.contact_phone)
    if parcel.recipient_kind == Parcel.RecipientKind.STAFF and parcel.recipient_staff:
        return (str(parcel.recipient_staff), parcel.recipient_staff.phone)
    return (parcel.recipient_label, parcel.recipient_phone)


def _notify(
    parcel: Parcel, *, kind: str, now: datetime.datetime, new_parcel: bool = False
) -> Notification | None:
    """Write an outbox row once per (parcel, kind); a second call does nothing.
    A parcel created in this transaction has no notices yet, so its arrival
    notice needs no savepoint to catch a duplicate."""
    to_name, to_phone = _recipient_contact(parcel)
    notification = Notification(
        mall_id=parcel.mall_id,
        parcel=parcel,
        kind=kind,
        to_name=to_name[:100],
        to_phone=to_phone,
        params={
            "pickup_code": parcel.pickup_code,
            "carrier": parcel.carrier,
            "tracking_number": parcel.tracking_number,
            "received_on": _local_date(parcel.received_at).isoformat(),
        },
        created_at=now,
    )
    if new_parcel:
        notification.save()
    else:
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:
            return None
    transaction.on_commit(_enqueue_outbox)
    return notification


# A stack of parcels checked in together needs one delivery run, not one
# per parcel: kick the outbox at most this often (the beat runs it every
# minute anyway, so nothing waits longer than that).
OUTBOX_KICK_SECONDS = 5


def _enqueue_outbox() -> None:
    from mailroom.tasks import outbox_dispatch_task

    if cache.add("mailroom:outbox-kick", True, timeout=OUTBOX_KICK_SECONDS):
        enqueue(outbox_dispatch_task)


def parcel_receive(
    *,
    actor: User,
    mall: Mall,
    carrier: str,
    tracking_number: str,
    recipient_kind: str,
    shelf: str,
    size: str = Parcel.Size.SMALL,
    recipient_unit: Unit | None = None,
    recipient_department: str = "",
    recipient_staff: User | None = None,
    recipient_name: str = "",
    recipient_phone: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Parcel:
    """Log an arriving parcel, give it a pick-up code and queue the arrival
    notice in the outbox."""
    now = now or timezone.now()
    tracking_number = normalise_tracking_number(tracking_number)
    if recipient_unit is not None:
        _check_mall(recipient_unit.mall_id, mall, "recipient_unit")
    if recipient_phone:
        recipient_phone = normalise_mobile(recipient_phone)
    kind = Parcel.RecipientKind(recipient_kind)
    missing = {
        Parcel.RecipientKind.UNIT: ("recipient_unit", recipient_unit is None),
        Parcel.RecipientKind.DEPARTMENT: ("recipient_department", not recipient_department),
        Parcel.RecipientKind.STAFF: ("recipient_staff", recipient_staff is None),
        Parcel.RecipientKind.CUSTOMER: ("recipient_name", not recipient_name.strip()),
    }[kind]
    if missing[1]:
        raise field_error(missing[0], _("Say who the parcel is for."), "no_recipient")
    parcel = Parcel(
        mall=mall,
        carrier=carrier,
        tracking_number=tracking_number,
        recipient_kind=kind,
        recipient_unit=recipient_unit if kind == Parcel.RecipientKind.UNIT else None,
        recipient_department=recipient_department
        if kind == Parcel.RecipientKind.DEPARTMENT
        else "",
        recipient_staff=recipient_staff if kind == Parcel.RecipientKind.STAFF else None,
        recipient_name=recipient_name.strip(),
        recipient_phone=recipient_phone,
        size=size,
        shelf=shelf.strip(),
        received_by=actor,
        received_at=now,
        reminder_due_at=now + datetime.timedelta(days=conf.get("REMINDER_DAYS")),
        escalation_due_at=now + datetime.timedelta(days=conf.get("ESCALATION_DAYS")),
        note=note,
    )
    # Check-in is the desk's hot path (p95 <= 30 ms at 500,000 parcels):
    # field shapes are checked here, but not Django's re-run of the
    # constraints and foreign keys as queries (nine round trips) — the
    # database enforces them, the rules a desk can break are checked above,
    # and the related objects come from the user's scoped form choices.
    parcel.full_clean(
        exclude=["pickup_code", "mall", "recipient_unit", "recipient_staff", "received_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    with transaction.atomic():
        # A random code may collide with a waiting parcel's; the partial
        # unique index decides, and we draw again.
        for _attempt in range(20):
            parcel.pickup_code = _new_pickup_code()
            try:
                with transaction.atomic():
                    parcel.save()
                break
            except IntegrityError as exc:
                # A double scan: the partial unique index of waiting parcels
                # says so (no query ahead of the insert on the hot path).
                if "tracking_unique_waiting" in str(exc):
                    raise field_error(
                        "tracking_number",
                        _("This parcel is already on the shelf (scanned twice?)."),
                        "duplicate_tracking",
                    ) from exc
                if "code_unique_waiting" not in str(exc):
                    raise
                parcel.pk = None
        else:  # pragma: no cover - a million codes
            raise ValidationError(_("No free pick-up code; try again."), code="no_code")
        _notify(parcel, kind=Notification.Kind.ARRIVAL, now=now, new_parcel=True)
    return parcel


@transaction.atomic
def parcel_pickup(
    *,
    actor: User,
    mall: Mall,
    parcel_ids: list[int],
    collector_name: str,
    verification: str,
    signature_png: bytes,
    id_last4: str = "",
    staff_badge: str = "",
    now: datetime.datetime | None = None,
) -> ParcelPickup:
    """Hand one or more waiting parcels to a collector who proved who they
    are (ID last four digits or staff badge) and signed."""
    now = now or timezone.now()
    if not parcel_ids:
        raise field_error("parcels", _("Tick the parcels being collected."), "none")
    verification = PickupVerification(verification)
    id_last4 = id_last4.strip().upper()
    staff_badge = staff_badge.strip()
    if verification == PickupVerification.ID_LAST4 and not id_last4:
        raise field_error(
            "id_last4",
            _("Check the collector's ID and enter its last four digits."),
            "verification_required",
        )
    if verification == PickupVerification.STAFF_BADGE and not staff_badge:
        raise field_error(
            "staff_badge",
            _("Check the collector's staff badge and enter its number."),
            "verification_required",
        )
    signature = _signature_file(signature_png)
    # Lock in id order so two desks picking overlapping sets cannot deadlock.
    parcels = list(
        Parcel.objects.select_for_update().filter(pk__in=parcel_ids, mall=mall).order_by("pk")
    )
    if len(parcels) != len(set(parcel_ids)) or any(
        p.status != Parcel.Status.WAITING for p in parcels
    ):
        raise field_error(
            "parcels", _("A ticked parcel has already been collected or returned."), "not_waiting"
        )
    pickup = ParcelPickup(
        mall=mall,
        collector_name=collector_name.strip(),
        verification=verification,
        id_last4=id_last4 if verification == PickupVerification.ID_LAST4 else "",
        staff_badge=staff_badge if verification == PickupVerification.STAFF_BADGE else "",
        handed_over_by=actor,
        at=now,
    )
    pickup.signature.save(signature.name, signature, save=False)
    pickup.full_clean()
    pickup.save()
    for parcel in parcels:
        parcel.transition_to(Parcel.Status.COLLECTED)
        parcel.pickup = pickup
        parcel.save(update_fields=["status", "pickup"])
    return pickup


@transaction.atomic
def parcel_return(
    *, actor: User, parcel: Parcel, reason: str, now: datetime.datetime | None = None
) -> Parcel:
    """Record that an uncollected parcel went back to the sender."""
    now = now or timezone.now()
    parcel = Parcel.objects.select_for_update().get(pk=parcel.pk)
    if not reason.strip():
        raise field_error("reason", _("Give the reason for the return."), "required")
    parcel.transition_to(Parcel.Status.RETURNED)
    parcel.returned_at = now
    parcel.returned_by = actor
    parcel.return_reason = reason.strip()
    parcel.save(update_fields=["status", "returned_at", "returned_by", "return_reason"])
    _notify(parcel, kind=Notification.Kind.RETURNED, now=now)
    return parcel


def parcel_reminders_dispatch(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Claim parcels whose reminder or escalation is due and write each
    notice exactly once. Safe to run on several workers at once: rows another
    worker holds are skipped, and *_sent_at plus the outbox's unique
    (parcel, kind) stop a second notice."""
    now = now or timezone.now()
    sent = 0
    for kind, due_field, sent_field in (
        (Notification.Kind.REMINDER, "reminder_due_at", "reminder_sent_at"),
        (Notification.Kind.ESCALATION, "escalation_due_at", "escalation_sent_at"),
    ):
        with transaction.atomic():
            due = list(
                Parcel.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=Parcel.Status.WAITING,
                    **{f"{due_field}__lte": now, f"{sent_field}__isnull": True},
                )
                .select_related("recipient_unit", "recipient_staff")
                .order_by(due_field)[:limit]
            )
            for parcel in due:
                setattr(parcel, sent_field, now)
                parcel.save(update_fields=[sent_field])
                if _notify(parcel, kind=kind, now=now) is not None:
                    sent += 1
    return sent


def _outbox_claim(*, now: datetime.datetime, skip: list[int]) -> Notification | None:
    """Take the oldest notice due: pending, or "sending" for longer than the
    claim window (its worker died during or right after the send). Committed
    at once, so the claim survives whatever happens next."""
    stale = now - datetime.timedelta(seconds=settings.OUTBOX_SENDING_STALE_SECONDS)
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=Notification.Status.PENDING)
                | Q(status=Notification.Status.SENDING, claimed_at__lt=stale)
            )
            .exclude(pk__in=skip)
            .order_by("created_at", "pk")
            .first()
        )
        if notification is not None:
            notification.status, notification.claimed_at = Notification.Status.SENDING, now
            notification.attempts += 1
            notification.save(update_fields=["status", "claimed_at", "attempts"])
    return notification


def outbox_dispatch(*, now: datetime.datetime | None = None, limit: int = 100) -> int:
    """Deliver pending notifications through the configured backend.

    Claim, send and mark are three steps, each committed on its own: a crash
    mid-batch leaves the notices already delivered marked "sent" (never sent
    again) and at most one "sending", sent again after
    OUTBOX_SENDING_STALE_SECONDS with the same message_id. A failed send is
    retried at the next dispatch, up to OUTBOX_MAX_ATTEMPTS."""
    now = now or timezone.now()
    backend = get_backend()
    backend_name = getattr(backend, "name", type(backend).__name__)
    delivered = 0
    seen: list[int] = []
    while len(seen) < limit:
        notification = _outbox_claim(now=now, skip=seen)
        if notification is None:
            break
        seen.append(notification.pk)
        fields: dict[str, Any] = {"backend": backend_name}
        try:
            backend.send(notification)
        except Exception as exc:  # noqa: BLE001 - any backend failure is retried
            fields["error"] = str(exc)[:200]
            fields["status"] = (
                Notification.Status.FAILED
                if notification.attempts >= OUTBOX_MAX_ATTEMPTS
                else Notification.Status.PENDING
            )
        else:
            fields |= {"status": Notification.Status.SENT, "sent_at": now, "error": ""}
            delivered += 1
        # Only our own claim is marked: a twin that re-claimed the row keeps it.
        Notification.objects.filter(
            pk=notification.pk,
            status=Notification.Status.SENDING,
            claimed_at=notification.claimed_at,
        ).update(**fields)
    return delivered


# ------------------------------------------------------------ outgoing mail


@transaction.atomic
def outgoing_log(
    *,
    actor: User,
    mall: Mall,
    sender_department: str,
    addressee: str,
    carrier: str,
    cost: Decimal,
    address: str = "",
    tracking_number: str = "",
    sender_staff: User | None = None,
    now: datetime.datetime | None = None,
) -> OutgoingMail:
    """Log an item a department hands in to be sent."""
    item = OutgoingMail(
        mall=mall,
        sender_department=sender_department,
        sender_staff=sender_staff,
        addressee=addressee.strip(),
        address=address.strip(),
        carrier=carrier,
        tracking_number=normalise_tracking_number(tracking_number) if tracking_number else "",
        cost=cost,
        logged_by=actor,
        logged_at=now or timezone.now(),
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def outgoing_dispatch(
    *,
    actor: User,
    mall: Mall,
    item_ids: list[int],
    carrier: str,
    courier_name: str = "",
    now: datetime.datetime | None = None,
) -> DispatchBatch:
    """Hand a batch of waiting outgoing items to the courier."""
    now = now or timezone.now()
    if not item_ids:
        raise field_error("items", _("Tick the items the courier takes."), "none")
    items = list(
        OutgoingMail.objects.select_for_update().filter(pk__in=item_ids, mall=mall).order_by("pk")
    )
    if len(items) != len(set(item_ids)) or any(
        i.status != OutgoingMail.Status.WAITING for i in items
    ):
        raise field_error("items", _("A ticked item has already been dispatched."), "not_waiting")
    batch = DispatchBatch.objects.create(
        mall=mall,
        carrier=carrier,
        courier_name=courier_name.strip(),
        dispatched_by=actor,
        dispatched_at=now,
    )
    for item in items:
        item.transition_to(OutgoingMail.Status.DISPATCHED)
        item.batch = batch
        item.save(update_fields=["status", "batch"])
    return batch


# ----------------------------------------------------------- lost and found


def _next_found_number(mall: Mall, now: datetime.datetime) -> str:
    day = _local_date(now)
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
        _check_mall(found_unit.mall_id, mall, "found_unit")
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
        retention_until=_local_date(now) + datetime.timedelta(days=retention_days),
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
        _check_mall(lost_unit.mall_id, mall, "lost_unit")
    if lost_on > _local_date(now):
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
        _check_mall(found_item.mall_id, report.mall, "found_item")
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
    signature = _signature_file(signature_png)
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
    today = _local_date(now)
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


# ------------------------------------------------------------- lending desk


@transaction.atomic
def asset_create(
    *, actor: User, mall: Mall, tag: str, kind: str, description: str = ""
) -> LendableAsset:
    asset = LendableAsset(mall=mall, tag=tag.strip().upper(), kind=kind, description=description)
    asset.full_clean()
    asset.save()
    return asset


@transaction.atomic
def asset_take_out_of_service(
    *,
    actor: User,
    asset: LendableAsset,
    reason: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> LendableAsset:
    """Take a lending item out of service (damaged, away for repair, lost):
    it can no longer be lent. An item that is lent out is checked in first
    (its condition is recorded on the loan)."""
    now = now or timezone.now()
    asset = LendableAsset.objects.select_for_update().get(pk=asset.pk)
    if not asset.is_active:
        raise ValidationError(_("This item is already out of service."), code="already_out")
    if reason not in LendableAsset.OutOfService.values:
        raise field_error("reason", _("Choose why it goes out of service."), "invalid")
    if reason == LendableAsset.OutOfService.OTHER and not note.strip():
        raise field_error("note", _("Say what is wrong with it."), "note_required")
    if Loan.objects.filter(asset=asset, returned_at__isnull=True).exists():
        raise ValidationError(
            _("This item is lent out: check it in first, with its condition."), code="lent_out"
        )
    asset.is_active = False
    asset.out_of_service_reason = reason
    return _service_changed(asset, actor=actor, note=note, now=now)


@transaction.atomic
def asset_return_to_service(
    *,
    actor: User,
    asset: LendableAsset,
    note: str = "",
    now: datetime.datetime | None = None,
) -> LendableAsset:
    """Put an item back into service (repaired, found again) with a note of
    what was done; it can be lent again."""
    asset = LendableAsset.objects.select_for_update().get(pk=asset.pk)
    if asset.is_active:
        raise ValidationError(_("This item is already in service."), code="already_in")
    if not note.strip():
        raise field_error("note", _("Say what was done (repaired, found …)."), "note_required")
    asset.is_active = True
    asset.out_of_service_reason = ""
    return _service_changed(asset, actor=actor, note=note, now=now or timezone.now())


def _service_changed(
    asset: LendableAsset, *, actor: User, note: str, now: datetime.datetime
) -> LendableAsset:
    asset.service_note = note.strip()
    asset.service_changed_at, asset.service_changed_by = now, actor
    asset.full_clean()
    asset.save(
        update_fields=[
            "is_active",
            "out_of_service_reason",
            "service_note",
            "service_changed_at",
            "service_changed_by",
        ]
    )
    return asset


@transaction.atomic
def loan_lend(
    *,
    actor: User,
    asset: LendableAsset,
    borrower_name: str,
    borrower_phone: str,
    deposit_kind: str,
    due_at: datetime.datetime,
    deposit_amount: Decimal | None = None,
    id_last4: str = "",
    signature_png: bytes = b"",
    now: datetime.datetime | None = None,
) -> Loan:
    """Lend an item against a cash deposit or an ID card held at the desk
    (only its last four digits are recorded). The borrower signs for a cash
    deposit on the screen; the desk prints the deposit slip from the loan."""
    now = now or timezone.now()
    asset = LendableAsset.objects.select_for_update().get(pk=asset.pk)
    if not asset.is_active:
        raise ValidationError(_("This item is out of service."), code="inactive")
    if Loan.objects.filter(asset=asset, returned_at__isnull=True).exists():
        raise ValidationError(_("This item is already lent out."), code="already_lent")
    if due_at <= now:
        raise field_error("due_at", _("The due time must be later."), "due_past")
    if deposit_kind == Loan.DepositKind.CASH:
        if not deposit_amount or deposit_amount <= 0:
            raise field_error("deposit_amount", _("Enter the cash deposit."), "deposit_required")
        if not signature_png:
            raise field_error(
                "signature",
                _("The borrower signs for a cash deposit: ask them to sign on the screen."),
                "signature_missing",
            )
        id_last4 = ""
    else:
        deposit_amount = None
        signature_png = b""
        if not id_last4.strip():
            raise field_error(
                "id_last4", _("Enter the last four digits of the ID card held."), "deposit_required"
            )
    loan = Loan(
        asset=asset,
        mall_id=asset.mall_id,
        borrower_name=borrower_name.strip(),
        borrower_phone=normalise_mobile(borrower_phone),
        deposit_kind=deposit_kind,
        deposit_amount=deposit_amount,
        id_last4=id_last4.strip().upper(),
        lent_by=actor,
        lent_at=now,
        due_at=due_at,
    )
    if signature_png:
        signature = _signature_file(signature_png)
        loan.borrower_signature.save(signature.name, signature, save=False)
    loan.full_clean()
    loan.save()
    return loan


@transaction.atomic
def loan_return(
    *,
    actor: User,
    loan: Loan,
    condition: str,
    deposit_returned: bool,
    note: str = "",
    out_of_service: bool = False,
    now: datetime.datetime | None = None,
) -> Loan:
    """Check an item back in; the deposit goes back only now, after the
    condition check (kept when the item is damaged, with a note). A damaged
    or incomplete item can be taken out of service in the same step."""
    now = now or timezone.now()
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.returned_at is not None:
        raise ValidationError(_("This item was already returned."), code="already_returned")
    if condition not in Loan.Condition.values:
        raise field_error("condition", _("Check the condition."), "invalid")
    if condition != Loan.Condition.GOOD and not note.strip():
        raise field_error("note", _("Describe the damage or the missing parts."), "note_required")
    if out_of_service and condition == Loan.Condition.GOOD:
        raise field_error(
            "out_of_service", _("An item in good condition stays in service."), "good_condition"
        )
    loan.returned_at = now
    loan.returned_to = actor
    loan.return_condition = condition
    loan.return_note = note.strip()
    loan.deposit_returned_at = now if deposit_returned else None
    loan.save(
        update_fields=[
            "returned_at",
            "returned_to",
            "return_condition",
            "return_note",
            "deposit_returned_at",
        ]
    )
    if out_of_service:
        asset_take_out_of_service(
            actor=actor,
            asset=loan.asset,
            reason=LendableAsset.OutOfService.DAMAGED,
            note=note,
            now=now,
        )
    return loan


@transaction.atomic
def loan_deposit_return(*, actor: User, loan: Loan, now: datetime.datetime | None = None) -> Loan:
    """Give back a deposit kept at check-in (e.g. after a damage settlement)."""
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.returned_at is None:
        raise ValidationError(
            _("The deposit goes back only when the item is back."), code="not_returned"
        )
    if loan.deposit_returned_at is not None:
        raise ValidationError(_("The deposit was already returned."), code="already")
    loan.deposit_returned_at = now or timezone.now()
    loan.save(update_fields=["deposit_returned_at"])
    return loan
