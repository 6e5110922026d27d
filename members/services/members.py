"""Members: registration (申请/登记), consents, manual tier changes and
merging a duplicate into the member who stays."""

from __future__ import annotations

import datetime
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.guards import field_error, require_same_mall
from mallservice.hooks import member_links_merge
from mallservice.models import Mall
from mallservice.validators import normalise_mobile
from members.models import Card, Member, MemberMerge, PointsEntry, Tier
from members.permissions import CHANGE_TIER, MERGE_MEMBER
from members.services.calls import calls_cancel_pending
from members.services.points import ledger_append


def member_find_duplicate(
    *, mall: Mall, name: str, birthday: datetime.date | None
) -> Member | None:
    """A member of `mall` with the same name and birthday: a possible
    duplicate. Only the mall's own members: a namesake in another mall is
    none of the desk's business (membership is per mall)."""
    if not birthday:
        return None
    return (
        Member.objects.filter(mall=mall, name=name, birthday=birthday, status=Member.Status.ACTIVE)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def member_register(
    *,
    actor: Any,
    mall: Mall,
    phone: str,
    name: str,
    gender: str = "",
    birthday: datetime.date | None = None,
    source: str = Member.Source.DESK,
    tier: Tier | None = None,
    consent_callback: bool = False,
    consent_marketing: bool = False,
    notes: str = "",
    now: datetime.datetime | None = None,
) -> Member:
    """Register a member (申请/登记) of `mall`. The same phone in this mall is
    refused; a member of another mall with this phone changes nothing
    (membership is per mall). Same name and birthday in this mall is
    flagged as a possible duplicate, not refused."""
    now = now or timezone.now()
    try:
        phone = normalise_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.error_list}) from exc
    name = name.strip()
    if len(name) < 1:
        raise field_error("name", _("Enter the member's name."), "name_required")
    if birthday and birthday > timezone.localdate(now):
        raise field_error(
            "birthday", _("The birthday cannot be in the future."), "birthday_in_future"
        )
    if Member.objects.filter(mall=mall, phone=phone).exists():
        raise field_error(
            "phone", _("A member with this mobile number is already registered."), "duplicate_phone"
        )
    require_same_mall(mall, tier, field="tier")
    if tier is None:
        tier = Tier.objects.filter(mall=mall).order_by("rank").first()
    member = Member(
        mall=mall,
        phone=phone,
        name=name,
        gender=gender,
        birthday=birthday,
        source=source,
        tier=tier,
        notes=notes,
        registered_by=actor,
        possible_duplicate_of=member_find_duplicate(mall=mall, name=name, birthday=birthday),
        consent_callback=consent_callback,
        consent_callback_at=now if consent_callback else None,
        consent_callback_by=actor if consent_callback else None,
        consent_marketing=consent_marketing,
        consent_marketing_at=now if consent_marketing else None,
        consent_marketing_by=actor if consent_marketing else None,
        last_visit_at=now,
    )
    try:
        # Two desks typing the same number at once: the unique index decides.
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise field_error(
            "phone", _("A member with this mobile number is already registered."), "duplicate_phone"
        ) from exc
    return member


@transaction.atomic
def member_update_consent(
    *,
    actor: Any,
    member: Member,
    consent_callback: bool,
    consent_marketing: bool,
    do_not_call: bool,
    now: datetime.datetime | None = None,
) -> Member:
    """Record the member's consents (with date and staff) and do-not-call."""
    now = now or timezone.now()
    locked = Member.objects.select_for_update().get(pk=member.pk)
    fields = []
    if locked.consent_callback != consent_callback:
        locked.consent_callback = consent_callback
        locked.consent_callback_at, locked.consent_callback_by = now, actor
        fields += ["consent_callback", "consent_callback_at", "consent_callback_by"]
    if locked.consent_marketing != consent_marketing:
        locked.consent_marketing = consent_marketing
        locked.consent_marketing_at, locked.consent_marketing_by = now, actor
        fields += ["consent_marketing", "consent_marketing_at", "consent_marketing_by"]
    if locked.do_not_call != do_not_call:
        locked.do_not_call = do_not_call
        locked.do_not_call_at = now
        fields += ["do_not_call", "do_not_call_at"]
    if fields:
        locked.save(update_fields=fields)
        if do_not_call:
            calls_cancel_pending(member=locked, now=now)
    return locked


@transaction.atomic
def member_set_tier(
    *, actor: Any, member: Member, tier: Tier, reason: str, now: datetime.datetime | None = None
) -> Member:
    """A manual tier change: supervisors only (their action is the approval),
    with a reason kept in the history row's context. It restarts the review
    year, and automatic upgrades count only spend after it (members/tiers.py)."""
    now = now or timezone.now()
    if not actor.has_perm(CHANGE_TIER):
        raise ValidationError(
            _("A manual tier change needs a supervisor's approval."), code="needs_supervisor"
        )
    if not reason.strip():
        raise field_error("reason", _("Give a reason."), "reason_required")
    locked = Member.objects.select_for_update().get(pk=member.pk)
    require_same_mall(locked.mall_id, tier, field="tier")
    with pghistory.context(reason=reason.strip()):
        locked.tier = tier
        locked.tier_changed_at = locked.tier_set_by_hand_at = now
        locked.save(update_fields=["tier", "tier_changed_at", "tier_set_by_hand_at"])
    return locked


@transaction.atomic
def member_merge(
    *, actor: Any, survivor: Member, absorbed: Member, now: datetime.datetime | None = None
) -> MemberMerge:
    """Merge a duplicate into the survivor: cards move over (a second current
    card is voided), the points move by a pair of ledger lines, pending calls
    of the duplicate are cancelled, the other apps' records of them
    (complaints) move to the survivor through the `member_links` hooks;
    the duplicate is marked merged."""
    now = now or timezone.now()
    if not actor.has_perm(MERGE_MEMBER):
        raise ValidationError(_("Only a supervisor can merge members."), code="needs_supervisor")
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Choose two different members."), code="same_member")
    # Lock both in a fixed order so two merges cannot deadlock.
    locked = {
        m.pk: m
        for m in Member.objects.select_for_update()
        .filter(pk__in=[survivor.pk, absorbed.pk])
        .order_by("pk")
    }
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    if survivor.status != Member.Status.ACTIVE or absorbed.status != Member.Status.ACTIVE:
        raise ValidationError(_("This member was already merged."), code="already_merged")
    require_same_mall(survivor.mall_id, absorbed)
    snapshot = {
        "absorbed": {
            "phone": absorbed.phone,
            "name": absorbed.name,
            "tier": absorbed.tier_id,
            "points_balance": absorbed.points_balance,
        }
    }
    survivor_has_card = Card.objects.filter(member=survivor, status__in=Card.CURRENT).exists()
    cards = list(Card.objects.select_for_update().filter(member=absorbed).order_by("pk"))
    for card in cards:
        if card.status in Card.CURRENT and survivor_has_card:
            card.status = Card.Status.VOID
            card.status_changed_at = now
        elif card.status in Card.CURRENT:
            survivor_has_card = True
        card.member = survivor
        card.save(update_fields=["member", "status", "status_changed_at"])
    points = absorbed.points_balance
    if points:
        ledger_append(
            member=absorbed,
            kind=PointsEntry.Kind.MERGE_OUT,
            points=-points,
            actor=actor,
            now=now,
            reason=f"merge → {survivor.pk}",
        )
        ledger_append(
            member=survivor,
            kind=PointsEntry.Kind.MERGE_IN,
            points=points,
            actor=actor,
            now=now,
            reason=f"merge ← {absorbed.pk}",
        )
    tasks = calls_cancel_pending(member=absorbed, now=now)
    # Nothing is lost: the duplicate's complaints follow them to the survivor.
    snapshot.update(member_links_merge(absorbed=absorbed, survivor=survivor))
    fields = []
    if survivor.tier and absorbed.tier and absorbed.tier.rank > survivor.tier.rank:
        survivor.tier, survivor.tier_changed_at = absorbed.tier, now
        fields += ["tier", "tier_changed_at"]
    # Consents stay as the survivor gave them: a merge never widens them.
    if absorbed.do_not_call and not survivor.do_not_call:
        survivor.do_not_call, survivor.do_not_call_at = True, now
        fields += ["do_not_call", "do_not_call_at"]
    if fields:
        survivor.save(update_fields=fields)
    absorbed.status = Member.Status.MERGED
    absorbed.merged_into = survivor
    absorbed.save(update_fields=["status", "merged_into"])
    return MemberMerge.objects.create(
        mall=survivor.mall,
        survivor=survivor,
        absorbed=absorbed,
        points_moved=points,
        cards_moved=len(cards),
        tasks_moved=tasks,
        snapshot=snapshot,
        actor=actor,
        at=now,
    )
