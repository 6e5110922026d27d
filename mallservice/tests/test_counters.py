"""Numbering counters: the next number in one statement, per key, audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pghistory.models import Events

from complaints.models import DailyCounter
from mallservice.counters import counter_next

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 27)


def test_each_call_gives_the_next_number_of_its_own_key_in_one_statement(mall, other_mall):
    # Given no counter yet: the first number is 1, in one statement
    with CaptureQueriesContext(connection) as queries:
        assert counter_next(DailyCounter, mall=mall, series="complaint", day=DAY) == 1
    assert len(queries) == 1
    # When the key is asked again, and other keys for the first time
    second = counter_next(DailyCounter, mall=mall, series="complaint", day=DAY)
    other_series = counter_next(DailyCounter, mall=mall, series="fault", day=DAY)
    other_mall_first = counter_next(DailyCounter, mall=other_mall, series="complaint", day=DAY)
    # Then each key counts on its own, one row each
    assert (second, other_series, other_mall_first) == (2, 1, 1)
    row = DailyCounter.objects.get(mall=mall, series="complaint", day=DAY)
    assert row.last_number == 2
    assert DailyCounter.objects.count() == 3
    # and the row's history has its creation and its step up
    labels = [event.pgh_label for event in Events.objects.tracks(row).order_by("pgh_created_at")]
    assert labels == ["insert", "update"]
