"""The complaints of a member, for the members app
(`mallservice.hooks.MemberLinksHook`): a merge moves them to the member who
stays, and the member page lists them. The members app never imports this
app; the kernel finds this module by name."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.permissions import VIEW_COMPLAINT
from complaints.selectors import complaint_list_for_member
from complaints.services.intake import complaints_member_move
from mallservice.hooks import MemberLink, MemberLinkPanel

# The member page shows the newest complaints only.
PANEL_SIZE = 10


def merge(*, absorbed: Any, survivor: Any) -> dict[str, int]:
    """Inside the merge's transaction: the duplicate's complaints now name
    the survivor (the count goes into the merge's snapshot)."""
    return {"complaints_moved": complaints_member_move(absorbed=absorbed, survivor=survivor)}


def panels(*, user: Any, member: Any) -> list[MemberLinkPanel]:
    if not user.has_perm(VIEW_COMPLAINT):
        return []
    complaints = list(complaint_list_for_member(user=user, member=member)[:PANEL_SIZE])
    if not complaints:
        return []
    links = [
        MemberLink(
            label=complaint.reference,
            url=reverse("complaints:detail", args=[complaint.pk]),
            detail=" · ".join(
                [
                    timezone.localdate(complaint.received_at).isoformat(),
                    complaint.category.name,
                    complaint.get_state_display(),
                ]
            ),
        )
        for complaint in complaints
    ]
    return [MemberLinkPanel(title=_("Complaints"), links=links, testid="member-complaints")]
