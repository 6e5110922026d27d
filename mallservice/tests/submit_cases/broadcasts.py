"""The broadcasts app's create forms in the double-submit test."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from broadcasts import services as broadcast_services
from broadcasts.models import (
    Announcement,
    MissingPersonCase,
    RoutineSlot,
    Screen,
    ScreenMessage,
    ScriptTemplate,
)
from mallservice.tests.submit_cases.case import Case, local


def _with_routine_template(w) -> None:
    w.template = broadcast_services.script_template_save(
        actor=w.supervisor_user, mall=w.mall, kind="routine", name="安全提示", body="请注意安全。"
    )


def _with_screen(w) -> None:
    w.screen = broadcast_services.screen_save(
        actor=w.supervisor_user, mall=w.mall, name="东门大屏", location="东门"
    )


CASES = [
    Case(
        "announcement request",
        "desk_user",
        url=lambda w: reverse("broadcasts:announcement_create"),
        data=lambda w: {
            "kind": "other",
            "script": "请穿红色外套的王先生到一楼服务台。",
            "repetitions": 1,
            "interval_minutes": 5,
        },
        count=lambda w: Announcement.objects.count(),
    ),
    Case(
        "script template",
        "supervisor_user",
        url=lambda w: reverse("broadcasts:template_create"),
        data=lambda w: {"kind": "promotion", "name": "促销", "body": "{shop_name}今日特惠"},
        count=lambda w: ScriptTemplate.objects.count(),
    ),
    Case(
        "routine broadcast slot",
        "supervisor_user",
        setup=_with_routine_template,
        url=lambda w: reverse("broadcasts:routine_create"),
        data=lambda w: {"template": w.template.pk, "at": "10:30"},
        count=lambda w: RoutineSlot.objects.count(),
    ),
    Case(
        "missing-person case",
        "desk_user",
        url=lambda w: reverse("broadcasts:case_create"),
        data=lambda w: {
            "person_kind": "child",
            "description": "男孩，约五岁",
            "clothing": "红色外套",
            "last_seen_place": "二层玩具店",
            "last_seen_at": local(timezone.now() - datetime.timedelta(minutes=5)),
            "reporter_name": "王女士",
            "reporter_phone": "13800138000",
            "meeting_point": "一楼服务台",
        },
        count=lambda w: MissingPersonCase.objects.count(),
    ),
    Case(
        "screen message",
        "desk_user",
        setup=_with_screen,
        url=lambda w: reverse("broadcasts:message_create"),
        data=lambda w: {
            "title": "欢迎光临",
            "text": "欢迎光临星河广场",
            "screens": [w.screen.pk],
            "starts_on": local(timezone.now(), "%Y-%m-%d"),
            "duration_seconds": 10,
            "priority": 0,
        },
        count=lambda w: ScreenMessage.objects.count(),
    ),
    Case(
        "display screen",
        "supervisor_user",
        url=lambda w: reverse("broadcasts:screen_create"),
        data=lambda w: {"name": "西门大屏", "location": "西门", "is_active": "on"},
        count=lambda w: Screen.objects.count(),
    ),
    # -- rosters,
]
