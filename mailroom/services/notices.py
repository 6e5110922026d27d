"""Parcel notices: written with the change that caused them, into the
shared outbox (`mallservice.notifications`), which sends them."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from mailroom.models import NoticeKind, Parcel, parcel_source
from mallservice.clock import local_date
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_queue

# Quiet hours hold reminders to customers; the arrival and the return are
# notices (capped per day for a customer, never held at night).
CATEGORIES = {
    NoticeKind.ARRIVAL: Message.Category.NOTICE,
    NoticeKind.REMINDER: Message.Category.REMINDER,
    NoticeKind.ESCALATION: Message.Category.REMINDER,
    NoticeKind.RETURNED: Message.Category.NOTICE,
}
TEXTS = {
    NoticeKind.ARRIVAL: gettext_noop(
        "[%(mall)s] A parcel for you (%(carrier)s %(tracking_number)s) arrived at the "
        "service desk on %(received_on)s. Pickup code %(pickup_code)s."
    ),
    NoticeKind.REMINDER: gettext_noop(
        "[%(mall)s] Your parcel (%(carrier)s %(tracking_number)s) is waiting at the "
        "service desk. Pickup code %(pickup_code)s."
    ),
    NoticeKind.ESCALATION: gettext_noop(
        "[%(mall)s] Your parcel (%(carrier)s %(tracking_number)s) has waited at the service "
        "desk since %(received_on)s; please collect it soon. Pickup code %(pickup_code)s."
    ),
    NoticeKind.RETURNED: gettext_noop(
        "[%(mall)s] Your parcel (%(carrier)s %(tracking_number)s) was returned to the sender."
    ),
}


def _recipient_contact(parcel: Parcel) -> tuple[str, str]:
    if parcel.recipient_kind == Parcel.RecipientKind.UNIT and parcel.recipient_unit:
        unit = parcel.recipient_unit
        return (parcel.recipient_name or unit.contact_name or unit.name, unit.contact_phone)
    if parcel.recipient_kind == Parcel.RecipientKind.STAFF and parcel.recipient_staff:
        return (str(parcel.recipient_staff), parcel.recipient_staff.phone)
    return (parcel.recipient_label, parcel.recipient_phone)


def notice_queue(
    parcel: Parcel, *, kind: str, now: datetime.datetime, new_parcel: bool = False
) -> Message | None:
    """Put the parcel's notice of `kind` in the outbox, once per (parcel,
    kind): a second call does nothing and returns None."""
    to_name, to_phone = _recipient_contact(parcel)
    params = {
        "mall": parcel.mall.name,
        "pickup_code": parcel.pickup_code,
        "carrier": parcel.get_carrier_display(),
        "tracking_number": parcel.tracking_number,
        "received_on": local_date(parcel.received_at).isoformat(),
    }
    # The recipient's text is Chinese, whatever the desk's language.
    with override("zh-hans"):
        body = _(TEXTS[kind]) % params
    customer = parcel.recipient_kind == Parcel.RecipientKind.CUSTOMER
    return message_queue(
        mall_id=parcel.mall_id,
        kind=kind,
        source=parcel_source(parcel.pk),
        channel=Message.Channel.SMS,
        category=CATEGORIES[kind],
        audience=Message.Audience.CUSTOMER if customer else Message.Audience.STAFF,
        recipient=to_phone,
        recipient_name=to_name,
        template=kind,
        params=params,
        body=body,
        key=f"{kind}:{parcel.pk}",
        now=now,
        fresh=new_parcel,
    )
