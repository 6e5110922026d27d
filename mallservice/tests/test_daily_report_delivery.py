"""The daily report is e-mailed once: two dispatchers at once send one
e-mail, and a worker that dies right after the send does not send it again
under another Message-ID (issue 24, items 4 and 6)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from mallservice.models import DailyReport
from mallservice.services import daily_report_build, daily_report_email, daily_reports_dispatch


class WorkerKilled(BaseException):
    """What the process sees of a kill: nothing after it runs."""


class DiesAfterSendBackend(EmailBackend):
    """The mail server takes the message; the worker dies right after."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


@pytest.fixture
def report(mall):
    mall.report_recipients = "kefu@example.com"
    mall.save()
    return daily_report_build(mall=mall, day=timezone.localdate(), now=timezone.now())


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_mail_the_report_once(report):
    # given two dispatchers that both found the report unsent
    loaded = [DailyReport.objects.select_related("mall").get(pk=report.pk) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(copy: DailyReport) -> None:
        try:
            barrier.wait()
            daily_report_email(report=copy)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(copy,)) for copy in loaded]
    # when both send it at the same moment
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one e-mail went out
    assert errors == []
    assert len(mail.outbox) == 1
    report.refresh_from_db()
    assert report.emailed_at is not None


@pytest.mark.django_db
def test_a_crash_after_the_send_resends_with_the_same_message_id(report, settings):
    settings.OUTBOX_SENDING_STALE_SECONDS = 300
    start = timezone.now()
    # given a worker that dies right after the mail server took the report
    settings.EMAIL_BACKEND = f"{__name__}.DiesAfterSendBackend"
    with pytest.raises(WorkerKilled):
        daily_reports_dispatch(now=start)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # when the dispatcher runs within the claim window, then after it
    daily_reports_dispatch(now=start + datetime.timedelta(minutes=1))
    assert len(mail.outbox) == 1
    daily_reports_dispatch(now=start + datetime.timedelta(minutes=6))
    # then the copy carries the same Message-ID, so the receiver can drop it
    ids = [m.message()["Message-ID"] for m in mail.outbox]
    assert ids == [f"<daily-report-{report.pk}@mallservice>"] * 2
    report.refresh_from_db()
    assert report.emailed_at is not None
    daily_reports_dispatch(now=start + datetime.timedelta(minutes=20))
    assert len(mail.outbox) == 2
