"""Fixtures of the kernel's tests: local fake SMS and WeCom providers."""

from __future__ import annotations

import pytest

from mallservice.tests import fake_tencent, fake_wecom
from mallservice.tests.fake_tencent import FakeTencentSms
from mallservice.tests.fake_wecom import FakeWeCom


@pytest.fixture
def fake_sms(settings):
    """Tencent Cloud SMS on 127.0.0.1, the SDK pointed at it by settings."""
    with FakeTencentSms() as fake:
        settings.NOTIFY_PROVIDERS = {
            **settings.NOTIFY_PROVIDERS,
            "sms": "mallservice.notifications.tencent.TencentSmsProvider",
        }
        settings.TENCENT_SMS_ENDPOINT = fake.endpoint
        settings.TENCENT_SMS_PROTOCOL = "http"
        settings.TENCENT_SMS_SECRET_ID = fake_tencent.SECRET_ID
        settings.TENCENT_SMS_SECRET_KEY = fake_tencent.SECRET_KEY
        settings.TENCENT_SMS_APP_ID = fake_tencent.APP_ID
        settings.SMS_SIGN_NAME = "星光广场"
        settings.SMS_TEMPLATES = {"test.notice": {"id": "100001", "params": ["ref", "phone"]}}
        settings.SMS_MALLS = {}
        yield fake


@pytest.fixture
def fake_wecom_server(settings):
    """WeCom's server API on 127.0.0.1, knowing two users."""
    with FakeWeCom(users={"zhangzhuguan", "lijingli"}) as server:
        settings.NOTIFY_PROVIDERS = {
            **settings.NOTIFY_PROVIDERS,
            "wecom": "mallservice.notifications.wecom.WeComProvider",
        }
        settings.WECOM_BASE_URL = server.base_url
        settings.WECOM_CORP_ID = fake_wecom.CORP_ID
        settings.WECOM_SECRET = fake_wecom.SECRET
        settings.WECOM_AGENT_ID = fake_wecom.AGENT_ID
        yield server
