"""WeCom application messages over WeCom's server API, against a local fake
WeCom: the token is fetched with the corp id and secret, cached, and
refreshed when WeCom says it expired."""

from __future__ import annotations

import pytest

from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch
from mallservice.tests.notifications_helpers import at, queue

pytestmark = pytest.mark.django_db


def _wecom(mall, **kwargs) -> Message:
    fields = {
        "channel": Message.Channel.WECOM,
        "category": Message.Category.ALERT,
        "audience": Message.Audience.STAFF,
        "recipient": "zhangzhuguan",
        "body": "投诉 TS-20261202-001 已派给您，请在 14:00 前回复。",
    }
    return queue(mall, **(fields | kwargs))


def test_a_text_message_reaches_the_staff_member(mall, supervisor_user, fake_wecom_server):
    # given the supervisor's WeCom user id on their staff record
    supervisor_user.wecom_user_id = "zhangzhuguan"
    supervisor_user.save(update_fields=["wecom_user_id"])
    message = _wecom(mall, recipient=supervisor_user.wecom_user_id)
    # when dispatched
    assert messages_dispatch(now=at(2, 10)) == 1
    # then WeCom delivered the text to them, asked for duplicate checking
    [delivered] = fake_wecom_server.delivered
    assert delivered["touser"] == "zhangzhuguan" and delivered["msgtype"] == "text"
    assert delivered["text"]["content"] == message.body
    assert delivered["enable_duplicate_check"] == 1
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == ("sent", delivered["msgid"])


def test_a_message_with_a_link_is_a_text_card(mall, fake_wecom_server):
    _wecom(mall, subject="新投诉", url="https://desk.example.com/complaints/1/")
    messages_dispatch(now=at(2, 10))
    [delivered] = fake_wecom_server.delivered
    assert delivered["msgtype"] == "textcard"
    assert delivered["textcard"]["title"] == "新投诉"
    assert delivered["textcard"]["url"] == "https://desk.example.com/complaints/1/"


def test_the_token_is_fetched_once_and_cached(mall, fake_wecom_server):
    for _ in range(3):
        _wecom(mall)
    messages_dispatch(now=at(2, 10))
    assert (
        fake_wecom_server.requests["gettoken"] == 1
        and fake_wecom_server.requests["message/send"] == 3
    )


def test_an_expired_token_is_refreshed_and_the_message_sent_once(mall, fake_wecom_server):
    # given a cached token that WeCom has since expired
    _wecom(mall, body="第一条")
    messages_dispatch(now=at(2, 10))
    fake_wecom_server.expire_tokens()
    # when the next message is sent
    second = _wecom(mall, body="第二条")
    messages_dispatch(now=at(2, 10, 1))
    # then a new token was fetched and the message went once
    assert fake_wecom_server.requests["gettoken"] == 2
    assert [d["text"]["content"] for d in fake_wecom_server.delivered] == ["第一条", "第二条"]
    assert Message.objects.get(pk=second.pk).status == "sent"


def test_a_wrong_secret_leaves_the_message_for_a_retry(mall, fake_wecom_server, settings):
    settings.WECOM_SECRET = "wrong"
    message = _wecom(mall)
    messages_dispatch(now=at(2, 10))
    message.refresh_from_db()
    assert message.status == "pending" and "40001" in message.last_error
    assert fake_wecom_server.delivered == []


def test_an_unknown_user_is_refused_for_good(mall, fake_wecom_server):
    message = _wecom(mall, recipient="nobody")
    messages_dispatch(now=at(2, 10))
    messages_dispatch(now=at(3, 10))
    message.refresh_from_db()
    assert message.status == "failed" and "81013" in message.last_error
    assert fake_wecom_server.requests["message/send"] == 1


def test_wecom_answering_500_is_retried(mall, fake_wecom_server):
    fake_wecom_server.fail_next = [500]
    message = _wecom(mall)
    messages_dispatch(now=at(2, 10))
    assert Message.objects.get(pk=message.pk).status == "pending"
    messages_dispatch(now=at(2, 10, 5))
    assert Message.objects.get(pk=message.pk).status == "sent"
    assert len(fake_wecom_server.delivered) == 1
