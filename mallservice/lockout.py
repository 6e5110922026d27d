"""Login lockout: django-axes with a second, per-address cap.

axes locks the pair (login name, client address) after AXES_FAILURE_LIMIT
failures: the whole desk shares one address, so one person's typos must
not lock their colleagues out. That alone lets one address try a few
passwords against every login name in turn, so the address as a whole is
also locked after AXES_ADDRESS_FAILURE_LIMIT failures across all names.

axes can lock on several parameter sets (`AXES_LOCKOUT_PARAMETERS`), but it
compares the largest count among them with a single limit; a per-address
limit as low as the per-account one would lock the whole desk after five
typos. So the address count is a second check here with its own limit.
The client address itself comes from `mallservice.net.client_ip`
(`AXES_CLIENT_IP_CALLABLE`)."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's client address, all login names,
    within the cool-off time."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AddressCappedHandler(AxesDatabaseHandler):
    """axes' database handler, plus the lock of a whole client address."""

    def _address_locked(self, request: HttpRequest) -> bool:
        locked = (
            settings.AXES_LOCK_OUT_AT_FAILURE
            and address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )
        if locked:
            # The lockout page says which lock it is.
            request.axes_address_locked = True
        return locked

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or self._address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and not request.axes_locked_out and self._address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
