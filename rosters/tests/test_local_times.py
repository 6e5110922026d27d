"""Every time staff read is the mall's local time (Asia/Shanghai), never
UTC: a shift from 08:30 is not shown as 00:30."""

from __future__ import annotations

import datetime

import time_machine
from django.contrib import admin
from django.urls import reverse
from import_export.formats.base_formats import XLSX

from rosters.models import Assignment, OffPostRecord
from rosters.services.swaps import swap_request_create

from .conftest import acting, at


def test_the_swaps_page_shows_shifts_in_local_time(client, published_week, desk_user, colleague):
    # given desk_user (A, 08:30–14:30) asks colleague (C, 14:30–21:00) to swap
    day = published_week.week_start
    mine = Assignment.objects.get(staff=desk_user, date=day)
    theirs = Assignment.objects.get(staff=colleague, date=day)
    with acting(desk_user):
        swap_request_create(actor=desk_user, mine=mine, theirs=theirs, reason="看病")
    client.force_login(desk_user)
    # when they look at the swaps page (the table and the form's shift lists)
    page = client.get(reverse("rosters:swaps"), {"mall": published_week.mall_id}).content.decode()
    # then every shift reads in local time
    assert f"{day:%m-%d} A 08:30" in page
    assert "08:30–14:30" in page and "14:30–21:00" in page
    # and none in UTC (08:30 local is 00:30 UTC, 14:30 is 06:30, 21:00 is 13:00)
    for utc in ("00:30", "06:30", "13:00"):
        assert utc not in page


def test_record_labels_are_in_local_time(published_week, desk_user):
    mine = Assignment.objects.get(staff=desk_user, date=published_week.week_start)
    assert mine.label().endswith("08:30")
    off_post = OffPostRecord(staff_id=desk_user.pk, out_at=at(published_week.week_start, 9, 15))
    assert str(off_post).endswith("09:15")


def test_an_admin_export_is_named_after_the_local_date(rf, manager_user):
    # at 01:00 on 3 December in Shanghai it is still 2 December in UTC
    model_admin = admin.site._registry[OffPostRecord]
    with time_machine.travel(datetime.datetime(2026, 12, 2, 17, 0, tzinfo=datetime.UTC)):
        name = model_admin.get_export_filename(rf.get("/"), OffPostRecord.objects.none(), XLSX())
    assert name == "OffPostRecord-2026-12-03.xlsx"
