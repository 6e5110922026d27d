"""Masked phone numbers revealed on request, logged."""

from __future__ import annotations

from django.http import Http404

from mailroom import permissions as perms
from mailroom import selectors
from mallservice.views import DeskView, RevealPhoneView

# Every masked phone the mailroom shows: the record's scoped selector, its
# phone field and the permission to see the record.
REVEALABLE_PHONES = {
    "parcel": (selectors.parcel_list, "recipient_phone", perms.VIEW_PARCEL),
    # A notice's recipient is the parcel's: whoever sees parcels sees it.
    "notification": (selectors.notification_list, "recipient", perms.VIEW_PARCEL),
    "finder": (selectors.found_item_list, "finder_phone", perms.VIEW_FOUNDITEM),
    "claim": (selectors.claim_list, "claimant_phone", perms.VIEW_ITEMCLAIM),
    "lost": (selectors.lost_report_list, "reporter_phone", perms.VIEW_LOSTREPORT),
    "loan": (selectors.loan_list, "borrower_phone", perms.VIEW_LOAN),
}


class PhoneRevealView(DeskView, RevealPhoneView):
    """The project's logged reveal (mallservice.views.RevealPhoneView) for
    the mailroom's records, one URL per kind of record."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in REVEALABLE_PHONES:
            raise Http404
        self.selector, self.field, self.permission_required = REVEALABLE_PHONES[kwargs["kind"]]

    def get_queryset(self, request):
        return self.selector(user=request.user)
