"""Shift swaps (调班): the list with the request form, and one URL per
step (accept, decline, cancel, approve, reject)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mallservice.views import MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.filters import SwapFilter
from rosters.forms import NoteForm, SwapForm
from rosters.models import Week
from rosters.selectors.roster import assignment_list
from rosters.selectors.swaps import swap_list
from rosters.services.swaps import (
    swap_request_accept,
    swap_request_approve,
    swap_request_cancel,
    swap_request_create,
    swap_request_decline,
    swap_request_reject,
)
from rosters.views.common import RecordActionView, mall_url


class SwapListView(MallScopedMixin, ServiceFormView):
    permission_required = perms.ADD_SWAPREQUEST
    template_name = "rosters/swap_list.html"
    form_class = SwapForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        future = assignment_list(user=user).filter(
            mall=self.mall, week__state=Week.State.PUBLISHED, starts_at__gt=timezone.now()
        )
        kwargs.update(mine=future.filter(staff=user), theirs=future.exclude(staff=user))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = SwapFilter(
            self.request.GET,
            queryset=swap_list(user=self.request.user).filter(mall=self.mall),
            user=self.request.user,
            page={"mall": self.mall.pk},
        )
        context.update(filters=listed, pending=listed.applied("pending"), swaps=listed.qs[:100])
        return context

    def perform(self, form):
        swap_request_create(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Swap requested; your colleague must accept it."))
        return redirect(mall_url("rosters:swaps", self.mall))


class SwapActionView(RecordActionView):
    permission_required = perms.ADD_SWAPREQUEST
    list_url_name = "rosters:swaps"

    def get_queryset(self):
        return swap_list(user=self.request.user)


class SwapAcceptView(SwapActionView):
    success_message = gettext_lazy("Swap accepted.")

    def perform(self, obj, data):
        swap_request_accept(actor=self.request.user, swap=obj)


class SwapDeclineView(SwapActionView):
    success_message = gettext_lazy("Swap declined.")

    def perform(self, obj, data):
        swap_request_decline(actor=self.request.user, swap=obj)


class SwapCancelView(SwapActionView):
    success_message = gettext_lazy("Swap cancelled.")

    def perform(self, obj, data):
        swap_request_cancel(actor=self.request.user, swap=obj)


class SwapApproveView(SwapActionView):
    permission_required = perms.APPROVE_SWAPREQUEST
    form_class = NoteForm
    success_message = gettext_lazy("Swap approved.")

    def perform(self, obj, data):
        swap_request_approve(actor=self.request.user, swap=obj, **data)


class SwapRejectView(SwapActionView):
    permission_required = perms.APPROVE_SWAPREQUEST
    form_class = NoteForm
    success_message = gettext_lazy("Swap rejected.")

    def perform(self, obj, data):
        swap_request_reject(actor=self.request.user, swap=obj, **data)
