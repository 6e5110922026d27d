"""A Redis outage costs the desk nothing but speed (issue 24).

Each test starts its own redis-server as the cache, the session cache and
the Celery broker, kills it by its pid in the middle, and works the desk's
pages as logged-in staff: nothing answers 500, a record saved is saved and
said so, and when the server is back the project uses it again."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu import pools as kombu_pools

from mailroom.models import Parcel
from mallservice import queue
from mallservice.celery import app as celery_app
from members.models import MemberImport

REDIS_SERVER = "/usr/bin/redis-server"
# Short enough for the test to see Redis used again soon after its restart.
RETRY_AFTER_SECONDS = 0.3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, stopped and started by its pid."""

    def __init__(self, directory: Path, *, persistent: bool = False) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.persistent = persistent
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persistent
            else ["--appendonly", "no"]
        )
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                str(self.directory),
                *persistence,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                if client.ping():
                    return
            except redis.exceptions.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self) -> None:
        """Gone at once, as in a crash: no shutdown, no save."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url)


def _use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    # Forget the connection pools (kombu keeps them per broker, process-wide).
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def _redis_everywhere(settings, monkeypatch, server: RedisServer) -> None:
    """Cache, sessions' cache, /healthz and the broker all on `server`."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": server.url,
            "OPTIONS": {
                **settings.CACHES["default"]["OPTIONS"],
                "RETRY_AFTER_SECONDS": RETRY_AFTER_SECONDS,
            },
        }
    }
    settings.REDIS_URL = server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    monkeypatch.setattr(queue, "RETRY_AFTER_SECONDS", RETRY_AFTER_SECONDS)
    _use_broker(server.url)


@pytest.fixture
def redis_server(tmp_path, settings, monkeypatch):
    server = RedisServer(tmp_path)
    server.start()
    broker_url = celery_app.conf.broker_url
    _redis_everywhere(settings, monkeypatch, server)
    yield server
    if server.process is not None:
        server.kill()
    celery_app.conf.task_always_eager = True
    _use_broker(broker_url)


def _login(client, user, password):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def _messages(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


PARCEL = {
    "tracking_number": "SF1234567890",
    "carrier": "sf",
    "recipient_kind": "unit",
    "size": "small",
    "shelf": "B-2",
}


@pytest.mark.django_db(transaction=True)
def test_pages_logins_and_saves_work_from_postgresql_while_redis_is_down(
    client, desk_user, supervisor_user, shop, settings, redis_server
):
    client.raise_request_exception = False
    # given a desk user and a supervisor logged in while Redis was up
    assert _login(client, desk_user, settings.DEMO_PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    supervisor = client.__class__(raise_request_exception=False)
    assert _login(supervisor, supervisor_user, settings.DEMO_PASSWORD).status_code == 302
    assert redis_server.client().dbsize() > 0  # sessions and access are cached

    # when Redis dies
    redis_server.kill()
    started = time.monotonic()

    # then every page still answers from PostgreSQL
    for path in (reverse("home"), reverse("complaints:list"), reverse("mailroom:parcel_list")):
        assert client.get(path).status_code == 200, path
    assert supervisor.get(reverse("dashboard")).status_code == 200
    # a parcel checked in is saved, and the desk is told so
    response = client.post(
        reverse("mailroom:parcel_receive"),
        {**PARCEL, "mall": desk_user.mall_id, "recipient_unit": shop.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert Parcel.objects.filter(tracking_number="SF1234567890").exists()
    assert [level for level, _text in _messages(response)] == ["success"]
    # a register uploaded is saved although its check cannot be sent to a worker
    response = client.post(
        reverse("members:imports"),
        {"file": SimpleUploadedFile("register.csv", "姓名,手机\n张三,13800000001\n".encode())},
    )
    record = MemberImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("members:import_detail", args=[record.pk])
    assert record.status == MemberImport.Status.UPLOADED
    # someone can still log in
    other = client.__class__(raise_request_exception=False)
    assert _login(other, supervisor_user, settings.DEMO_PASSWORD).status_code == 302
    assert other.get(reverse("home")).status_code == 200
    # /healthz says the service is degraded (503), for a browser with a
    # session too, and names Redis to monitoring that shows its token
    health = client.get("/healthz")
    assert health.status_code == 503
    assert json.loads(health.content) == {"status": "degraded"}
    settings.HEALTHZ_TOKEN = "monitoring-token"
    detail = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitoring-token")
    assert detail.status_code == 503
    assert json.loads(detail.content)["redis"].startswith("error")
    # and nothing waited long for the dead server
    assert time.monotonic() - started < 15

    # when Redis is back
    redis_server.start()
    time.sleep(RETRY_AFTER_SECONDS + 0.1)
    # then the pages use it again: the cache fills and a check-in's outbox
    # kick reaches the broker's queue
    assert client.get(reverse("home")).status_code == 200
    response = client.post(
        reverse("mailroom:parcel_receive"),
        {
            **PARCEL,
            "tracking_number": "SF1234567891",
            "mall": desk_user.mall_id,
            "recipient_unit": shop.pk,
        },
    )
    assert response.status_code == 302
    server = redis_server.client()
    assert server.dbsize() > 0
    assert server.llen("celery") == 1
    assert json.loads(server.lindex("celery", 0))["headers"]["task"] == (
        "mallservice.tasks.messages_dispatch_task"
    )


@pytest.mark.django_db
def test_a_logout_during_the_outage_holds_when_redis_returns_with_its_data(
    client, desk_user, settings, tmp_path, monkeypatch
):
    # given Redis that keeps its data over a restart (append-only file)
    server = RedisServer(tmp_path, persistent=True)
    server.start()
    broker_url = celery_app.conf.broker_url
    _redis_everywhere(settings, monkeypatch, server)
    try:
        # and a desk user logged in, the session cached in Redis
        assert _login(client, desk_user, settings.DEMO_PASSWORD).status_code == 302
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert client.get(reverse("home")).status_code == 200
        # when they log out while Redis is down
        server.kill()
        assert client.post(reverse("logout")).status_code == 302
        # and Redis comes back with the session still in it
        server.start()
        assert any(b"cached_db" in key for key in server.client().keys())
        time.sleep(RETRY_AFTER_SECONDS + 0.1)
        # then the old session cookie no longer opens the desk
        thief = client.__class__()
        thief.cookies[settings.SESSION_COOKIE_NAME] = cookie
        response = thief.get(reverse("home"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    finally:
        if server.process is not None:
            server.kill()
        celery_app.conf.task_always_eager = True
        _use_broker(broker_url)
