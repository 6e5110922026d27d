"""What the roster hands over at the end of a shift: swap requests waiting
for this person, colleagues still off post at the mall, supplies the person
asked for and has not received; for supervisors, the swaps, leave and
requisitions waiting for a decision."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from mallservice.handover import HandoverItem
from mallservice.models import Mall
from rosters import permissions as perms
from rosters.models import LeaveRequest, SupplyRequisition, SwapRequest
from rosters.selectors.leave import leave_list
from rosters.selectors.off_post import off_post_now
from rosters.selectors.supplies import supply_requisition_list
from rosters.selectors.swaps import swap_list


def _url(name: str, mall: Mall, extra: str = "") -> str:
    return f"{reverse(name)}?mall={mall.pk}{extra}"


def open_items(*, user: Any, mall: Mall, now: datetime.datetime) -> list[HandoverItem]:
    swaps = swap_list(user=user).filter(mall=mall)
    items = [
        HandoverItem(
            "rosters.swaps_to_answer",
            gettext_noop("Swap requests for you to answer"),
            swaps.filter(counterpart=user, state=SwapRequest.State.AWAITING_COUNTERPART).count(),
            _url("rosters:swaps", mall),
        ),
        HandoverItem(
            "rosters.off_post",
            gettext_noop("Colleagues off post now"),
            # Everyone's, not only the user's own: whoever takes the desk
            # must know who is away from it.
            off_post_now(user=user, mall=mall).count(),
            _url("rosters:offpost", mall),
        ),
        HandoverItem(
            "rosters.supplies_to_collect",
            gettext_noop("Supplies approved, not yet issued"),
            supply_requisition_list(user=user)
            .filter(mall=mall, requested_by=user, state=SupplyRequisition.State.APPROVED)
            .count(),
            _url("rosters:supplies", mall, "&state=approved"),
        ),
    ]
    if user.has_perm(perms.APPROVE_SWAPREQUEST):
        items += [
            HandoverItem(
                "rosters.swaps_to_approve",
                gettext_noop("Shift swaps to approve"),
                swaps.filter(state=SwapRequest.State.AWAITING_SUPERVISOR).count(),
                _url("rosters:swaps", mall, "&pending=1"),
            ),
        ]
    if user.has_perm(perms.APPROVE_LEAVEREQUEST):
        items += [
            HandoverItem(
                "rosters.leave_to_decide",
                gettext_noop("Leave requests to decide"),
                leave_list(user=user).filter(mall=mall, state__in=LeaveRequest.OPEN_STATES).count(),
                _url("rosters:leave", mall, "&pending=1"),
            ),
        ]
    if user.has_perm(perms.APPROVE_SUPPLYREQUISITION):
        items += [
            HandoverItem(
                "rosters.supplies_to_approve",
                gettext_noop("Supply requisitions to approve"),
                supply_requisition_list(user=user)
                .filter(mall=mall, state=SupplyRequisition.State.REQUESTED)
                .count(),
                _url("rosters:supplies", mall, "&state=requested"),
            ),
        ]
    return items
