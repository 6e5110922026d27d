"""Leave (请假): the list with the filing form, one URL per decision, and
the sick note served through the scoped selector."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mallservice.files import ScopedFileView
from mallservice.views import MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.filters import LeaveFilter
from rosters.forms import LeaveForm, NoteForm
from rosters.selectors.leave import leave_list
from rosters.selectors.roster import policy_for
from rosters.services.leave import (
    leave_request_approve,
    leave_request_cancel,
    leave_request_create,
    leave_request_reject,
)
from rosters.views.common import RecordActionView, mall_url


class LeaveListView(MallScopedMixin, ServiceFormView):
    permission_required = perms.ADD_LEAVEREQUEST
    template_name = "rosters/leave_list.html"
    form_class = LeaveForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = LeaveFilter(
            self.request.GET,
            queryset=leave_list(user=self.request.user).filter(mall=self.mall),
            user=self.request.user,
            page={"mall": self.mall.pk},
        )
        context.update(filters=listed, pending=listed.applied("pending"), leaves=listed.qs[:100])
        context["policy"] = policy_for(self.mall)
        return context

    def perform(self, form):
        leave_request_create(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(self.request, _("Leave request filed."))
        return redirect(mall_url("rosters:leave", self.mall))


class LeaveActionView(RecordActionView):
    permission_required = perms.APPROVE_LEAVEREQUEST
    list_url_name = "rosters:leave"

    def get_queryset(self):
        return leave_list(user=self.request.user)


class LeaveApproveView(LeaveActionView):
    form_class = NoteForm
    success_message = gettext_lazy("Leave approved.")

    def perform(self, obj, data):
        leave_request_approve(actor=self.request.user, leave=obj, **data)


class LeaveRejectView(LeaveActionView):
    form_class = NoteForm
    success_message = gettext_lazy("Leave rejected.")

    def perform(self, obj, data):
        leave_request_reject(actor=self.request.user, leave=obj, **data)


class LeaveCancelView(LeaveActionView):
    permission_required = perms.ADD_LEAVEREQUEST
    success_message = gettext_lazy("Leave cancelled.")

    def perform(self, obj, data):
        leave_request_cancel(actor=self.request.user, leave=obj)


class SickNoteView(ScopedFileView):
    """The attachment, only through the scoped selector."""

    field = "sick_note"

    def get_queryset(self, request):
        return leave_list(user=request.user)

    def download_name(self, obj) -> str:
        return f"sick-note-{obj.pk}"
