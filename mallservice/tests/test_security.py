from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mallservice.models import Heartbeat
from mallservice.tasks import BEAT_HEARTBEAT


def _login(client, username, password, ip="10.0.0.8"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_ten_bad_passwords_lock_one_account_not_the_shared_desk_ip(client, desk_user, mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    colleague = make_staff(role=Role.DESK, mall=mall, username="colleague")
    # given ten wrong passwords for user A from the desk's one IP
    for _ in range(10):
        _login(client, desk_user.username, "wrong-password")
    # then A is locked out, even with the right password
    locked = _login(client, desk_user.username, settings.DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode() or "Too many" in locked.content.decode()
    # and B logs in from the same IP
    ok = _login(client, colleague.username, settings.DEMO_PASSWORD)
    assert ok.status_code == 302 and ok.url == reverse("home")


def test_wrong_password_shows_a_translated_error_next_to_the_form(client, desk_user):
    response = _login(client, desk_user.username, "nope")
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_idle_session_expires_after_the_configured_minutes(client, desk_user):
    client.force_login(desk_user)
    client.get(reverse("home"))
    assert client.session.get_expiry_age() == settings.IDLE_TIMEOUT_MINUTES * 60
    # when the session has not been touched for longer than the timeout
    session = client.session
    session.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
    session.save()
    # then the user has to log in again
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_pages_carry_a_content_security_policy(client, desk_user):
    client.force_login(desk_user)
    response = client.get(reverse("home"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/no-such-page/", 404, "此页面不存在"),
        ("/history/mallservice/mall/1/", 404, "此页面不存在"),
    ],
)
def test_error_pages_are_translated_and_leak_nothing(
    client, desk_user, settings, path, status, text
):
    settings.DEBUG = False
    client.force_login(desk_user)
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == status
    assert text in body
    assert "Traceback" not in body and "mallservice.urls" not in body


def test_healthz_reports_each_dependency(client, db, settings):
    # the detail is for monitoring that presents the token
    settings.HEALTHZ_TOKEN = "probe-token"
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer probe-token"
    # with no beat heartbeat yet, the service is degraded
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "ok" and response.json()["redis"] == "ok"
    assert response.json()["beat"] == "stale"
    # once beat has run through a worker, it is healthy
    Heartbeat.objects.create(name=BEAT_HEARTBEAT, at=timezone.now())
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_reports_a_redis_outage(client, db, settings):
    Heartbeat.objects.create(name=BEAT_HEARTBEAT, at=timezone.now())
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.HEALTHZ_TOKEN = "probe-token"
    response = client.get(reverse("healthz"), HTTP_AUTHORIZATION="Bearer probe-token")
    assert response.status_code == 503
    assert response.json()["redis"].startswith("error")


def test_beat_heartbeat_task_records_its_time(db):
    from mallservice.tasks import beat_heartbeat

    beat_heartbeat.delay()
    assert Heartbeat.objects.get(name=BEAT_HEARTBEAT).at > timezone.now() - datetime.timedelta(
        minutes=1
    )


def test_logout_requires_post_and_ends_the_session(client, desk_user):
    client.force_login(desk_user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_a_nul_byte_in_any_parameter_is_refused_at_the_door(client, desk_user):
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": "13800\x00"})
    assert response.status_code == 400
    assert "无效字符" in response.content.decode()
