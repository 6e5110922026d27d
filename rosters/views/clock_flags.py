"""Flagged clock-ins: the shared screen's device cookie, and the
supervisor's weekly review of PIN punches from unknown devices or
addresses."""

from __future__ import annotations

import re
import secrets

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from mallservice.filters import filter_query
from mallservice.pagination import page_of
from mallservice.views import DeskView
from rosters import permissions as perms
from rosters.filters import ClockFlagFilter
from rosters.forms import NoteForm
from rosters.models import ClockFlag
from rosters.selectors.clock_flags import clock_flag_list
from rosters.services.clock_flags import clock_flag_review
from rosters.views.common import RecordActionView

DEVICE_COOKIE = "ms_clock_device"
# Chromium keeps a cookie at most 400 days.
DEVICE_COOKIE_AGE = 400 * 24 * 3600
_DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


def device_id(request: HttpRequest) -> str:
    """The shared screen's device id: its cookie, or a new one (kept on the
    request so `remember_device` gives the browser the same)."""
    if not hasattr(request, "clock_device"):
        value = request.COOKIES.get(DEVICE_COOKIE, "")
        request.clock_device = value if _DEVICE_ID.fullmatch(value) else secrets.token_urlsafe(18)
    return request.clock_device


def remember_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    value = device_id(request)
    if request.COOKIES.get(DEVICE_COOKIE) != value:
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


class ClockFlagListView(DeskView, TemplateView):
    permission_required = perms.REVIEW_CLOCKFLAG
    template_name = "rosters/clock_flag_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = ClockFlagFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), 50)
        context.update(
            form=listed.form,
            page_obj=page,
            flags=page.object_list,
            query=filter_query(self.request.GET),
            review_form=NoteForm(),
        )
        return context


class ClockFlagActionView(RecordActionView):
    permission_required = perms.REVIEW_CLOCKFLAG
    list_url_name = "rosters:clock_flags"
    form_class = NoteForm
    state = ""

    def get_queryset(self):
        return clock_flag_list(user=self.request.user)

    def perform(self, obj, data):
        clock_flag_review(actor=self.request.user, flag=obj, state=self.state, **data)


class ClockFlagClearView(ClockFlagActionView):
    state = ClockFlag.State.CLEARED
    success_message = gettext_lazy("Clock-in marked as looking right.")


class ClockFlagConcernView(ClockFlagActionView):
    state = ClockFlag.State.CONCERN
    success_message = gettext_lazy("Clock-in marked to follow up.")
