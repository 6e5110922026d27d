"""Issue 16 item 2: the login lockout, the sensitive-access log and the
clock-in records key on the client's address, and a client cannot choose
that address by sending X-Forwarded-For."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from mallservice.models import SensitiveAccess
from mallservice.net import client_ip
from mallservice.roles import Role
from mallservice.tests.factories import make_staff

PROXY = "10.0.0.1"


def _login(client, username, password, *, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logs_in(client, user, *, remote, forwarded=None) -> bool:
    response = _login(
        client, user.username, settings.DEMO_PASSWORD, remote=remote, forwarded=forwarded
    )
    client.logout()
    return response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # nobody in front: the header is the client's to write, ignore it
        (0, "203.0.113.9", "10.0.0.8", "203.0.113.9"),
        (0, "203.0.113.9", None, "203.0.113.9"),
        # behind one proxy: the address it appended, not what the client sent
        (1, PROXY, "10.0.0.8, 198.51.100.7", "198.51.100.7"),
        (1, PROXY, "198.51.100.7", "198.51.100.7"),
        (1, PROXY, "  198.51.100.7  ", "198.51.100.7"),
        # a request that did not pass the proxy: the peer is the client
        (1, "198.51.100.7", None, "198.51.100.7"),
        (2, PROXY, "198.51.100.7", PROXY),
        # behind two proxies: the address the outer one saw
        (2, PROXY, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # not an address: never stored, fall back to the peer
        (1, PROXY, "unknown", PROXY),
        (1, PROXY, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_client_address_trusts_only_our_own_proxies(settings, proxies, remote, forwarded, expected):
    settings.PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **extra)) == expected


def test_rotating_x_forwarded_for_gives_no_extra_guesses(client, settings, desk_user):
    settings.PROXY_COUNT = 0
    # given an attacker who sends a new X-Forwarded-For with every guess
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, desk_user.username, "guess", remote="203.0.113.9", forwarded=f"10.9.9.{n}")
    # then the account is locked for that client all the same
    locked = _login(
        client,
        desk_user.username,
        settings.DEMO_PASSWORD,
        remote="203.0.113.9",
        forwarded="1.2.3.4",
    )
    assert locked.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}


def test_sending_a_colleagues_address_does_not_lock_them_out(client, settings, desk_user):
    settings.PROXY_COUNT = 0
    # given an attacker who claims to be the desk's address
    for _ in range(settings.AXES_FAILURE_LIMIT * 2):
        _login(client, desk_user.username, "guess", remote="203.0.113.9", forwarded="10.0.0.8")
    # then the colleague at the desk still logs in
    assert _logs_in(client, desk_user, remote="10.0.0.8")


def test_behind_one_proxy_clients_are_told_apart(client, settings, desk_user):
    settings.PROXY_COUNT = 1
    # given one client behind the proxy who guesses, forging the header's left part
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(
            client,
            desk_user.username,
            "guess",
            remote=PROXY,
            forwarded=f"10.9.9.{n}, 198.51.100.7",
        )
    # then that client is locked out
    assert not _logs_in(client, desk_user, remote=PROXY, forwarded="198.51.100.7")
    # and another client behind the same proxy is not
    assert _logs_in(client, desk_user, remote=PROXY, forwarded="198.51.100.8")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_one_address_is_capped_across_login_names(client, settings, mall):
    settings.PROXY_COUNT = 0
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    victims = [make_staff(role=Role.DESK, mall=mall, username=f"staff{n}") for n in range(5)]
    # given an address that tries a couple of passwords on each login name,
    # never reaching the per-account limit
    for victim in victims:
        for _ in range(2):
            _login(client, victim.username, "guess", remote="203.0.113.9")
    # then after AXES_ADDRESS_FAILURE_LIMIT failures the address is locked for every name
    locked = _login(client, victims[0].username, settings.DEMO_PASSWORD, remote="203.0.113.9")
    assert locked.status_code == 429
    assert "本机登录失败次数过多" in locked.content.decode()
    # and the same accounts still log in from another address
    assert _logs_in(client, victims[0], remote="10.0.0.8")


def test_the_desk_address_is_not_locked_by_a_few_typos(client, settings, mall):
    # the default limit per address is far above the per-account one
    assert settings.AXES_ADDRESS_FAILURE_LIMIT >= 6 * settings.AXES_FAILURE_LIMIT
    colleagues = [make_staff(role=Role.DESK, mall=mall, username=f"staff{n}") for n in range(4)]
    for colleague in colleagues[:3]:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            _login(client, colleague.username, "typo", remote="10.0.0.8")
    assert _logs_in(client, colleagues[3], remote="10.0.0.8")


def test_sensitive_access_log_records_the_address_our_proxy_saw(client, settings, supervisor_user):
    settings.PROXY_COUNT = 1
    client.force_login(supervisor_user)
    response = client.get(
        reverse("complaints:export"),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
    )
    assert response.status_code == 200
    assert SensitiveAccess.objects.get().ip == "198.51.100.7"


def test_the_pin_clock_records_the_address_our_proxy_saw(client, settings, desk_user, mall):
    from rosters.models import ClockEvent
    from rosters.services import clock_pin_set

    settings.PROXY_COUNT = 1
    clock_pin_set(actor=desk_user, staff=desk_user, mall=mall, pin="4711")
    client.force_login(desk_user)
    response = client.post(
        reverse("rosters:clock_pin"),
        {"username": desk_user.username, "pin": "4711", "kind": "in"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
    )
    assert response.status_code == 302
    assert ClockEvent.objects.get().ip == "198.51.100.7"
