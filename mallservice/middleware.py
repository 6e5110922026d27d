from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from pghistory.middleware import HistoryMiddleware

from mallservice.audit import Source, actor_names

logger = logging.getLogger(__name__)

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
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context.update(actor_names(user))
        return context


# PostgreSQL's answers when a statement gave up waiting: lock_not_available
# (lock_timeout), query_canceled (statement_timeout), deadlock_detected.
BUSY_SQLSTATES = {"55P03", "57014", "40P01"}


def database_busy(exc: BaseException) -> bool:
    """Did this query give up because another transaction held its rows?"""
    return isinstance(exc, OperationalError) and (
        getattr(exc.__cause__, "pgcode", None) in BUSY_SQLSTATES
    )


class DatabaseBusyMiddleware:
    """A change that waited too long for a row someone else is changing —
    another desk, a dispatcher — was rolled back with its transaction: say
    so and send the user back to the page to try again, instead of a 500.

    Only for POSTs and the like: a page that merely reads never waits on a
    lock, and a read that ran past the statement timeout is a bug to see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.method in ("GET", "HEAD", "OPTIONS") or not database_busy(exception):
            return None
        logger.warning(
            "Gave up waiting for the database on %s %s: %s", request.method, request.path, exception
        )
        messages.error(
            request, _("Someone else is changing this record right now. Please try again.")
        )
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = request.get_full_path()
        if getattr(request, "htmx", False):
            response = HttpResponse(status=409)
            response["HX-Redirect"] = back
            return response
        # 303: the browser fetches the page again with GET, showing the message.
        response = HttpResponse(status=303)
        response["Location"] = back
        return response
