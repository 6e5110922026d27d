"""Issue 16 "Also broken" and "Done when": collectstatic works with the
production settings, and the app served as deployed (gunicorn, DEBUG off,
HTTPS through SECURE_PROXY_SSL_HEADER behind one proxy) logs a user in
and serves a page whose CSS and JavaScript load."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest
from django.conf import settings
from django.db import connection

from mallservice.roles import Role
from mallservice.tests.factories import make_staff

ROOT = Path(settings.BASE_DIR)
PASSWORD = "Prod-smoke-2026!"


def _production_env(static_root: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="mallservice.settings",
        DEBUG="false",
        SECRET_KEY="smoke-" + "p4Xr!v2Lm#x9Pw$e7Tn@c5Hj^b4Gf&d6Ks*a1Yu" * 2,
        STATIC_ROOT=str(static_root),
        ALLOWED_HOSTS="127.0.0.1",
        PROXY_COUNT="1",
        **extra,
    )
    return env


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=_production_env(root),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_collectstatic_works_with_the_production_settings(static_root):
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/bootstrap/bootstrap.min.css",
        "js/app.js",
        "vendor/chartjs/chart.umd.min.js",
    ):
        assert (static_root / manifest[name]).is_file()


class Browser:
    """Just enough of a browser behind the TLS proxy: cookies, and the
    headers nginx adds (X-Forwarded-Proto, X-Forwarded-For)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form=None, https=True, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-For": "198.51.100.7",
            "Accept-Language": "zh-hans",
            **(headers or {}),
        }
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            assert "secure" in header.lower(), header
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response, content


@pytest.fixture
def server(static_root, tmp_path):
    """gunicorn on the test database with the production settings."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = urlparse(os.environ["DATABASE_URL"])._replace(
        path="/" + connection.settings_dict["NAME"]
    )
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "mallservice.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=_production_env(static_root, DATABASE_URL=database.geturl(), CONN_MAX_AGE="0"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()
                time.sleep(0.5)
        yield Browser(port)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_production_settings_smoke(server, settings, mall):
    # given a member of staff whose password the production hashers read
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = make_staff(role=Role.DESK, mall=mall, username="smoke")
    user.set_password(PASSWORD)
    user.save()

    # plain HTTP is sent to HTTPS
    response, _ = server.request("GET", "/accounts/login/", https=False)
    assert response.status == 301
    assert response.getheader("Location").startswith("https://")

    # the login page over HTTPS (through the proxy), with HSTS and a CSP
    response, body = server.request("GET", "/accounts/login/")
    assert response.status == 200, body[:2000]
    assert response.getheader("Strict-Transport-Security", "").startswith("max-age=")
    assert "script-src 'self'" in response.getheader("Content-Security-Policy", "")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    # when the user logs in
    origin = f"https://127.0.0.1:{server.port}"
    response, body = server.request(
        "POST",
        "/accounts/login/",
        form={"username": "smoke", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Origin": origin, "Referer": origin + "/accounts/login/"},
    )
    assert response.status == 302, body[:2000]
    assert response.getheader("Location") == "/"

    # then their home page opens, and its stylesheets and scripts load
    response, body = server.request("GET", "/")
    assert response.status == 200, body[:2000]
    page = body.decode()
    assert "smoke" in page or user.display_name in page
    assets = re.findall(r'<link[^>]+href="(/static/[^"]+\.css)"', page)
    assets += re.findall(r'<script[^>]+src="(/static/[^"]+\.js)"', page)
    assert any("bootstrap" in a for a in assets) and any("app" in a for a in assets), assets
    for asset in assets:
        # names carry the manifest's content hash, so browsers may cache them
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), asset
        response, content = server.request("GET", asset)
        assert response.status == 200, asset
        kind = "text/css" if asset.endswith(".css") else "javascript"
        assert kind in response.getheader("Content-Type"), asset
        assert content

    # and an unknown page is a plain 404, no debug page
    response, body = server.request("GET", "/no-such-page/")
    assert response.status == 404
    assert b"Traceback" not in body and b"DEBUG" not in body
