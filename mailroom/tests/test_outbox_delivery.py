"""Notices are delivered once even when the worker dies mid-batch; a notice
sent again after a crash carries the same idempotency key (issue 24, item 4)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mailroom.tests.factories import make_parcel
from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What the process sees of a kill: nothing after it runs."""


class DiesAfterSecondSendBackend:
    """A gateway that accepts each notice (remembering its key) and whose
    worker dies right after the second one was accepted."""

    name = "test-gateway"
    delivered: list[str] = []
    die_after: int | None = 2

    def send(self, notification) -> None:
        type(self).delivered.append(notification.message_id)
        if len(type(self).delivered) == type(self).die_after:
            raise WorkerKilled


def test_a_crash_mid_batch_never_sends_a_delivered_notice_again(desk_user, mall, settings):
    # given three arrival notices waiting in the outbox
    first, second, third = (
        make_parcel(actor=desk_user, mall=mall).notifications.get() for _ in range(3)
    )
    settings.NOTIFY_PROVIDERS = {
        **settings.NOTIFY_PROVIDERS,
        "sms": f"{__name__}.DiesAfterSecondSendBackend",
    }
    settings.OUTBOX_SENDING_STALE_SECONDS = 300
    DiesAfterSecondSendBackend.delivered = []
    DiesAfterSecondSendBackend.die_after = 2
    start = timezone.now()
    # when the worker dies right after the gateway took the second notice
    with pytest.raises(WorkerKilled):
        messages_dispatch(now=start)
    statuses = {n.pk: n.status for n in Message.objects.all()}
    assert statuses == {first.pk: "sent", second.pk: "sending", third.pk: "pending"}
    # and the next dispatcher runs a minute later, then after the claim window
    DiesAfterSecondSendBackend.die_after = None
    assert messages_dispatch(now=start + datetime.timedelta(minutes=1)) == 1
    assert messages_dispatch(now=start + datetime.timedelta(minutes=6)) == 1
    # then the first was delivered once, and the second's retry has its key
    keys = DiesAfterSecondSendBackend.delivered
    assert keys == [first.message_id, second.message_id, third.message_id, second.message_id]
    assert second.message_id == f"<message-{second.pk}@mallservice>"
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
