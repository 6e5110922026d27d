"""The broadcast room's forms assume nothing dangerous and refuse what they
cannot do, instead of quietly doing something else (issue: counter faults)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from broadcasts.models import Announcement


def test_a_free_request_names_its_kind_rather_than_defaulting_to_evacuation(client, desk_user):
    client.force_login(desk_user)
    url = reverse("broadcasts:announcement_create")
    page = client.get(url).content.decode()
    # the first option, preselected, is the empty one — not 紧急/疏散
    assert '<option value="" selected>' in page
    response = client.post(url, {"script": "请注意", "repetitions": 1, "interval_minutes": 5})
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not Announcement.objects.exists()


def test_a_wished_time_in_the_past_is_refused_not_moved_to_now(client, desk_user):
    client.force_login(desk_user)
    past = timezone.localtime() - datetime.timedelta(hours=2)
    response = client.post(
        reverse("broadcasts:announcement_create"),
        {
            "kind": "other",
            "script": "请注意",
            "wanted_at": past.strftime("%Y-%m-%dT%H:%M"),
            "repetitions": 1,
            "interval_minutes": 5,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["wanted_at"] == ["该时间已过。如需尽快播出，请留空。"]
    assert not Announcement.objects.exists()
    # while a time ahead is kept as asked
    soon = timezone.localtime() + datetime.timedelta(hours=1)
    client.post(
        reverse("broadcasts:announcement_create"),
        {
            "kind": "other",
            "script": "请注意",
            "wanted_at": soon.strftime("%Y-%m-%dT%H:%M"),
            "repetitions": 1,
            "interval_minutes": 5,
        },
    )
    assert timezone.localtime(Announcement.objects.get().wanted_at).strftime(
        "%H:%M"
    ) == soon.strftime("%H:%M")


def test_the_message_list_names_the_days_and_the_priority(client, desk_user, post_message):
    post_message(weekdays=[5, 3, 4], priority=5)
    client.force_login(desk_user)
    page = client.get(reverse("broadcasts:message_list")).content.decode()
    assert "周四、周五、周六" in page
    assert "<td>高</td>" in page
    assert "3,4,5" not in page


def test_priority_is_chosen_by_name_on_the_form(client, desk_user):
    client.force_login(desk_user)
    page = client.get(reverse("broadcasts:message_create")).content.decode()
    assert '<option value="9">最高</option>' in page
    assert '<option value="0" selected>普通</option>' in page


def test_a_script_reads_with_field_names_not_placeholder_codes(client, desk_user, templates):
    # given a promotion script "{shop_name}{event_name}：{event_details}"
    client.force_login(desk_user)
    # when the desk starts a request from it, or reads the list of scripts
    request_page = client.get(
        reverse("broadcasts:announcement_create"), {"template": templates["promo"].pk}
    ).content.decode()
    list_page = client.get(reverse("broadcasts:template_list")).content.decode()
    # then each placeholder reads as its field's Chinese label
    for page in (request_page, list_page):
        assert "【商户】【活动】：【优惠内容】" in page
        assert "{shop_name}" not in page and "{event_details}" not in page
