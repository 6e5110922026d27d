"""A screen message whose end comes before its start is refused on the
"until" field in Chinese, whether it is entered, changed while it waits, or
changed while it plays - never Django's "约束 … 是无效的" nor a 500."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from broadcasts.models import ScreenMessage, ScreenMessageEdit

from .conftest import NOW

END_BEFORE_START = "结束日期不能早于开始日期。"


def _data(screen, **changes):
    today = timezone.localdate(NOW)
    data = {
        "title": "圣诞快乐",
        "text": "全场八折",
        "screens": [screen.pk],
        "starts_on": today.isoformat(),
        "ends_on": (today - datetime.timedelta(days=1)).isoformat(),
        "duration_seconds": 10,
        "priority": 0,
    }
    data.update(changes)
    return data


def _assert_refused_on_ends_on(response):
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ends_on"] == [END_BEFORE_START]
    assert not form.non_field_errors()
    html = response.content.decode()
    assert END_BEFORE_START in html and "约束" not in html


def test_a_new_message_ending_before_it_starts_is_refused_on_the_field(client, desk_user, screen):
    client.force_login(desk_user)
    response = client.post(reverse("broadcasts:message_create"), _data(screen))
    _assert_refused_on_ends_on(response)
    assert not ScreenMessage.objects.exists()


@pytest.mark.parametrize("author", ["desk_user", "supervisor_user"])
def test_changing_a_message_to_end_before_it_starts_is_refused_on_the_field(
    client, request, screen, post_message, author
):
    """A waiting message is changed in place, and so is a supervisor's
    change of a live one."""
    user = request.getfixturevalue(author)
    message = post_message(actor=user)
    before = (message.state, message.title, message.starts_on, message.ends_on)
    client.force_login(user)
    response = client.post(reverse("broadcasts:message_edit", args=[message.pk]), _data(screen))
    _assert_refused_on_ends_on(response)
    message.refresh_from_db()
    assert (message.state, message.title, message.starts_on, message.ends_on) == before
    assert not ScreenMessageEdit.objects.exists()


def test_desk_staffs_change_of_a_live_message_ending_before_it_starts_is_refused(
    client, desk_user, screen, post_message
):
    live = post_message()
    assert live.state == ScreenMessage.State.APPROVED
    client.force_login(desk_user)
    response = client.post(reverse("broadcasts:message_edit", args=[live.pk]), _data(screen))
    _assert_refused_on_ends_on(response)
    assert not ScreenMessageEdit.objects.exists()
    live.refresh_from_db()
    assert live.title == "欢迎光临" and live.ends_on is None
