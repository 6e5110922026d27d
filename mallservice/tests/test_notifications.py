"""The shared outbox: one message per event, retries with backoff, no retry
after a refusal, and the channel rules (quiet hours, consent, daily cap,
SMS length) in one place."""

from __future__ import annotations

import datetime

import pytest

from mallservice.notifications import rules, services
from mallservice.notifications.models import Message
from mallservice.notifications.services import kicks_held, messages_dispatch
from mallservice.tests.notifications_helpers import (
    DownProvider,
    RecordingProvider,
    RefusingProvider,
    at,
    queue,
)
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
HELPERS = "mallservice.tests.notifications_helpers"


@pytest.fixture
def sms_provider(settings):
    def use(name: str) -> None:
        settings.NOTIFY_PROVIDERS = {**settings.NOTIFY_PROVIDERS, "sms": f"{HELPERS}.{name}"}

    RecordingProvider.sent = []
    DownProvider.calls = RefusingProvider.calls = 0
    use("RecordingProvider")
    return use


def test_the_same_event_is_queued_once(mall):
    # given a message queued for an event
    first = queue(mall, key="complaints.ack:1")
    # when the same event queues it again
    again = queue(mall, key="complaints.ack:1", body="另一条")
    # then there is one message, the first
    assert again is None
    assert list(Message.objects.values_list("pk", "body")) == [(first.pk, "【测试】您好")]


def test_a_due_message_is_sent_once_and_keeps_the_provider_id(mall, sms_provider):
    message = queue(mall)
    assert messages_dispatch(now=at(2, 10)) == 1
    assert messages_dispatch(now=at(2, 11)) == 0
    message.refresh_from_db()
    assert RecordingProvider.sent == [message.pk]
    assert (message.status, message.provider, message.provider_message_id) == (
        "sent",
        "recording",
        f"id-{message.pk}",
    )
    assert message.attempts == 1 and message.sent_at == at(2, 10)


def test_a_message_due_later_waits_for_its_time(mall, sms_provider):
    queue(mall, due_at=at(2, 15))
    assert messages_dispatch(now=at(2, 14, 59)) == 0
    assert messages_dispatch(now=at(2, 15)) == 1


def test_a_provider_error_is_retried_with_exponential_backoff(mall, sms_provider, settings):
    # given a provider that is down
    sms_provider("DownProvider")
    settings.NOTIFY_RETRY_BASE_SECONDS = 60
    message = queue(mall)
    # when the dispatcher runs each time the message is due again
    waits = []
    now = at(2, 10)
    for _ in range(settings.NOTIFY_MAX_ATTEMPTS):
        messages_dispatch(now=now)
        # a run before the next attempt is due does not try
        messages_dispatch(now=now + datetime.timedelta(seconds=1))
        message.refresh_from_db()
        if message.status == Message.Status.PENDING:
            waits.append((message.next_attempt_at - now).total_seconds())
            now = message.next_attempt_at
    # then the waits doubled, and after the last attempt it failed for good
    assert waits == [60, 120, 240, 480]
    assert message.status == Message.Status.FAILED
    assert DownProvider.calls == message.attempts == settings.NOTIFY_MAX_ATTEMPTS
    assert "busy" in message.last_error


def test_a_permanent_refusal_is_never_retried(mall, sms_provider):
    sms_provider("RefusingProvider")
    message = queue(mall)
    messages_dispatch(now=at(2, 10))
    messages_dispatch(now=at(3, 10))
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED and RefusingProvider.calls == 1
    assert "IncorrectPhoneNumber" in message.last_error


@pytest.mark.parametrize(
    ("category", "audience", "held"),
    [
        (Message.Category.REMINDER, Message.Audience.CUSTOMER, True),
        (Message.Category.MARKETING, Message.Audience.CUSTOMER, True),
        (Message.Category.CASE_UPDATE, Message.Audience.CUSTOMER, False),
        (Message.Category.REMINDER, Message.Audience.STAFF, False),
    ],
)
def test_quiet_hours_hold_reminders_to_customers_until_eight(
    mall, desk_user, sms_provider, category, audience, held
):
    # given a message queued at 22:30 local time
    MemberFactory(mall=mall, registered_by=desk_user, phone="13800000001", consent_marketing=True)
    message = queue(mall, category=category, audience=audience, now=at(2, 22, 30))
    # when the dispatcher runs at once
    messages_dispatch(now=at(2, 22, 30))
    message.refresh_from_db()
    if held:
        # then a reminder to a customer waits (not dropped, not an attempt)
        assert (message.status, message.attempts) == ("pending", 0)
        assert message.next_attempt_at == at(3, 8)
        assert messages_dispatch(now=at(3, 7, 59)) == 0
        assert messages_dispatch(now=at(3, 8)) == 1
    else:
        # then an update about their own case, or a message to staff, goes now
        assert message.status == "sent"


def test_quiet_hours_before_eight_wait_until_eight_the_same_day(mall):
    message = queue(mall, category=Message.Category.REMINDER, now=at(3, 6))
    assert rules.quiet_until(message, at(3, 6)) == at(3, 8)
    assert rules.quiet_until(message, at(3, 8)) is None
    assert rules.quiet_until(message, at(3, 20, 59)) is None


def test_do_not_contact_on_the_member_record_refuses_reminders_not_case_updates(
    mall, desk_user, sms_provider
):
    # given a member who asked not to be contacted
    MemberFactory(mall=mall, registered_by=desk_user, phone="13800000001", do_not_call=True)
    reminder = queue(mall, category=Message.Category.REMINDER)
    update = queue(mall, category=Message.Category.CASE_UPDATE)
    # when both are dispatched
    messages_dispatch(now=at(2, 10))
    reminder.refresh_from_db()
    update.refresh_from_db()
    # then the reminder is refused for good, the case update goes
    assert (reminder.status, reminder.last_error) == ("failed", "refused: do_not_contact")
    assert update.status == "sent"
    assert RecordingProvider.sent == [update.pk]


def test_marketing_needs_the_members_consent(mall, desk_user, sms_provider):
    MemberFactory(mall=mall, registered_by=desk_user, phone="13800000001")
    MemberFactory(mall=mall, registered_by=desk_user, phone="13800000002", consent_marketing=True)
    refused = queue(mall, category=Message.Category.MARKETING)
    allowed = queue(mall, category=Message.Category.MARKETING, recipient="13800000002")
    messages_dispatch(now=at(2, 10))
    assert Message.objects.get(pk=refused.pk).last_error == "refused: no_consent"
    assert RecordingProvider.sent == [allowed.pk]


def test_the_daily_cap_holds_the_rest_until_the_next_morning(mall, sms_provider, settings):
    # given a cap of two notices a day for a customer, and three due
    settings.NOTIFY_DAILY_CAP = 2
    messages = [queue(mall) for _ in range(3)]
    urgent = queue(mall, category=Message.Category.CASE_UPDATE)
    # when they are dispatched
    assert messages_dispatch(now=at(2, 10)) == 3
    # then two notices and the case update went; the third waits for tomorrow
    third = Message.objects.get(pk=messages[2].pk)
    assert (third.status, third.next_attempt_at) == ("pending", at(3, 8))
    assert Message.objects.get(pk=urgent.pk).status == "sent"
    assert messages_dispatch(now=at(3, 8)) == 1


@pytest.mark.parametrize(
    ("length", "segments"),
    [(0, 0), (1, 1), (70, 1), (71, 2), (134, 2), (135, 3)],
)
def test_sms_length_counts_70_characters_then_67_a_segment(length, segments):
    result = rules.sms_length("投" * length)
    assert (result.chars, result.segments) == (length, segments)
    assert result.per_segment == (70 if length <= 70 else 67)


def test_sms_length_counts_the_signature():
    # 【商场】 is four characters on the handset
    assert rules.sms_length("投" * 66, sign_name="商场").segments == 1
    assert rules.sms_length("投" * 67, sign_name="商场").segments == 2


def test_the_console_records_without_a_provider(mall):
    # given no SMS provider (the default: console)
    message = queue(mall)
    # when dispatched
    assert messages_dispatch(now=at(2, 10)) == 1
    # then it is recorded, not sent, and says so
    message.refresh_from_db()
    assert (message.status, message.provider) == ("recorded", "console")


def test_bulk_loading_holds_the_dispatch_kicks_and_kicks_once_at_the_end(
    mall, sms_provider, django_capture_on_commit_callbacks
):
    # given messages queued while the demo data loads (kicks held)
    with django_capture_on_commit_callbacks(execute=True):
        with kicks_held():
            first, second = queue(mall), queue(mall)
            # then a kick meanwhile (another process's commit) sends nothing
            services._kick()
            assert RecordingProvider.sent == []
    # and the one kick at the end sends both
    assert sorted(RecordingProvider.sent) == [first.pk, second.pk]
