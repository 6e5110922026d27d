"""Goods release passes: the list, a shop's request, its page (approve,
refuse, print) and the exit's phone page (check by code, mark used)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from desk import forms, selectors
from desk.filters.incidents import ReleasePassFilter
from desk.models import ReleasePass
from desk.permissions import (
    ADD_RELEASEPASS,
    DECIDE_RELEASEPASS,
    USE_RELEASEPASS,
    VIEW_RELEASEPASS,
)
from desk.services.passes import EXIT_REFUSALS, pass_decide, pass_request, pass_use
from mallservice.pagination import page_of
from mallservice.views import DeskView, ServiceActionView, ServiceFormView


class PassListView(DeskView, TemplateView):
    permission_required = VIEW_RELEASEPASS
    template_name = "desk/pass_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = ReleasePassFilter(self.request.GET, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), 50)
        context.update(filters=listed, page_obj=page, passes=page.object_list)
        return context


class PassRequestView(ServiceFormView):
    permission_required = ADD_RELEASEPASS
    template_name = "desk/pass_form.html"
    form_class = forms.PassRequestForm

    def perform(self, form) -> HttpResponse:
        release = pass_request(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request, _("Pass %(reference)s recorded.") % {"reference": release.reference}
        )
        return redirect(release.get_absolute_url())


class PassDetailView(DeskView, TemplateView):
    permission_required = VIEW_RELEASEPASS
    template_name = "desk/pass_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        release = get_object_or_404(
            selectors.release_pass_list(user=self.request.user), pk=kwargs["pk"]
        )
        context.update(release=release, exit_state=release.exit_state())
        return context


class PassSlipView(PassDetailView):
    """The pass as printed for the shop to show at the exit."""

    template_name = "desk/pass_slip.html"


class PassActionView(ServiceActionView):
    def get_queryset(self):
        return selectors.release_pass_list(user=self.request.user)


class PassApproveView(PassActionView):
    permission_required = DECIDE_RELEASEPASS
    success_message = gettext_lazy("Pass approved.")

    def perform(self, obj: ReleasePass, data: dict[str, Any]) -> None:
        pass_decide(actor=self.request.user, release=obj, approve=True)


class PassRefuseView(PassActionView):
    permission_required = DECIDE_RELEASEPASS
    form_class = forms.RefuseForm
    success_message = gettext_lazy("Pass refused.")

    def perform(self, obj: ReleasePass, data: dict[str, Any]) -> None:
        pass_decide(actor=self.request.user, release=obj, approve=False, reason=data["reason"])


class PassUseView(PassActionView):
    """At the exit: the goods leave, the pass is used (once)."""

    permission_required = USE_RELEASEPASS
    success_message = gettext_lazy("Recorded: the goods have left. The pass cannot be used again.")

    def perform(self, obj: ReleasePass, data: dict[str, Any]) -> None:
        pass_use(actor=self.request.user, release=obj)

    def get_success_url(self) -> str:
        return f"{reverse('desk:pass_check')}?code={self.object.code}"


class PassCheckView(DeskView, TemplateView):
    """The exit's phone page: type the code, see at once whether the goods
    may leave, and mark the pass used."""

    permission_required = USE_RELEASEPASS
    template_name = "desk/pass_check.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = forms.PassCheckForm(self.request.GET or None)
        release = None
        searched = form.is_valid() and bool(form.cleaned_data["code"])
        if searched:
            release = selectors.release_pass_by_code(
                user=self.request.user, code=form.cleaned_data["code"]
            )
        state = release.exit_state(timezone.now()) if release else ""
        context.update(
            form=form,
            searched=searched,
            release=release,
            state=state,
            refusal=EXIT_REFUSALS.get(state, ""),
        )
        return context
