"""The benchmark's data parts and scenarios stay true to the app: every part
generates at a tiny scale, every page answers as its user (a POST with a
redirect, so the benchmark never measures a form error), and every task
runs. The figures themselves come from `make bench`, not from here."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from bench import data, scenarios
from bench.server import unique_form
from mallservice.models import User

pytestmark = pytest.mark.django_db


def test_every_part_generates_and_every_scenario_answers(monkeypatch):
    monkeypatch.setattr(data, "SCALE", 0.0005)
    ctx = data.generate(log=lambda message: None)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    for page in scenarios.pages():
        if page.user:
            client.force_login(User.objects.get(username=page.user))
        else:  # the screen player: no login
            client.logout()
        if page.form:
            response = client.post(
                page.path(ctx),
                unique_form(page, ctx),
                "application/x-www-form-urlencoded",
                headers=page.headers,
            )
            assert response.status_code == 302, page.name
        else:
            # A lookup that names one record (a scanned card) jumps to it.
            response = client.get(page.path(ctx), follow=True, headers=page.headers)
            assert response.status_code == 200, page.name
            login = resolve_url(settings.LOGIN_URL)
            assert all(not url.startswith(login) for url, _ in response.redirect_chain), page.name
    for task in scenarios.tasks():
        outcome = task.run(ctx)
        assert outcome["seconds"] >= 0, task.name
