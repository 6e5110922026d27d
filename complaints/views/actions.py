"""The actions of a complaint's detail page, one URL and one view each
(`<pk>/assign/`, `<pk>/respond/`, ...). Each is offered in the steps it
fits; its success message says what was done."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import forms, selectors
from complaints.models import Complaint
from complaints.permissions import APPROVE_COMPENSATION, CHANGE_COMPLAINT
from complaints.services.closing import complaint_callback, complaint_close, complaint_reopen
from complaints.services.compensation import compensation_decide, compensation_request
from complaints.services.intake import attachment_add
from complaints.services.workflow import (
    complaint_assign,
    complaint_merge,
    complaint_note_add,
    complaint_respond,
    complaint_set_status,
    complaint_verify,
)
from complaints.timeline import render_timeline
from complaints.views.handler import RESPOND_SALT
from complaints.views.panels import (
    BackOnGetMixin,
    RecordButtonView,
    RecordFormView,
    action_panels,
)
from mallservice.guards import field_error
from mallservice.views import ServiceActionView

State = Complaint.State
OPEN_STEPS = frozenset({State.NEW, State.ASSIGNED, State.RESPONDED})
NOT_MERGED = frozenset(State.values) - {State.MERGED}


def _detail_url(complaint: Any) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def complaint_detail_context(
    request: HttpRequest, complaint: Complaint, bound: tuple[str, Any] | None = None
) -> dict[str, Any]:
    """The detail page: the complaint, its timeline, and the actions that
    fit its step (`bound`: the action form sent with errors, shown open)."""
    respond_url = ""
    if complaint.handler_kind:
        token = signing.dumps({"c": complaint.pk, "n": complaint.assignment_no}, salt=RESPOND_SALT)
        respond_url = request.build_absolute_uri(reverse("complaints:respond", args=[token]))
    return {
        "complaint": complaint,
        # Defined below: the list of this module's views.
        "actions": action_panels(COMPLAINT_ACTIONS, complaint, request.user, bound),
        "timeline": render_timeline(complaint.activities.all()),
        "respond_url": respond_url,
    }


class ComplaintFormView(RecordFormView):
    permission_required = CHANGE_COMPLAINT
    template_name = "complaints/complaint_detail.html"

    def get_queryset(self):
        return selectors.complaint_detail(user=self.request.user)

    def detail_url(self) -> str:
        return _detail_url(self.object)

    def detail_context(self, bound):
        return complaint_detail_context(self.request, self.object, bound)


class ComplaintNeedsContext:
    """A form that offers the complaint's mall's shops or statuses."""

    @classmethod
    def form_kwargs_for(cls, obj: Any, user: Any) -> dict[str, Any]:
        return {"complaint": obj, "user": user}


class RespondView(ComplaintFormView):
    action, url_name = "respond", "complaints:record_response"
    title = gettext_lazy("Record the handler's response")
    states = frozenset({State.ASSIGNED})
    form_class = forms.RespondForm
    success_message = gettext_lazy("The handler's response is recorded.")

    def act(self, obj, data):
        complaint_respond(actor=self.request.user, complaint=obj, response=data["response"])


class VerifyView(ComplaintFormView):
    action, url_name = "verify", "complaints:verify"
    title = gettext_lazy("Verify as resolved")
    states = frozenset({State.NEW, State.RESPONDED})
    form_class = forms.VerifyForm
    success_message = gettext_lazy("Verified as resolved.")

    def act(self, obj, data):
        complaint_verify(actor=self.request.user, complaint=obj, note=data["note"])


class CallbackView(ComplaintFormView):
    action, url_name = "callback", "complaints:callback"
    title = gettext_lazy("Record the satisfaction callback")
    states = frozenset({State.VERIFIED})
    form_class = forms.CallbackForm
    success_message = gettext_lazy("The satisfaction callback is recorded.")

    def act(self, obj, data):
        complaint_callback(actor=self.request.user, complaint=obj, **data)


class CloseView(RecordButtonView):
    action, url_name = "close", "complaints:close"
    title = gettext_lazy("Close")
    states = frozenset({State.CALLED_BACK})
    permission_required = CHANGE_COMPLAINT
    success_message = gettext_lazy("Complaint closed.")

    def get_queryset(self):
        return selectors.complaint_list(user=self.request.user)

    def get_success_url(self) -> str:
        return _detail_url(self.object)

    def perform(self, obj, data):
        complaint_close(actor=self.request.user, complaint=obj)


class AssignView(ComplaintNeedsContext, ComplaintFormView):
    action, url_name = "assign", "complaints:assign"
    title = gettext_lazy("Assign to a handler")
    states = OPEN_STEPS
    form_class = forms.AssignForm
    success_message = gettext_lazy("Assigned to the handler.")

    def act(self, obj, data):
        complaint_assign(actor=self.request.user, complaint=obj, **data)


class StatusView(ComplaintNeedsContext, ComplaintFormView):
    action, url_name = "status", "complaints:status"
    title = gettext_lazy("Set status")
    states = OPEN_STEPS | {State.VERIFIED}
    form_class = forms.StatusForm

    def act(self, obj, data):
        complaint_set_status(actor=self.request.user, complaint=obj, status=data["status"])
        return _("Status set to %(name)s.") % {"name": data["status"].name}


class MergeView(ComplaintFormView):
    action, url_name = "merge", "complaints:merge"
    title = gettext_lazy("Mark as duplicate")
    states = OPEN_STEPS
    form_class = forms.MergeForm
    # A duplicate is closed for good: there is no way back.
    confirm = gettext_lazy(
        "Mark this complaint as a duplicate and close it? This cannot be undone."
    )

    def act(self, obj, data):
        reference = data["into"].strip()
        target = selectors.complaint_list(user=self.request.user).filter(reference=reference)
        into = target.first()
        if into is None:
            raise field_error("into", _("No complaint with this reference number."), "not_found")
        complaint_merge(actor=self.request.user, complaint=obj, into=into)
        return _("Marked as a duplicate of %(ref)s.") % {"ref": into.reference}


class ReopenView(ComplaintFormView):
    action, url_name = "reopen", "complaints:reopen"
    title = gettext_lazy("Reopen")
    states = frozenset({State.VERIFIED, State.CALLED_BACK, State.CLOSED})
    form_class = forms.ReopenForm
    success_message = gettext_lazy("Complaint reopened.")

    def act(self, obj, data):
        complaint_reopen(actor=self.request.user, complaint=obj, **data)


class NoteView(ComplaintFormView):
    action, url_name = "note", "complaints:note"
    title = gettext_lazy("Add a note")
    states = NOT_MERGED
    form_class = forms.NoteForm
    success_message = gettext_lazy("Note added.")

    def act(self, obj, data):
        complaint_note_add(actor=self.request.user, complaint=obj, **data)


class CompensationView(ComplaintFormView):
    action, url_name = "compensation", "complaints:compensation"
    title = gettext_lazy("Request compensation")
    states = NOT_MERGED
    form_class = forms.CompensationForm
    success_message = gettext_lazy("Compensation requested; it waits for a supervisor's decision.")

    def act(self, obj, data):
        compensation_request(actor=self.request.user, complaint=obj, **data)


class AttachView(ComplaintFormView):
    action, url_name = "attach", "complaints:attach"
    title = gettext_lazy("Add an attachment")
    states = NOT_MERGED
    form_class = forms.AttachmentForm

    def act(self, obj, data):
        attachment = attachment_add(actor=self.request.user, complaint=obj, upload=data["file"])
        return _("Attachment added: %(name)s.") % {"name": attachment.original_name}


# The detail page's actions, in the order it offers them: the step's next
# move first, then the ones that fit any open step.
COMPLAINT_ACTIONS: list[type] = [
    RespondView,
    VerifyView,
    CallbackView,
    CloseView,
    AssignView,
    StatusView,
    ReopenView,
    MergeView,
    NoteView,
    CompensationView,
    AttachView,
]


class CompensationDecisionView(BackOnGetMixin, ServiceActionView):
    """A supervisor approves or rejects a requested compensation (for good:
    the button asks first)."""

    permission_required = APPROVE_COMPENSATION
    approve = True

    def get_queryset(self):
        return selectors.compensation_list(user=self.request.user)

    def get_success_url(self) -> str:
        return _detail_url(self.object.complaint)

    def perform(self, obj, data):
        compensation_decide(actor=self.request.user, compensation=obj, approve=self.approve)
        if self.approve:
            return _("Compensation approved.")
        return _("Compensation rejected.")


class CompensationApproveView(CompensationDecisionView):
    approve = True


class CompensationRejectView(CompensationDecisionView):
    approve = False
