"""The desk's daily report: every app's figures for one mall-day, stored,
shown in Chinese, printable, e-mailed once (retried after a mail failure)."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.tests.factories import make_complaint
from mailroom.tests.factories import make_found_item, make_parcel
from mallservice.daily_report import stored_sections
from mallservice.models import DailyReport
from mallservice.services import daily_report_build, daily_reports_dispatch
from members.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server down")


def figures(report: DailyReport) -> dict[str, dict[str, object]]:
    return {
        s.key: {line.label: line.value for line in s.lines} for s in stored_sections(report.data)
    }


@pytest.fixture
def day_of_work(mall, other_mall, desk_user):
    """Today in `mall`: two complaints, one parcel, one found item, one new
    member; yesterday's complaint and the other mall's records don't count."""
    now = timezone.now()
    for _ in range(2):
        make_complaint(actor=desk_user, mall=mall, now=now)
    make_complaint(actor=desk_user, mall=mall, now=now - datetime.timedelta(days=1))
    make_parcel(actor=desk_user, mall=mall, now=now)
    make_parcel(actor=desk_user, mall=other_mall, now=now)
    make_found_item(actor=desk_user, mall=mall, now=now)
    MemberFactory(mall=mall, registered_by=desk_user)
    MemberFactory(mall=other_mall, registered_by=desk_user)
    return now


def test_report_counts_the_mall_day_from_every_app(mall, day_of_work):
    report = daily_report_build(mall=mall, day=timezone.localdate(day_of_work), now=timezone.now())
    got = figures(report)
    assert set(got) == {"members", "complaints", "broadcasts", "mailroom", "rosters", "desk"}
    assert got["complaints"]["Complaints received"] == 2
    assert got["complaints"]["Complaints still open"] == 3
    assert got["mailroom"]["Parcels received"] == 1
    assert got["mailroom"]["Parcels waiting for pick-up"] == 1
    assert got["mailroom"]["Found items logged"] == 1
    assert got["members"]["Members registered"] == 1


def test_rebuild_replaces_figures_and_keeps_one_report(mall, desk_user, day_of_work):
    day = timezone.localdate(day_of_work)
    first = daily_report_build(mall=mall, day=day, now=timezone.now())
    make_parcel(actor=desk_user, mall=mall, now=timezone.now())
    again = daily_report_build(mall=mall, day=day, now=timezone.now())
    assert again.pk == first.pk
    assert figures(again)["mailroom"]["Parcels received"] == 2
    assert DailyReport.objects.filter(mall=mall, day=day).count() == 1


def _at(hour: int, minute: int) -> datetime.datetime:
    return timezone.localtime().replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_dispatch_builds_at_report_time_once_and_mails_once(mall, other_mall):
    mall.report_recipients = "kefu@example.com\nmanager@example.com"
    mall.save()
    other_mall.is_active = False
    other_mall.save()
    assert daily_reports_dispatch(now=_at(17, 30)) == 0
    assert daily_reports_dispatch(now=_at(17, 46)) == 1
    assert daily_reports_dispatch(now=_at(17, 51)) == 0
    report = DailyReport.objects.get(mall=mall)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kefu@example.com", "manager@example.com"]
    assert "每日" in mail.outbox[0].subject and "投诉" in mail.outbox[0].body
    assert report.emailed_at is not None


def test_a_mail_failure_is_retried_at_the_next_dispatch(mall, other_mall, settings):
    mall.report_recipients = "kefu@example.com"
    mall.save()
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    daily_reports_dispatch(now=_at(17, 46))
    report = DailyReport.objects.get(mall=mall)
    assert report.emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    daily_reports_dispatch(now=_at(17, 51))
    report.refresh_from_db()
    assert report.emailed_at is not None and report.emailed_to == ["kefu@example.com"]
    assert len(mail.outbox) == 1


def test_recipients_must_be_email_addresses(mall):
    mall.report_recipients = "kefu@example.com\nnot-an-address"
    with pytest.raises(ValidationError) as error:
        mall.full_clean()
    assert "not-an-address" in str(error.value.message_dict["report_recipients"])


def test_supervisor_builds_reads_and_prints_in_chinese(client, supervisor_user, mall, day_of_work):
    client.force_login(supervisor_user)
    response = client.post(reverse("daily_report_build"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    report = DailyReport.objects.get(mall=mall)
    assert response.status_code == 302 and response.url == reverse("daily_report", args=[report.pk])
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "收到投诉" in page and "data-print" in page
    listing = client.get(reverse("daily_reports"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert report.day.strftime("%Y-%m-%d") in listing.content.decode()


def test_reports_are_scoped_to_the_users_malls(client, other_mall, supervisor_user):
    foreign = daily_report_build(mall=other_mall, day=timezone.localdate(), now=timezone.now())
    client.force_login(supervisor_user)
    assert client.get(reverse("daily_report", args=[foreign.pk])).status_code == 404
    assert client.post(reverse("daily_report_build"), {"mall": other_mall.pk}).status_code == 404


def test_desk_staff_cannot_read_or_build_reports(client, desk_user):
    client.force_login(desk_user)
    assert client.get(reverse("daily_reports")).status_code == 403
    assert client.post(reverse("daily_report_build")).status_code == 403


def test_report_list_queries_do_not_grow(client, supervisor_user, mall):
    client.force_login(supervisor_user)
    client.get(reverse("daily_reports"))  # session and caches warmed

    def queries_with(reports: int) -> int:
        for offset in range(reports):
            daily_report_build(
                mall=mall,
                day=timezone.localdate() - datetime.timedelta(days=offset),
                now=timezone.now(),
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("daily_reports")).status_code == 200
        return len(queries)

    assert queries_with(1) == queries_with(6)


def test_the_daily_report_list_filters_by_mall_and_day_and_shows_a_bad_value(
    client, manager_user, mall, other_mall
):
    # given reports of two malls on two days
    day = datetime.date(2026, 11, 30)
    for where in (mall, other_mall):
        for offset in (0, 1):
            DailyReport.objects.create(
                mall=where,
                day=day + datetime.timedelta(days=offset),
                generated_at=timezone.now(),
                data=[],
            )
    client.force_login(manager_user)
    url = reverse("daily_reports")
    # when the manager picks one mall and one day, the list shows that report
    page = client.get(url, {"mall": mall.pk, "day_from": "2026-12-01", "day_to": "2026-12-01"})
    assert [(r.mall, r.day) for r in page.context["reports"]] == [
        (mall, datetime.date(2026, 12, 1))
    ]
    # and a hand-edited link filters nothing and says what was wrong
    page = client.get(url, {"mall": "abc", "day_from": "yesterday"})
    assert page.status_code == 200
    assert len(page.context["reports"]) == 4
    assert 'data-testid="error-day_from"' in page.content.decode()
