"""Mailroom records built through the same services the desk uses."""

from __future__ import annotations

import base64
import datetime
import itertools

from django.utils import timezone

from mailroom import services
from mailroom.models import FoundItem, LendableAsset, Parcel

# A real 1x1 PNG, as the signature canvas would post it.
SIGNATURE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)
SIGNATURE_DATA_URL = "data:image/png;base64," + base64.b64encode(SIGNATURE_PNG).decode()

_numbers = itertools.count(1)


def make_parcel(*, actor, mall, unit=None, now=None, **kwargs) -> Parcel:
    defaults = {
        "carrier": "sf",
        "tracking_number": f"SF{next(_numbers):012d}",
        "recipient_kind": "unit" if unit else "customer",
        "recipient_unit": unit,
        "recipient_name": "" if unit else "王先生",
        "shelf": "A-1",
    }
    defaults.update(kwargs)
    return services.parcel_receive(actor=actor, mall=mall, now=now, **defaults)


def make_found_item(*, actor, mall, now=None, **kwargs) -> FoundItem:
    now = now or timezone.now()
    defaults = {
        "category": "wallet",
        "description": "黑色男士钱包",
        "found_at": now - datetime.timedelta(hours=1),
        "finder_name": "保洁 张阿姨",
        "value_band": "medium",
        "found_place": "二层洗手间",
    }
    defaults.update(kwargs)
    return services.found_item_log(actor=actor, mall=mall, now=now, **defaults)


def make_asset(*, actor, mall, kind="wheelchair", tag=None) -> LendableAsset:
    return services.asset_create(
        actor=actor, mall=mall, tag=tag or f"WC-{next(_numbers):03d}", kind=kind
    )
