"""Issue 16 item 11: the settings default to production behaviour, and
neither a NUL byte nor any other odd path shows a debug page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`code` in a fresh interpreter with the project's settings loaded from
    `env` alone (no DEBUG or SECRET_KEY of this test process)."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "mallservice.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_default_settings_are_production_ones():
    # given only a secret key (no DEBUG in the environment)
    result = _python(
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
        {"SECRET_KEY": "k" * 50},
    )
    # then DEBUG is off and cookies are HTTPS-only
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True"]


def test_without_debug_there_is_no_public_development_key():
    # the key that signs handler links, sessions and CSRF tokens must be
    # the installation's own: the development one is published in the code
    result = _python("print('started')", {})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert "started" not in result.stdout


def test_the_test_suite_opts_in_to_development():
    assert os.environ["DEBUG"] == "true"


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "path",
    [
        "/broadcasts/player/ab%00cd/",
        "/broadcasts/player/%00/payload.json",
        "/history/mallservice/mall/%00/",
        "/complaints/respond/%00/",
    ],
)
def test_a_nul_byte_in_the_path_is_refused_without_a_traceback(
    client, settings, desk_user, debug, path
):
    settings.DEBUG = debug
    client.raise_request_exception = False
    for logged_in in (False, True):
        if logged_in:
            client.force_login(desk_user)
        response = client.get(path)
        body = response.content.decode(errors="replace")
        assert response.status_code in (400, 404), (path, logged_in, response.status_code)
        assert "Traceback" not in body and "NUL" not in body
