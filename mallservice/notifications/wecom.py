"""WeCom (企业微信) application messages through WeCom's server API, by
plain HTTP: `gettoken` with the corp id and the application's secret, then
`message/send` (text, or a text card when the message has a link). The
base URL is a setting (WECOM_BASE_URL), so tests use a local fake.

The access token is cached (Django's cache, i.e. Redis) until shortly
before it expires, and fetched again when WeCom says it is invalid or
expired (errcode 40014, 42001). Each message asks WeCom's duplicate check
for a window longer than the outbox's claim window: a message sent again
after its worker died is dropped by WeCom instead of reaching the person
twice."""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.core.cache import cache

from mallservice.notifications.models import Message
from mallservice.notifications.providers import PermanentError, TransientError

TOKEN_REFRESH_CODES = {40014, 42001}
# The recipient is unknown or outside the application's visible range.
PERMANENT_CODES = {40003, 60111, 81013}
# Refresh the token this long before WeCom's expiry (7200 s).
TOKEN_MARGIN_SECONDS = 300
# WeCom's duplicate check allows at most four hours.
MAX_DUPLICATE_WINDOW = 4 * 3600
TIMEOUT_SECONDS = 10


def _call(path: str, query: dict[str, Any], body: dict[str, Any] | None = None) -> dict[str, Any]:
    url = f"{settings.WECOM_BASE_URL.rstrip('/')}/cgi-bin/{path}?{urllib.parse.urlencode(query)}"
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    if data is not None:
        request.add_header("Content-Type", "application/json; charset=utf-8")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        # HTTP errors (5xx), refused connections and garbled answers alike.
        raise TransientError(f"WeCom {path}: {exc}") from exc


def _token_key() -> str:
    # One token per application: a changed secret gets a new one.
    secret = hashlib.sha256(settings.WECOM_SECRET.encode()).hexdigest()[:12]
    return f"notifications:wecom:token:{settings.WECOM_CORP_ID}:{secret}"


def access_token(*, refresh: bool = False) -> str:
    if not refresh:
        token = cache.get(_token_key())
        if token:
            return token
    data = _call(
        "gettoken", {"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET}
    )
    if data.get("errcode", 0) != 0 or not data.get("access_token"):
        raise TransientError(f"WeCom gettoken {data.get('errcode')}: {data.get('errmsg')}")
    timeout = max(int(data.get("expires_in", 7200)) - TOKEN_MARGIN_SECONDS, 60)
    cache.set(_token_key(), data["access_token"], timeout=timeout)
    return data["access_token"]


def _payload(message: Message) -> dict[str, Any]:
    window = max(1800, 2 * settings.OUTBOX_SENDING_STALE_SECONDS)
    payload: dict[str, Any] = {
        "touser": message.recipient,
        "agentid": settings.WECOM_AGENT_ID,
        "enable_duplicate_check": 1,
        "duplicate_check_interval": min(window, MAX_DUPLICATE_WINDOW),
    }
    if message.url:
        title = message.subject or message.body.splitlines()[0][:60]
        payload |= {
            "msgtype": "textcard",
            "textcard": {"title": title, "description": message.body, "url": message.url},
        }
    else:
        payload |= {"msgtype": "text", "text": {"content": message.body}}
    return payload


class WeComProvider:
    name = "wecom"
    records_only = False

    def send(self, message: Message) -> str:
        if not message.recipient:
            raise PermanentError("no WeCom user id")
        payload = _payload(message)
        data: dict[str, Any] = {}
        for refresh in (False, True):
            data = _call("message/send", {"access_token": access_token(refresh=refresh)}, payload)
            if data.get("errcode") not in TOKEN_REFRESH_CODES:
                break
        code = data.get("errcode", 0)
        if code in PERMANENT_CODES or (code == 0 and data.get("invaliduser")):
            raise PermanentError(
                f"WeCom {code}: {data.get('errmsg')} {data.get('invaliduser', '')}"
            )
        if code != 0:
            raise TransientError(f"WeCom {code}: {data.get('errmsg')}")
        return str(data.get("msgid", ""))
