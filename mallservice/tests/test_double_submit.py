"""Every create form runs once per rendering (issue 24, item 5).

A double click, a resubmit after a slow answer or a browser retry sends the
same form twice. Each create form carries a token made when the page was
rendered (`SubmitOnceFormMixin`); the second POST with it is sent to the
first one's result (`SubmitOnceMixin`) instead of creating a second record.
Forms that already held through a natural key (parcel check-in, pick-up,
points, swaps, clock-in, registration) are kept in the same test."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from complaints.models import Compensation, Complaint, Escalation, FaultReport, OutboxMessage
from complaints.models import PhoneCall as ComplaintCall
from complaints.services.desk import desk_config_ensure
from complaints.tests.factories import make_complaint
from mallservice.models import SubmissionToken

TOKEN = re.compile(rb'name="submission_token" value="([0-9a-f-]{36})"')


@dataclass(frozen=True)
class Case:
    """One create form: who opens it, where, what they type, what it makes."""

    id: str
    role: str
    url: Callable[[Any], str]
    data: Callable[[Any], dict[str, Any]]
    count: Callable[[Any], int]
    setup: Callable[[Any], None] = lambda w: None
    # The page the form is on, when it is not the page the form posts to.
    page: Callable[[Any], str] | None = None
    files: Callable[[Any], dict[str, Any]] = field(default=lambda w: {})


def _intake(w) -> dict[str, Any]:
    return {
        "mall": w.mall.pk,
        "channel": "desk",
        "complainant_name": "王先生",
        "complainant_phone": "138 1234 5678",
        "unit": w.shop.pk,
        "category": w.mall.category_set.get(code="parking").pk,
        "severity": "normal",
        "description": "停车费多收",
    }


def _with_complaint(w) -> None:
    w.complaint = make_complaint(actor=w.desk_user, mall=w.mall, unit=w.shop)


CASES = [
    Case(
        "complaint intake",
        "desk_user",
        url=lambda w: reverse("complaints:create"),
        data=_intake,
        count=lambda w: Complaint.objects.count(),
    ),
    Case(
        "phone log entry",
        "desk_user",
        url=lambda w: reverse("complaints:calls"),
        data=lambda w: {
            "mall": w.mall.pk,
            "direction": "in",
            "caller_name": "李女士",
            "phone": "13912345678",
            "topic": "inquiry",
            "summary": "问营业时间",
        },
        count=lambda w: ComplaintCall.objects.count(),
    ),
    Case(
        "fault report",
        "desk_user",
        url=lambda w: reverse("complaints:fault_create"),
        data=lambda w: {
            "mall": w.mall.pk,
            "unit": w.shop.pk,
            "fault_type": "lighting",
            "severity": "normal",
            "description": "筒灯不亮",
            "reporter_kind": "staff",
        },
        count=lambda w: FaultReport.objects.count(),
    ),
    Case(
        "compensation request",
        "desk_user",
        setup=_with_complaint,
        url=lambda w: reverse("complaints:detail", args=[w.complaint.pk]),
        data=lambda w: {
            "action": "compensation",
            "compensation-kind": "parking",
            "compensation-amount": "50",
            "compensation-note": "停车券",
        },
        count=lambda w: Compensation.objects.count(),
    ),
]


@pytest.fixture
def world(mall, other_mall, floor, shop, desk_user, broadcaster_user, supervisor_user):
    desk_config_ensure(mall=mall)
    return SimpleNamespace(
        mall=mall,
        other_mall=other_mall,
        floor=floor,
        shop=shop,
        desk_user=desk_user,
        broadcaster_user=broadcaster_user,
        supervisor_user=supervisor_user,
    )


def _token(content: bytes) -> dict[str, str]:
    found = TOKEN.search(content)
    return {"submission_token": found.group(1).decode()} if found else {}


def _errors(content: bytes) -> list[str]:
    """The error messages on a page shown again, for the failure report."""
    return re.findall(r"(?:danger|invalid-feedback|errorlist)[^>]*>([^<]+)<", content.decode())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_submitting_a_create_form_twice_creates_one_record(client, world, case):
    # given the form as the page renders it
    case.setup(world)
    client.force_login(getattr(world, case.role))
    url = case.url(world)
    page = client.get(case.page(world) if case.page else url)
    assert page.status_code == 200
    data = {**case.data(world), **_token(page.content)}
    before = case.count(world)
    # when it is submitted twice, as a double click does
    first = client.post(url, {**data, **case.files(world)})
    second = client.post(url, {**data, **case.files(world)})
    # then one record was made, and the second submit shows the first result
    assert first.status_code == 302, _errors(first.content)
    assert case.count(world) == before + 1
    assert second.status_code == 302
    assert second.url == first.url


@pytest.mark.django_db(transaction=True)
def test_ten_identical_intake_posts_at_once_make_one_complaint_one_sms_one_escalation_set(
    world,
):
    # given the intake form rendered once
    browser = Client()
    browser.force_login(world.desk_user)
    url = reverse("complaints:create")
    data = {**_intake(world), **_token(browser.get(url).content)}
    cookies = browser.cookies
    start = threading.Barrier(10)
    statuses: list[int] = []

    def submit() -> None:
        # Each thread is its own request with its own database connection,
        # as ten gunicorn workers would be.
        client = Client()
        client.cookies = cookies
        try:
            start.wait()
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    # when it is sent ten times at once
    threads = [threading.Thread(target=submit) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one complaint, one SMS and one set of escalation rows were made;
    # every submit was answered with the complaint's slip
    complaint = Complaint.objects.get()
    assert statuses == [302] * 10
    assert OutboxMessage.objects.filter(channel=OutboxMessage.Channel.SMS).count() == 1
    assert Escalation.objects.filter(complaint=complaint).exists()
    assert not Escalation.objects.exclude(complaint=complaint).exists()
    assert SubmissionToken.objects.get().result_url == reverse(
        "complaints:slip", args=[complaint.pk]
    )
