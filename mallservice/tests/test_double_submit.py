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
from contextlib import nullcontext
from types import SimpleNamespace

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.models import Complaint, Escalation
from complaints.services.desk import desk_config_ensure
from mallservice.models import SubmissionToken
from mallservice.notifications.models import Message
from mallservice.tests.submit_cases import CASES
from mallservice.tests.submit_cases.complaints import intake

TOKEN = re.compile(rb'name="submission_token" value="([0-9a-f-]{36})"')


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Signatures and photos go under a throw-away media root.
    settings.MEDIA_ROOT = tmp_path / "media"


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


def _token(content: bytes, action: str | None = None) -> dict[str, str]:
    """The token of the form on the page (of the one posting to `action`
    when the page has several forms)."""
    start = content.find(f'action="{action}"'.encode()) if action else 0
    found = TOKEN.search(content, max(start, 0))
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
    with time_machine.travel(case.clock(world), tick=True) if case.clock else nullcontext():
        page = client.get(case.page(world) if case.page else url)
        assert page.status_code == 200
        data = {**case.data(world), **_token(page.content, url if case.page else None)}
        before = case.count(world)
        # when it is submitted twice, as a double click does
        first = client.post(url, {**data, **case.files(world)})
        second = client.post(url, {**data, **case.files(world)})
    # then one record was made, and the second submit shows the first result
    assert first.status_code == 302, _errors(first.content)
    assert case.count(world) == before + 1
    assert second.status_code == 302
    assert second.url == first.url
    if "submission_token" in data:
        with translation.override(second.wsgi_request.LANGUAGE_CODE):
            note = translation.gettext("This form was already submitted; here is the result.")
        assert note in [m.message for m in get_messages(second.wsgi_request)]


@pytest.mark.django_db(transaction=True)
def test_ten_identical_intake_posts_at_once_make_one_complaint_one_sms_one_escalation_set(
    world,
):
    # given the intake form rendered once
    browser = Client()
    browser.force_login(world.desk_user)
    url = reverse("complaints:create")
    data = {**intake(world), **_token(browser.get(url).content)}
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
    assert Message.objects.filter(channel=Message.Channel.SMS).count() == 1
    assert Escalation.objects.filter(complaint=complaint).exists()
    assert not Escalation.objects.exclude(complaint=complaint).exists()
    assert SubmissionToken.objects.get().result_url == reverse(
        "complaints:slip", args=[complaint.pk]
    )
