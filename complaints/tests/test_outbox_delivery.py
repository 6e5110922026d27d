"""The outbox sends each message once even when the worker dies mid-batch,
and two summary runs at once mail one summary once (issue 24, items 4, 6)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from complaints.models import Summary
from complaints.services.reports import summary_build
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_queue
from mallservice.notifications.services import messages_dispatch as outbox_dispatch


class WorkerKilled(BaseException):
    """What the process sees of a kill: nothing after it runs (not an
    Exception, so no handler of the dispatcher catches it)."""


class DiesAfterSecondSendBackend(EmailBackend):
    """Hands messages to the mail server (locmem) and dies right after the
    second one was accepted, before anything else happens."""

    sent = 0

    def send_messages(self, messages):
        count = super().send_messages(messages)
        type(self).sent += count
        if type(self).sent == 2:
            raise WorkerKilled
        return count


def _message_ids() -> list[str]:
    return [m.message()["Message-ID"] for m in mail.outbox]


@pytest.fixture
def three_emails(mall):
    return [
        message_queue(
            mall_id=mall.pk,
            kind="complaints.escalation",
            channel=Message.Channel.EMAIL,
            category=Message.Category.ALERT,
            audience=Message.Audience.STAFF,
            recipient=f"boss{i}@example.com",
            subject=f"#{i}",
            body="…",
            key=f"test:{i}",
            now=timezone.now() - datetime.timedelta(seconds=3 - i),
        )
        for i in range(3)
    ]


@pytest.mark.django_db
def test_a_crash_mid_batch_never_sends_a_sent_message_again(three_emails, settings):
    first, second, third = three_emails
    settings.OUTBOX_SENDING_STALE_SECONDS = 300
    start = timezone.now()
    # given a worker that dies right after the mail server took the second message
    DiesAfterSecondSendBackend.sent = 0
    settings.EMAIL_BACKEND = f"{__name__}.DiesAfterSecondSendBackend"
    with pytest.raises(WorkerKilled):
        outbox_dispatch(now=start)
    # then the first is marked sent, the second is "sending", the third untouched
    states = {m.pk: m.status for m in Message.objects.all()}
    assert states == {first.pk: "sent", second.pk: "sending", third.pk: "pending"}
    # when the next dispatcher runs a minute later
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_dispatch(now=start + datetime.timedelta(minutes=1)) == 1
    # then only the third goes out: the first is never sent twice
    assert [m.subject for m in mail.outbox] == ["#0", "#1", "#2"]
    # and once the claim is stale the second is sent again, with the same
    # Message-ID (the receiving side drops the copy)
    assert outbox_dispatch(now=start + datetime.timedelta(minutes=6)) == 1
    ids = _message_ids()
    assert ids[1] == ids[3] == f"<message-{second.pk}@mallservice>"
    assert len(set(ids)) == 3
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_each_message_carries_its_own_stable_message_id(three_emails):
    outbox_dispatch()
    assert _message_ids() == [f"<message-{m.pk}@mallservice>" for m in three_emails]


@pytest.fixture
def summary_mall(mall):
    mall.report_recipients = "boss@example.com"
    mall.save()
    return mall


def _week() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today - datetime.timedelta(days=6), today


@pytest.mark.django_db
def test_a_rebuilt_summary_is_not_mailed_again(summary_mall):
    start, end = _week()
    for _ in range(2):
        summary_build(mall=summary_mall, period=Summary.Period.WEEK, starts_on=start, ends_on=end)
    assert Message.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_summary_runs_at_once_mail_the_summary_once(summary_mall):
    # given two runs (two aligned beats' dispatchers) building the same summary
    start, end = _week()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            summary_build(
                mall=summary_mall, period=Summary.Period.WEEK, starts_on=start, ends_on=end
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # when the outbox is sent
    outbox_dispatch()
    # then one summary, one e-mail
    assert errors == []
    assert Summary.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_daily_summary_is_not_mailed_the_daily_report_carries_the_day(summary_mall):
    # given the mall's report recipients
    today = timezone.localdate()
    # when a day's summary is built (the supervisor's button)
    summary = summary_build(
        mall=summary_mall, period=Summary.Period.DAY, starts_on=today, ends_on=today
    )
    # then it is stored, and the day goes out only in the desk's daily report
    assert summary.emailed_to == [] and not Message.objects.exists()
