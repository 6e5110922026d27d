"""A call campaign the database would refuse (a window that ends before it
starts, no attempts, …) is refused on the field, in Chinese, on its page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from members.models import Campaign


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("window_end", "09:00", "结束时间必须晚于开始时间。"),
        ("window_end", "10:00", "结束时间必须晚于开始时间。"),
        ("max_attempts", "0", "至少拨打 1 次。"),
        ("period_days", "0", "至少 1 天。"),
        ("birthday_month", "13", "请选择 1 到 12 月。"),
    ],
)
def test_a_campaign_the_database_would_refuse_is_refused_on_its_field(
    client, mall, supervisor_user, tiers, field, value, message
):
    data = {
        "name": "双十二大型促销通知",
        "kind": "promotion",
        "script": "您好……",
        "min_tier": tiers["silver"].pk,
        "min_balance": 0,
        "period_days": 30,
        "window_start": "10:00",
        "window_end": "20:00",
        "max_attempts": 2,
        "retry_minutes": 30,
        "starts_on": "2026-12-01",
        "is_active": "on",
        field: value,
    }
    client.force_login(supervisor_user)
    response = client.post(reverse("members:campaign_new"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert not form.non_field_errors()
    html = response.content.decode()
    assert message in html and "约束" not in html
    assert not Campaign.objects.exists()
