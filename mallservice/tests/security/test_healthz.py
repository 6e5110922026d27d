"""Issue 16 item 14: /healthz tells anonymous callers only whether the
service is healthy; which dependency failed, and how, is for managers and
monitoring that presents HEALTHZ_TOKEN."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from mallservice.models import Heartbeat
from mallservice.tasks import BEAT_HEARTBEAT

TOKEN = "s3cret-probe-token"


@pytest.fixture
def redis_down(db, settings):
    Heartbeat.objects.create(name=BEAT_HEARTBEAT, at=timezone.now())
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.HEALTHZ_TOKEN = TOKEN


def test_anonymous_callers_get_only_the_status(client, redis_down, desk_user):
    for caller in ("anonymous", "desk staff", "wrong token", "token not configured"):
        if caller == "desk staff":
            client.force_login(desk_user)
        extra = {"HTTP_AUTHORIZATION": "Bearer nope"} if caller == "wrong token" else {}
        data = {"token": ""} if caller == "token not configured" else {}
        response = client.get(reverse("healthz"), data, **extra)
        assert response.status_code == 503
        assert response.json() == {"status": "degraded"}, caller
        assert "Error" not in response.content.decode()


def test_an_empty_token_setting_admits_nobody(client, redis_down, settings):
    settings.HEALTHZ_TOKEN = ""
    response = client.get(reverse("healthz"), {"token": ""}, HTTP_AUTHORIZATION="Bearer ")
    assert response.json() == {"status": "degraded"}


def test_a_healthy_service_answers_ok_to_anyone(client, db):
    Heartbeat.objects.create(name=BEAT_HEARTBEAT, at=timezone.now())
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("how", ["bearer", "query", "manager"])
def test_managers_and_the_token_get_the_detail(client, redis_down, manager_user, how):
    extra, data = {}, {}
    if how == "bearer":
        extra["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    elif how == "query":
        data["token"] = TOKEN
    else:
        client.force_login(manager_user)
    response = client.get(reverse("healthz"), data, **extra)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["redis"].startswith("error: ") and body["beat"] == "ok"
