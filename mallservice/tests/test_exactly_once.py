"""Each message reaches its recipient once, counted at the fake providers,
when the worker dies mid-send or the provider answers 500 then 200."""

from __future__ import annotations

import datetime

import pytest

from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch
from mallservice.notifications.tencent import TencentSmsProvider
from mallservice.notifications.wecom import WeComProvider
from mallservice.tests.notifications_helpers import at, queue

pytestmark = pytest.mark.django_db
STALE = datetime.timedelta(seconds=300)


class WorkerKilled(BaseException):
    """What the process sees of a kill: nothing after it runs."""


class SmsDiesAfterTencentTookIt(TencentSmsProvider):
    """The real SDK call, then the worker dies before the row is marked."""

    def send(self, message):
        super().send(message)
        raise WorkerKilled


class WeComDiesAfterSend(WeComProvider):
    def send(self, message):
        super().send(message)
        raise WorkerKilled


def _use(settings, channel: str, provider: type) -> None:
    path = f"{provider.__module__}.{provider.__qualname__}"
    settings.NOTIFY_PROVIDERS = {**settings.NOTIFY_PROVIDERS, channel: path}


def _sms(mall) -> Message:
    return queue(mall, template="test.notice", params={"ref": "TS-1", "phone": "400"})


def test_a_worker_killed_after_tencent_took_the_sms_never_sends_it_again(
    mall,
    fake_sms,
    settings,
):
    settings.OUTBOX_SENDING_STALE_SECONDS = 300
    message = _sms(mall)
    start = at(2, 10)
    # given a worker that dies right after Tencent accepted the SMS
    _use(settings, "sms", SmsDiesAfterTencentTookIt)
    with pytest.raises(WorkerKilled):
        messages_dispatch(now=start)
    assert Message.objects.get(pk=message.pk).status == "sending"
    # when the next workers run, before and after the claim window
    _use(settings, "sms", TencentSmsProvider)
    assert messages_dispatch(now=start + datetime.timedelta(minutes=1)) == 0
    assert messages_dispatch(now=start + STALE + datetime.timedelta(seconds=1)) == 1
    messages_dispatch(now=start + datetime.timedelta(hours=1))
    # then Tencent's status report showed it arrived: it was sent exactly once
    assert fake_sms.requests["SendSms"] == 1
    assert fake_sms.accepted(message.idempotency_key) == 1
    assert fake_sms.requests["PullSmsSendStatusByPhoneNumber"] == 1
    message.refresh_from_db()
    assert message.status == "sent"
    assert message.provider_message_id == fake_sms.sent[0]["SerialNo"]


def test_a_worker_killed_before_calling_tencent_sends_the_sms_once_later(
    mall,
    fake_sms,
    settings,
):
    # given an SMS claimed by a worker that died before it called Tencent
    message = _sms(mall)
    start = at(2, 10)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENDING, claimed_at=start, attempts=1
    )
    # when the claim is stale
    assert messages_dispatch(now=start + STALE + datetime.timedelta(seconds=1)) == 1
    messages_dispatch(now=start + datetime.timedelta(hours=1))
    # then Tencent had nothing from it, so it was sent, once
    assert fake_sms.accepted(message.idempotency_key) == 1
    assert fake_sms.requests["SendSms"] == 1
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_tencent_answering_500_then_200_sends_the_sms_once(mall, fake_sms):
    # given Tencent failing the first request with a 500
    fake_sms.fail_next = [500]
    message = _sms(mall)
    # when the dispatcher runs, then again once the retry is due, then later
    messages_dispatch(now=at(2, 10))
    message.refresh_from_db()
    assert message.status == "pending" and message.next_attempt_at == at(2, 10, 1)
    messages_dispatch(now=at(2, 10, 1))
    messages_dispatch(now=at(2, 12))
    # then two requests reached Tencent and one SMS was accepted
    assert fake_sms.requests["SendSms"] == 2
    assert fake_sms.accepted(message.idempotency_key) == 1
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_a_lookup_that_fails_leaves_the_sms_unresolved_not_resent(
    mall,
    fake_sms,
    settings,
):
    message = _sms(mall)
    start = at(2, 10)
    _use(settings, "sms", SmsDiesAfterTencentTookIt)
    with pytest.raises(WorkerKilled):
        messages_dispatch(now=start)
    _use(settings, "sms", TencentSmsProvider)
    # when Tencent fails the status query
    fake_sms.fail_next = [500]
    messages_dispatch(now=start + STALE + datetime.timedelta(seconds=1))
    # then the message is not sent blindly: it stays unresolved, asked again later
    assert Message.objects.get(pk=message.pk).status == "sending"
    assert fake_sms.requests["SendSms"] == 1
    messages_dispatch(now=start + 3 * STALE)
    assert Message.objects.get(pk=message.pk).status == "sent"
    assert fake_sms.accepted(message.idempotency_key) == 1


def test_a_worker_killed_after_wecom_took_the_message_delivers_it_once(
    mall,
    fake_wecom_server,
    settings,
):
    # given a worker that dies right after WeCom accepted the message
    message = queue(
        mall,
        channel=Message.Channel.WECOM,
        category=Message.Category.ALERT,
        audience=Message.Audience.STAFF,
        recipient="zhangzhuguan",
        body="投诉 TS-1 已派给您。",
    )
    start = at(2, 10)
    _use(settings, "wecom", WeComDiesAfterSend)
    with pytest.raises(WorkerKilled):
        messages_dispatch(now=start)
    # when the claim is stale and another worker sends it again
    _use(settings, "wecom", WeComProvider)
    assert messages_dispatch(now=start + STALE + datetime.timedelta(seconds=1)) == 1
    # then WeCom's duplicate check dropped the copy: delivered once
    assert fake_wecom_server.requests["message/send"] == 2
    assert len(fake_wecom_server.delivered) == 1
    assert Message.objects.get(pk=message.pk).status == "sent"
