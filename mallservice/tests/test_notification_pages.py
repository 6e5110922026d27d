"""The supervisor's outbox pages: messages that did not arrive, with a
resend button, and the console channel's messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mallservice.notifications.models import Message
from mallservice.tests.notifications_helpers import queue

pytestmark = pytest.mark.django_db


def _failed(mall, **kwargs) -> Message:
    message = queue(mall, **kwargs)
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.FAILED, attempts=5, last_error="gateway busy"
    )
    return message


def test_the_supervisor_sees_failed_and_undelivered_messages(
    client, supervisor_user, mall, django_assert_max_num_queries
):
    # given messages that failed or were not delivered, and one that arrived
    failed = [_failed(mall, body=f"失败{i}") for i in range(5)]
    undelivered = queue(mall, body="未送达")
    Message.objects.filter(pk=undelivered.pk).update(status=Message.Status.UNDELIVERED)
    queue(mall, body="已送达")
    client.force_login(supervisor_user)
    # when the supervisor opens the messages page
    with django_assert_max_num_queries(12):
        page = client.get(reverse("notifications:problems"))
    content = page.content.decode()
    # then each problem is listed with its error and a resend button, the
    # delivered one is not
    assert page.status_code == 200
    for message in [*failed, undelivered]:
        assert f'data-testid="message-{message.pk}"' in content
    assert "已送达" not in content and "gateway busy" in content
    assert content.count('data-testid="message-resend"') == 6
    # and the phone number is masked
    assert "13800000001" not in content and "138****0001" in content


def test_desk_staff_may_not_see_the_outbox(client, desk_user):
    client.force_login(desk_user)
    assert client.get(reverse("notifications:problems")).status_code == 403
    assert client.get(reverse("notifications:console")).status_code == 403


def test_resend_queues_the_same_message_again_and_is_audited(client, supervisor_user, mall):
    # given a failed message
    message = _failed(mall)
    client.force_login(supervisor_user)
    # when the supervisor sends it again
    response = client.post(reverse("notifications:resend", args=[message.pk]), follow=True)
    # then it is due now, its attempts counted afresh, and the page says so
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("pending", 0, "")
    assert "重新发送" in response.content.decode()
    event = message.pgh_event_model.objects.filter(pgh_obj=message).latest("pgh_id")
    assert event.pgh_context["user"] == supervisor_user.pk
    assert Message.objects.count() == 1


def test_a_message_that_arrived_cannot_be_resent(client, supervisor_user, mall):
    message = queue(mall)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.SENT)
    client.force_login(supervisor_user)
    response = client.post(reverse("notifications:resend", args=[message.pk]), follow=True)
    message.refresh_from_db()
    assert message.status == Message.Status.SENT and message.attempts == 0
    assert "只有发送失败或未送达的消息" in response.content.decode()


def test_another_malls_message_is_not_found(client, supervisor_user, other_mall):
    message = _failed(other_mall)
    client.force_login(supervisor_user)
    assert client.post(reverse("notifications:resend", args=[message.pk])).status_code == 404
    assert client.post(reverse("notifications:reveal_phone", args=[message.pk])).status_code == 404
    assert Message.objects.get(pk=message.pk).status == Message.Status.FAILED


def test_the_console_page_shows_recorded_messages_with_their_length(client, supervisor_user, mall):
    # given an SMS the console channel recorded (no provider configured)
    message = queue(mall, body="投" * 71)
    Message.objects.filter(pk=message.pk).update(status=Message.Status.RECORDED)
    client.force_login(supervisor_user)
    # when the supervisor opens the console page
    content = client.get(reverse("notifications:console")).content.decode()
    # then the text is there with what the carrier would bill for it
    assert "投" * 71 in content
    assert "71 个字，2 条短信" in content


def test_the_list_filters_by_channel_and_shows_a_bad_value_next_to_its_field(
    client, supervisor_user, mall
):
    # given a failed SMS and a failed e-mail
    sms = _failed(mall, body="短信失败")
    email = _failed(mall, channel=Message.Channel.EMAIL, recipient="a@example.com", body="邮件")
    client.force_login(supervisor_user)
    # when the list is filtered to e-mail
    content = client.get(reverse("notifications:problems"), {"channel": "email"}).content
    # then only the e-mail is listed
    assert f'data-testid="message-{email.pk}"'.encode() in content
    assert f'data-testid="message-{sms.pk}"'.encode() not in content
    # and a hand-edited value filters nothing and says what was wrong
    page = client.get(reverse("notifications:problems"), {"channel": "fax"})
    assert page.status_code == 200
    assert b'data-testid="error-channel"' in page.content
    assert f'data-testid="message-{sms.pk}"'.encode() in page.content


def test_the_recipients_phone_is_masked_in_the_history_panel(client, supervisor_user, mall):
    message = _failed(mall)
    client.force_login(supervisor_user)
    url = reverse("history_panel", args=["mallservice", "message", message.pk])
    body = client.get(url).content.decode()
    assert "138****0001" in body and "13800000001" not in body
