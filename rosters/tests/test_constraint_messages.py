"""Leave whose last day comes before its first is refused on the "to" field
in Chinese - not Django's "约束 “leave_period_in_order” 是无效的"."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from rosters.models import LeaveRequest

END_BEFORE_START = "结束日期不能早于开始日期。"


def test_leave_ending_before_it_starts_is_refused_on_the_end_date(client, desk_user, mall):
    client.force_login(desk_user)
    start = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("rosters:leave"),
        {
            "kind": "annual",
            "start_date": start.isoformat(),
            "end_date": (start - datetime.timedelta(days=2)).isoformat(),
            "reason": "回老家",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["end_date"] == [END_BEFORE_START]
    assert not form.non_field_errors()
    html = response.content.decode()
    assert END_BEFORE_START in html and "约束" not in html
    assert not LeaveRequest.objects.exists()
