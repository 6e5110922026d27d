"""Consent and do-not-contact for the shared outbox (`mallservice.hooks`):
a member's record decides what the mall may text them."""

from __future__ import annotations

from members.models import Member

# The categories a member's "do not contact" stops; an update about their
# own complaint or parcel still reaches them.
UNSOLICITED = ("reminder", "marketing")


def refusal(*, channel: str, recipient: str, category: str, mall_id: int) -> str:
    if channel != "sms" or category not in UNSOLICITED:
        return ""
    member = (
        Member.objects.filter(mall_id=mall_id, phone=recipient)
        .values("do_not_call", "consent_marketing")
        .first()
    )
    if member is None:
        # Not a member: marketing needs consent we do not have.
        return "no_consent" if category == "marketing" else ""
    if member["do_not_call"]:
        return "do_not_contact"
    if category == "marketing" and not member["consent_marketing"]:
        return "no_consent"
    return ""
