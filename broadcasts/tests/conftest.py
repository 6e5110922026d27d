from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from broadcasts import services
from broadcasts.models import AnnouncementKind

# A fixed Thursday afternoon in Shanghai: deadlines are testable.
NOW = datetime.datetime(2026, 11, 26, 15, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def templates(mall, supervisor_user):
    def make(kind, name, body):
        return services.script_template_save(
            actor=supervisor_user, mall=mall, kind=kind, name=name, body=body
        )

    return {
        "car": make(
            AnnouncementKind.CAR_MOVE,
            "移车",
            "车牌号为{plate_number}的车主请注意，请到停车场移车。",
        ),
        "promo": make(
            AnnouncementKind.PROMOTION, "促销", "{shop_name}{event_name}：{event_details}"
        ),
        "routine": make(AnnouncementKind.ROUTINE, "安全提示", "现在是{time_text}，请注意安全。"),
    }


@pytest.fixture
def screen(mall, supervisor_user):
    return services.screen_save(actor=supervisor_user, mall=mall, name="东门大屏", location="东门")


@pytest.fixture
def other_screen(other_mall):
    from broadcasts.models import Screen

    return Screen.objects.create(mall=other_mall, name="他店大屏")


@pytest.fixture
def post_message(mall, supervisor_user, screen):
    """An approved screen message, all day, every day, on `screen`."""

    def make(*, actor=None, screens=None, **kwargs):
        params = {
            "title": "欢迎光临",
            "text": "欢迎光临星河广场",
            "starts_on": timezone.localdate(NOW) - datetime.timedelta(days=30),
        }
        params.update(kwargs)
        return services.screen_message_submit(
            actor=actor or supervisor_user,
            mall=mall,
            screens=screens or [screen],
            now=NOW,
            **params,
        )

    return make
