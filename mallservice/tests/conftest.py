"""Fixtures of the kernel's tests: local fake providers."""

from __future__ import annotations

import pytest

from mallservice.tests import fake_tencent
from mallservice.tests.fake_tencent import FakeTencentSms


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
