"""The client's address, the one way the whole project reads it.

Login lockout (axes), the sensitive-access log, the clock-in records and
anything else that keys on "who is asking from where" call `client_ip`.

`X-Forwarded-For` is written by whoever sends the request: each proxy
appends the address it received the connection from, so only the entries
added by our own proxies can be trusted, and those are the right-most ones.
With `PROXY_COUNT = 0` (nobody in front) the header is ignored entirely and
the TCP peer (`REMOTE_ADDR`) is the client. Behind N trusted proxies the
client is the N-th address from the right: the one our outermost proxy saw.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent `request`, as far as our own
    proxies vouch for it; "" when the server was given none."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = max(0, int(getattr(settings, "PROXY_COUNT", 0) or 0))
    if proxies == 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    # Shorter than the proxy chain: the request did not come through all of
    # our proxies (e.g. straight to gunicorn), so the peer is the client.
    if len(forwarded) < proxies:
        return remote
    address = forwarded[-proxies]
    # Our proxies write plain addresses; anything else is not an address the
    # log columns (inet) could hold, so fall back to the peer.
    return address if _valid(address) else remote
