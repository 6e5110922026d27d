"""The idle warning's "stay signed in" and typing keep a desk session alive."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_keepalive_counts_as_activity_and_says_when_the_session_ended(client, desk_user):
    assert client.post(reverse("keepalive")).status_code == 401
    client.force_login(desk_user)
    assert client.post(reverse("keepalive")).status_code == 204
    assert "_seen" in client.session
    assert client.get(reverse("keepalive")).status_code == 405
