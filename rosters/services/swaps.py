"""Shift swaps (调班): asked, accepted by the colleague, approved by a
supervisor; only then do the two assignments change hands."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mallservice.models import User
from rosters import permissions as perms
from rosters.models import (
    Assignment,
    SwapRequest,
)
from rosters.selectors.roster import is_qualified, policy_for
from rosters.services.roster import rest_conflict
from rosters.services.rules import (
    require,
    require_permission,
    resolve_now,
)


def _swap_check(
    *,
    mine: Assignment,
    theirs: Assignment,
    requester: User,
    counterpart: User,
    now: datetime.datetime,
) -> None:
    """The rules a swap must meet when asked for, accepted and approved:
    published, future, the right people, qualified both ways, rested."""
    require(mine.staff_id == requester.pk, _("That is not your shift."), "not_own_shift")
    require(
        theirs.staff_id == counterpart.pk,
        _("That shift is no longer your colleague's."),
        "not_counterpart_shift",
    )
    require(requester.pk != counterpart.pk, _("Pick a colleague's shift."), "same_person")
    require(mine.mall_id == theirs.mall_id, _("Both shifts must be in one mall."), "mall")
    require(
        mine.week.is_published and theirs.week.is_published,
        _("Only shifts of a published roster can be swapped."),
        "not_published",
    )
    require(
        mine.starts_at > now and theirs.starts_at > now,
        _("A shift that has started or passed cannot be swapped."),
        "past_shift",
    )
    require(
        is_qualified(staff=requester, post=theirs.post)
        and is_qualified(staff=counterpart, post=mine.post),
        _("Both people must be qualified for the other's post."),
        "not_qualified",
    )
    min_rest = datetime.timedelta(hours=policy_for(mine.mall).min_rest_hours)
    for person, taking in ((requester, theirs), (counterpart, mine)):
        conflict = rest_conflict(
            staff=person,
            starts_at=taking.starts_at,
            ends_at=taking.ends_at,
            date=taking.date,
            exclude=[mine.pk, theirs.pk],
            min_rest=min_rest,
        )
        require(
            conflict is None,
            _("%(name)s would have too little rest before or after the shift on %(date)s.")
            % {"name": person, "date": taking.date},
            "min_rest",
        )


@transaction.atomic
def swap_request_create(
    *,
    actor: User,
    mine: Assignment,
    theirs: Assignment,
    reason: str,
    now: datetime.datetime | None = None,
) -> SwapRequest:
    """The requester asks a colleague to exchange shifts; nothing changes
    until the colleague accepts and a supervisor approves."""
    now = resolve_now(now)
    _swap_check(mine=mine, theirs=theirs, requester=actor, counterpart=theirs.staff, now=now)
    require(
        not SwapRequest.objects.filter(
            requester_assignment=mine, state__in=SwapRequest.OPEN_STATES
        ).exists(),
        _("This shift already has an open swap request."),
        "open_swap_exists",
    )
    swap = SwapRequest(
        mall=mine.mall,
        requester=actor,
        requester_assignment=mine,
        counterpart=theirs.staff,
        counterpart_assignment=theirs,
        reason=reason,
        created_at=now,
    )
    swap.full_clean()
    swap.save()
    return swap


def _lock_swap(swap: SwapRequest) -> SwapRequest:
    return SwapRequest.objects.select_for_update().get(pk=swap.pk)


@transaction.atomic
def swap_request_accept(
    *, actor: User, swap: SwapRequest, now: datetime.datetime | None = None
) -> SwapRequest:
    """The colleague agrees; the request goes to the supervisor."""
    now = resolve_now(now)
    swap = _lock_swap(swap)
    require(
        actor.pk == swap.counterpart_id,
        _("Only the colleague asked can accept."),
        "not_counterpart",
    )
    _swap_check(
        mine=swap.requester_assignment,
        theirs=swap.counterpart_assignment,
        requester=swap.requester,
        counterpart=swap.counterpart,
        now=now,
    )
    swap.transition_to(SwapRequest.State.AWAITING_SUPERVISOR)
    swap.accepted_at = now
    swap.save(update_fields=["state", "accepted_at"])
    return swap


@transaction.atomic
def swap_request_decline(*, actor: User, swap: SwapRequest) -> SwapRequest:
    swap = _lock_swap(swap)
    require(
        actor.pk == swap.counterpart_id,
        _("Only the colleague asked can decline."),
        "not_counterpart",
    )
    swap.transition_to(SwapRequest.State.DECLINED)
    swap.save(update_fields=["state"])
    return swap


@transaction.atomic
def swap_request_cancel(*, actor: User, swap: SwapRequest) -> SwapRequest:
    swap = _lock_swap(swap)
    require(actor.pk == swap.requester_id, _("Only the requester can cancel."), "not_requester")
    swap.transition_to(SwapRequest.State.CANCELLED)
    swap.save(update_fields=["state"])
    return swap


@transaction.atomic
def swap_request_approve(
    *, actor: User, swap: SwapRequest, note: str = "", now: datetime.datetime | None = None
) -> SwapRequest:
    """The supervisor approves: in this one transaction the swap is marked
    approved and both assignments change hands (the database trigger refuses
    the exchange for any swap not approved)."""
    now = resolve_now(now)
    require_permission(actor, perms.APPROVE_SWAPREQUEST)
    swap = _lock_swap(swap)
    # Lock both shifts in id order so two approvals touching one shift queue
    # up instead of deadlocking.
    locked = {
        a.pk: a
        for a in Assignment.objects.select_for_update()
        .filter(pk__in=[swap.requester_assignment_id, swap.counterpart_assignment_id])
        .order_by("pk")
    }
    mine, theirs = locked[swap.requester_assignment_id], locked[swap.counterpart_assignment_id]
    require(
        actor.pk not in (swap.requester_id, swap.counterpart_id),
        _("You cannot approve your own swap."),
        "own_swap",
    )
    # The state first: a second approver waiting on the lock is told the
    # swap was already decided, not that the shifts moved.
    swap.transition_to(SwapRequest.State.APPROVED)
    _swap_check(
        mine=mine, theirs=theirs, requester=swap.requester, counterpart=swap.counterpart, now=now
    )
    swap.decided_by, swap.decided_at, swap.decision_note = actor, now, note
    swap.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    mine.staff_id, theirs.staff_id = swap.counterpart_id, swap.requester_id
    for assignment in (mine, theirs):
        assignment.source = Assignment.Source.SWAP
        assignment.swap = swap
        assignment.save(update_fields=["staff", "source", "swap"])
    return swap


@transaction.atomic
def swap_request_reject(
    *, actor: User, swap: SwapRequest, note: str = "", now: datetime.datetime | None = None
) -> SwapRequest:
    require_permission(actor, perms.APPROVE_SWAPREQUEST)
    swap = _lock_swap(swap)
    swap.transition_to(SwapRequest.State.REJECTED)
    swap.decided_by, swap.decided_at, swap.decision_note = actor, resolve_now(now), note
    swap.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return swap
