from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from pghistory.middleware import HistoryMiddleware

from mallservice.audit import Source

# Touch the session at most once a minute: enough for a 30-minute idle
# timeout, without a database write on every request.
_TOUCH_EVERY_SECONDS = 60


class RejectNullBytesMiddleware:
    """No path, form or query string a person types contains a NUL byte,
    and PostgreSQL refuses one in any text: answer 400 at the door instead
    of letting it reach a query (the public player's token is in its path)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if "\x00" in request.path_info:
            return HttpResponseBadRequest(_("The request contains invalid characters."))
        for params in (request.GET, request.POST if request.method == "POST" else {}):
            for values in params.lists() if params else ():
                if any("\x00" in value for value in values[1]):
                    return HttpResponseBadRequest(_("The request contains invalid characters."))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """End a session after IDLE_TIMEOUT_MINUTES without a request.

    The session cookie lives SESSION_COOKIE_AGE (= the idle timeout) from the
    last save; saving it again when the user is active slides the window."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get("_seen", 0) >= _TOUCH_EVERY_SECONDS:
                session["_seen"] = now
                session.set_expiry(settings.IDLE_TIMEOUT_MINUTES * 60)
        return self.get_response(request)


class AuditContextMiddleware(HistoryMiddleware):
    """Attach the acting user, the source (web view or admin) and the URL to
    every history row written during the request."""

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        admin_prefix = reverse("admin:index")
        context["source"] = Source.ADMIN if request.path.startswith(admin_prefix) else Source.WEB
        return context
