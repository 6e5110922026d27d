from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from desk.models import WalkInCategory, WalkInService, WalkInServiceEvent
from desk.selectors import walkin_by_hour
from desk.services.walkins import walkin_record
from mallservice.audit import Source, actor_context
from mallservice.tests.factories import MallFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')


def test_a_new_mall_gets_the_default_categories():
    mall = MallFactory(code="new")
    codes = set(WalkInCategory.objects.filter(mall=mall).values_list("code", flat=True))
    assert {"enquiry", "directions", "gift_wrap", "phone_charge", "umbrella"} <= codes


def test_a_click_is_one_insert_and_names_its_actor(desk_user, enquiry):
    token = str(uuid.uuid4())
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        with CaptureQueriesContext(connection) as queries:
            walkin_record(actor=desk_user, category=enquiry, token=token)
    # one round trip: the INSERT (the audit context rides in front of it)
    (query,) = queries.captured_queries
    assert 'INSERT INTO "desk_walkinservice"' in query["sql"] and "ON CONFLICT" in query["sql"]
    row = WalkInService.objects.get()
    assert row.mall == enquiry.mall and row.by == desk_user
    assert WalkInServiceEvent.objects.get(pgh_obj=row).pgh_context["user"] == desk_user.pk


def test_a_double_click_counts_once(client, desk_user, mall, enquiry):
    # given the tally page as the desk sees it
    client.force_login(desk_user)
    page = client.get(reverse("desk:walkins")).content.decode()
    token = TOKEN.search(page[page.index('data-testid="tally-enquiry"') - 800 :]).group(1)
    url = reverse("desk:walkin_tally", args=[enquiry.pk])
    # when the same button is sent twice (a double click)
    first = client.post(url, {"token": token}, headers={"HX-Request": "true"})
    second = client.post(url, {"token": token}, headers={"HX-Request": "true"})
    # then one service is counted, and each answer is the button with a new token
    assert WalkInService.objects.count() == 1
    assert first.status_code == second.status_code == 200
    assert 'data-testid="tally-count-enquiry">1<' in second.content.decode()
    fresh = TOKEN.search(first.content.decode()).group(1)
    assert fresh != token
    # and the next click with the new token counts again
    client.post(url, {"token": fresh}, headers={"HX-Request": "true"})
    assert WalkInService.objects.count() == 2


def test_another_malls_button_is_not_found(client, desk_user, other_mall):
    theirs = WalkInCategory.objects.get(mall=other_mall, code="enquiry")
    client.force_login(desk_user)
    response = client.post(
        reverse("desk:walkin_tally", args=[theirs.pk]), {"token": str(uuid.uuid4())}
    )
    assert response.status_code == 404
    assert not WalkInService.objects.exists()


def test_the_load_is_counted_by_local_hour(supervisor_user, mall, enquiry, desk_user):
    # given services at 09:30 and 09:50 and one at 14:05, Shanghai time
    day = datetime.date(2026, 11, 27)
    directions = WalkInCategory.objects.get(mall=mall, code="directions")
    for category, hour, minute in [(enquiry, 9, 30), (enquiry, 9, 50), (directions, 14, 5)]:
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        walkin_record(actor=desk_user, category=category, token=str(uuid.uuid4()), now=at)
    # when the supervisor reads the day's load
    hours, rows = walkin_by_hour(user=supervisor_user, mall=mall, day=day)
    # then the hours are local ones, and categories by count
    assert hours == [9, 14]
    assert [(row["name"], row["cells"], row["total"]) for row in rows] == [
        ("问询", [2, 0], 2),
        ("指路", [0, 1], 1),
    ]


def test_the_load_page_is_the_supervisors(client, desk_user, supervisor_user, enquiry):
    walkin_record(actor=desk_user, category=enquiry, token=str(uuid.uuid4()))
    client.force_login(desk_user)
    assert client.get(reverse("desk:walkin_load")).status_code == 403
    client.force_login(supervisor_user)
    response = client.get(reverse("desk:walkin_load"))
    assert response.status_code == 200
    assert 'data-testid="walkin-load"' in response.content.decode()
