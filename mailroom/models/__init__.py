"""Everything that passes across the desk: incoming parcels and their
pick-ups, their notices (sent through the shared outbox), outgoing mail, lost and found, and the
lending desk. Each thing is logged when it arrives, kept in a known place and
handed over only against a signature.

One module per part of the desk (`parcels`, `notices`, `outgoing`,
`lost_found`, `lending`; `departments` for the departments and carriers,
`common` for what they share). Every model is imported here: the app's
models and migrations are as they were in one `models.py`.

Personal data minimisation (PIPL Art. 6, GB/T 35273): of an identity card we
store ONLY its last four digits (`id_last4`), never the full number.
"""

from mailroom.models.common import ID_LAST4_HELP, StateMachineMixin, id_last4_validator
from mailroom.models.departments import Carrier, Department
from mailroom.models.lending import LendableAsset, Loan
from mailroom.models.lost_found import FoundItem, ItemCategory, ItemClaim, LostReport
from mailroom.models.notices import NoticeKind, parcel_source
from mailroom.models.outgoing import DispatchBatch, OutgoingMail
from mailroom.models.parcels import Parcel, ParcelPickup, PickupVerification

__all__ = [
    "ID_LAST4_HELP",
    "Carrier",
    "Department",
    "DispatchBatch",
    "FoundItem",
    "ItemCategory",
    "ItemClaim",
    "LendableAsset",
    "Loan",
    "LostReport",
    "NoticeKind",
    "parcel_source",
    "OutgoingMail",
    "Parcel",
    "ParcelPickup",
    "PickupVerification",
    "StateMachineMixin",
    "id_last4_validator",
]
