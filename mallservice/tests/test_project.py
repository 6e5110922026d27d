"""Checks a new user of the repository would run by hand."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pghistory.models import Events

from mallservice.audit import Source
from mallservice.models import Mall, Unit, User
from mallservice.roles import Role, user_roles
from mallservice.services import system_actor_id

ROOT = Path(settings.BASE_DIR)


def _manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for this process only.
        env={
            k: v
            for k, v in {**os.environ, **(env or {})}.items()
            if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "false",
            "SECRET_KEY": "k3y-" + "q8Zr!v2Lm#x9Pw$e7Tn@c5Hj^b4Gf&d6Ks*a1Yu" * 2,
            "ALLOWED_HOSTS": "desk.example.cn",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", env={"DEBUG": "false", "SECRET_KEY": ""})
    assert result.returncode != 0


def test_models_and_migrations_agree():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is installed by .ci/run")
def test_chinese_translation_is_complete():
    po_files = [ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]
    po_files += sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
    for po in po_files:
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(po)],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, (
            f"{po}: {result.stderr}"
        )


def test_no_two_catalogues_translate_the_same_message_differently():
    # gettext merges every catalogue into one dictionary (project first, then
    # apps in INSTALLED_APPS order), so a message two catalogues translate
    # differently shows the wrong text in one of them: give it a context.
    po_files = [ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"]
    po_files += sorted(ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
    translations: dict[tuple[str | None, str], dict[str, str]] = {}
    for po in po_files:
        catalogue = po.relative_to(ROOT).parts[0]
        for entry in polib.pofile(str(po)):
            if entry.obsolete:
                continue
            msgstr = entry.msgstr or str(sorted(entry.msgstr_plural.items()))
            translations.setdefault((entry.msgctxt, entry.msgid), {})[catalogue] = msgstr
    conflicts = [
        f"{key}: {by_catalogue}"
        for key, by_catalogue in translations.items()
        if len(set(by_catalogue.values())) > 1
    ]
    assert not conflicts, "\n".join(conflicts)


def test_seed_demo_builds_two_malls_with_shops_and_every_role_once(db):
    # One run for all its checks: every app's demo data makes it slow.
    call_command("seed_demo")
    call_command("seed_demo")  # the second run changes nothing
    # a management command's writes are attributed to the named system actor
    event = Events.objects.tracks(Mall.objects.get(code="xinghe")).order_by("pgh_id").first()
    assert event.pgh_context["user"] == system_actor_id()
    assert event.pgh_context["source"] == Source.COMMAND
    assert Mall.objects.count() == 2
    assert Unit.objects.filter(kind=Unit.Kind.SHOP).count() >= 120
    roles = set()
    for user in User.objects.filter(is_active=True):
        roles |= user_roles(user)
    assert roles == {r.value for r in Role}
    manager = User.objects.get(username="manager")
    assert manager.is_staff and manager.all_malls
    # at a demo strength: the password is public, full strength cost seconds
    assert manager.password.startswith("pbkdf2_sha256$1000$")
    # and the management admin shows every kind of record the demo made
    assert_every_admin_page_opens(manager)


def assert_every_admin_page_opens(user) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in settings.PROJECT_APPS:
            continue
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listing.status_code == 200, opts.label
        first = model_admin.get_queryset(listing.wsgi_request).first()
        if first is not None:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            assert client.get(url).status_code == 200, opts.label
