"""Every page of the broadcast room, as the desk sees it in Chinese: no
English left, every form checked by the server (`novalidate`), the
irreversible buttons confirm first, each action says what it did."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from broadcasts import services
from broadcasts.models import Announcement, AnnouncementKind, ScreenMessage

from .conftest import NOW


@pytest.fixture
def room(mall, desk_user, supervisor_user, templates, screen, post_message):
    """A broadcast room with one of everything: a queued car move, a
    promotion waiting, a missing child, a live message with a change
    waiting, a routine slot."""
    services.routine_slot_save(
        actor=supervisor_user, mall=mall, template=templates["routine"], at=NOW.time()
    )
    car = services.announcement_request(
        actor=desk_user, mall=mall, kind=AnnouncementKind.CAR_MOVE, script="请移车"
    )
    promo = services.announcement_request(
        actor=desk_user, mall=mall, kind=AnnouncementKind.PROMOTION, script="周末特惠"
    )
    case = services.missing_case_open(
        actor=desk_user,
        mall=mall,
        person_kind="child",
        description="短发",
        clothing="红色羽绒服",
        last_seen_place="三层",
        last_seen_at=timezone.now(),
        reporter_name="王女士",
        reporter_phone="13800138000",
        meeting_point="一楼客服台",
    )
    # Live today whatever the date the test runs on.
    message = post_message(starts_on=timezone.localdate() - datetime.timedelta(days=1), priority=5)
    edit = services.screen_message_edit(
        actor=desk_user,
        message=message,
        title="新标题",
        text=message.text,
        screens=[screen],
        starts_on=message.starts_on,
        weekdays=[3, 4],
        priority=9,
    )
    return {"car": car, "promo": promo, "case": case, "message": message, "edit": edit}


def _pages(room, screen):
    return [
        reverse("broadcasts:queue"),
        reverse("broadcasts:announcement_list"),
        reverse("broadcasts:announcement_create"),
        reverse("broadcasts:announcement_detail", args=[room["car"].pk]),
        reverse("broadcasts:announcement_detail", args=[room["promo"].pk]),
        reverse("broadcasts:case_list"),
        reverse("broadcasts:case_create"),
        reverse("broadcasts:case_detail", args=[room["case"].pk]),
        reverse("broadcasts:template_list"),
        reverse("broadcasts:template_create"),
        reverse("broadcasts:routine_create"),
        reverse("broadcasts:routine_log"),
        reverse("broadcasts:message_list"),
        reverse("broadcasts:message_create"),
        reverse("broadcasts:message_edit", args=[room["message"].pk]),
        reverse("broadcasts:message_edit_detail", args=[room["edit"].pk]),
        reverse("broadcasts:screen_list"),
        reverse("broadcasts:screen_create"),
        reverse("broadcasts:screen_edit", args=[screen.pk]),
        reverse("broadcasts:live_log"),
    ]


def _main(html: str) -> str:
    """The page's own part (the menu bar and footer are the kernel's)."""
    return html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    # A script's {placeholders} are what the supervisor types, not UI text.
    text = re.sub(r"\{[a-z_]+\}", " ", text)
    # Nor is an address shown to be copied (a screen's player URL).
    return re.sub(r"\S*/\S*", " ", text)


# Words that are the same in the Chinese UI: Wi-Fi-like names, units.
ALLOWED_WORDS = {"PC"}


def test_every_page_is_chinese_and_every_form_is_checked_by_the_server(
    client, supervisor_user, room, screen
):
    client.force_login(supervisor_user)
    for url in _pages(room, screen):
        # given a supervisor opening each page of the broadcast room
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        main = _main(response.content.decode())
        # then no English word is left in what they read
        words = set(re.findall(r"[A-Za-z]{3,}", _visible_text(main))) - ALLOWED_WORDS
        assert not words, (url, words)
        # and no form lets the browser answer with its own (English) bubbles
        for form in re.findall(r"<form\b[^>]*>", main):
            assert "novalidate" in form, (url, form)


def test_the_screens_page_names_the_priority_and_the_seconds(client, supervisor_user, room):
    client.force_login(supervisor_user)
    page = client.get(reverse("broadcasts:screen_list")).content.decode()
    assert "10 秒 · 优先级 高" in page
    # "P5" as a word: a random player address may hold those two letters.
    assert not re.search(r"(?<![A-Za-z0-9])P5(?![A-Za-z0-9])", page)


def test_the_change_review_names_the_priority_and_the_days(client, supervisor_user, room):
    client.force_login(supervisor_user)
    url = reverse("broadcasts:message_edit_detail", args=[room["edit"].pk])
    page = client.get(url).content.decode()
    assert "最高" in page and "周四、周五" in page


@pytest.mark.parametrize(
    "url_name, key",
    [
        ("broadcasts:announcement_detail", "car"),
        ("broadcasts:announcement_detail", "promo"),
        ("broadcasts:case_detail", "case"),
        ("broadcasts:message_list", None),
        ("broadcasts:message_edit_detail", "edit"),
        ("broadcasts:screen_list", None),
    ],
)
def test_irreversible_one_click_actions_ask_first(client, supervisor_user, room, url_name, key):
    client.force_login(supervisor_user)
    url = reverse(url_name, args=[room[key].pk]) if key else reverse(url_name)
    main = _main(client.get(url).content.decode())
    for action in ("cancel", "reject", "withdraw", "resolve", "rotate"):
        for form in re.findall(rf'<form\b[^>]*action="[^"]*/{action}/"[^>]*>', main):
            assert "data-confirm=" in form, (url, form)


def test_cancelling_an_announcement_confirms_first(client, desk_user, room):
    client.force_login(desk_user)
    url = reverse("broadcasts:announcement_detail", args=[room["car"].pk])
    page = client.get(url).content.decode()
    assert 'data-confirm="确定取消该播报吗？尚未播出的重复播报将不再播出。"' in page


def _flash(response) -> list[str]:
    """The messages the response leaves for the next page (the last one:
    the test client does not follow the redirect that shows them)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_each_save_says_what_it_saved(client, supervisor_user, mall, screen, templates):
    client.force_login(supervisor_user)
    # a new script template, then a change to it
    response = client.post(
        reverse("broadcasts:template_create"),
        {"kind": "routine", "name": "闭店提示", "body": "本商场即将闭店。", "is_active": "on"},
    )
    assert _flash(response) == ["已添加播音稿模板 闭店提示。"]
    template = templates["routine"]
    response = client.post(
        reverse("broadcasts:template_edit", args=[template.pk]),
        {"kind": "routine", "name": "安全提示", "body": template.body, "is_active": "on"},
    )
    assert _flash(response) == ["播音稿模板 安全提示 已修改。"]
    # a time on the routine schedule
    response = client.post(
        reverse("broadcasts:routine_create"), {"template": template.pk, "at": "09:30"}
    )
    assert _flash(response) == ["已将 安全提示 排入每日日常播音，时间 09:30。"]
    # a screen changed
    response = client.post(
        reverse("broadcasts:screen_edit", args=[screen.pk]),
        {"name": "东门大屏", "location": "东门入口", "is_active": "on"},
    )
    assert _flash(response) == ["显示屏 东门大屏 已修改。"]
    assert "已保存。" not in " ".join(_flash(response))


def test_a_refused_action_says_why_and_changes_nothing(client, supervisor_user, room):
    # given a supervisor rejecting a promotion without a reason
    client.force_login(supervisor_user)
    promo = room["promo"]
    response = client.post(reverse("broadcasts:announcement_reject", args=[promo.pk]), {})
    # then they are told why, back on the announcement, and it still waits
    assert response.status_code == 302
    assert response["Location"] == promo.get_absolute_url()
    assert _flash(response) == ["请填写驳回原因。"]
    promo.refresh_from_db()
    assert promo.state == Announcement.State.PENDING_APPROVAL


def test_approving_from_the_queue_goes_back_to_the_queue(client, supervisor_user, room):
    client.force_login(supervisor_user)
    promo = room["promo"]
    response = client.post(
        reverse("broadcasts:announcement_approve", args=[promo.pk]), {"next": "queue"}
    )
    assert response["Location"] == reverse("broadcasts:queue")
    promo.refresh_from_db()
    assert promo.state == Announcement.State.QUEUED


def test_a_refused_change_review_stays_on_the_change(client, desk_user, room):
    # given the change's author, who may withdraw it but not approve it
    client.force_login(desk_user)
    edit = room["edit"]
    url = reverse("broadcasts:message_edit_withdraw", args=[edit.pk])
    response = client.post(url)
    assert response["Location"] == reverse("broadcasts:message_list")
    assert _flash(response) == ["修改已撤回，显示屏继续播放已批准的版本。"]
    # a second withdraw is refused and lands on the change itself
    response = client.post(url)
    assert response["Location"] == edit.get_absolute_url()
    assert room["message"].state == ScreenMessage.State.APPROVED
