"""The entrance screens: what is on each now, adding and changing a
screen, a new secret player address, and the log of what was live when."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from broadcasts import forms, selectors
from broadcasts.models import SCREEN_PRIORITIES, Screen
from broadcasts.permissions import (
    ADD_SCREEN,
    CHANGE_SCREEN,
    VIEW_SCREEN,
    VIEW_SCREENLIVERECORD,
)
from broadcasts.services.screens import screen_save, screen_token_rotate
from mallservice.pagination import page_of
from mallservice.views import DeskView, MallScopedMixin, ServiceActionView, ServiceFormView


class ScreenListView(DeskView, TemplateView):
    """Screens with what is on each now (the preview) and their player URLs."""

    permission_required = VIEW_SCREEN
    template_name = "broadcasts/screen_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        priorities = dict(SCREEN_PRIORITIES)
        # The priority by name, as the desk chose it (a number outside the
        # list, from older records, as it is).
        screens_now = [
            (
                screen,
                [
                    {**m, "priority_label": priorities.get(m["priority"], m["priority"])}
                    for m in live
                ],
            )
            for screen, live in selectors.screens_now(user=user)
        ]
        return super().get_context_data(
            screens_now=screens_now,
            can_manage=user.has_perm(CHANGE_SCREEN),
            **kwargs,
        )


class ScreenFormView(MallScopedMixin, ServiceFormView):
    """A new screen (`screens/new/`, for the page's mall) or a change to
    one (`screens/<pk>/`)."""

    permission_required = ADD_SCREEN
    form_class = forms.ScreenForm
    template_name = "broadcasts/simple_form.html"

    def get_object(self) -> Screen | None:
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        return get_object_or_404(selectors.screen_list(user=self.request.user), pk=pk)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        obj = self.object
        if obj is None:
            return super().get_initial()
        return {"name": obj.name, "location": obj.location, "is_active": obj.is_active}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=_("Display screen"), **kwargs)

    def perform(self, form: forms.ScreenForm) -> HttpResponse:
        obj = self.object
        screen = screen_save(
            actor=self.request.user,
            mall=obj.mall if obj else self.mall,
            screen=obj,
            **form.cleaned_data,
        )
        if obj is None:
            message = _("Screen %(name)s added; open its player address on the screen's PC.")
        else:
            message = _("Screen %(name)s changed.")
        messages.success(self.request, message % {"name": screen.name})
        return redirect("broadcasts:screen_list")


class ScreenRotateTokenView(ServiceActionView):
    permission_required = CHANGE_SCREEN
    success_message = gettext_lazy("New player address made; update the screen's PC.")

    def get_queryset(self):
        return selectors.screen_list(user=self.request.user)

    def perform(self, obj: Screen, data: dict[str, Any]) -> None:
        screen_token_rotate(actor=self.request.user, screen=obj)

    def get_success_url(self) -> str:
        return reverse("broadcasts:screen_list")


class LiveLogView(DeskView, TemplateView):
    permission_required = VIEW_SCREENLIVERECORD
    template_name = "broadcasts/live_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        qs = selectors.live_record_list(user=self.request.user)
        return super().get_context_data(
            page_obj=page_of(qs, self.request.GET.get("page"), 30), **kwargs
        )
