"""Pages of fault reports (故障报修). Each view: permission → one selector or
service → render. Records come through the user-scoped selectors, so a
fault of another mall is a 404. The detail page's actions have one URL and
one view each (`faults/<pk>/fix/`, ...), offered in the steps they fit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from complaints import selectors as complaint_selectors
from complaints.faults import forms, selectors, services
from complaints.faults.filters import FaultFilter
from complaints.models import Complaint, FaultReport, FaultType, PhoneCall, ReporterKind
from complaints.permissions import (
    ADD_FAULTREPORT,
    CHANGE_FAULTREPORT,
    ROUTE_FAULTREPORT,
    VIEW_FAULTREPORT,
)
from complaints.timeline import render_timeline
from complaints.views.panels import RecordFormView, action_panels
from mallservice.files import ScopedFileView
from mallservice.pagination import page_of
from mallservice.views import DeskView, ServiceFormView

PAGE_SIZE = 50
State = FaultReport.State


class FaultListView(DeskView, TemplateView):
    permission_required = VIEW_FAULTREPORT
    template_name = "complaints/fault_list.html"
    paginate_by = PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = FaultFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), self.paginate_by)
        context.update(form=listed.form, page_obj=page, faults=page.object_list)
        return context


class FaultCreateView(ServiceFormView):
    permission_required = ADD_FAULTREPORT
    template_name = "complaints/fault_form.html"
    form_class = forms.FaultForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.call: PhoneCall | None = None
        self.complaint: Complaint | None = None
        return super().dispatch(request, *args, **kwargs)

    def _sources(self) -> tuple[PhoneCall | None, Complaint | None]:
        """The phone call or complaint the fault came from (?call= / ?complaint=)."""
        request, user = self.request, self.request.user
        call_id = request.GET.get("call") or request.POST.get("call")
        complaint_id = request.GET.get("complaint") or request.POST.get("complaint")
        call = complaint = None
        if call_id and str(call_id).isdigit():
            call = get_object_or_404(complaint_selectors.phone_call_list(user=user), pk=call_id)
        if complaint_id and str(complaint_id).isdigit():
            complaint = get_object_or_404(
                complaint_selectors.complaint_list(user=user), pk=complaint_id
            )
        return call, complaint

    def get_form(self, form_class=None):
        self.call, self.complaint = self._sources()  # before the initial data
        return super().get_form(form_class)

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        call, complaint = self.call, self.complaint
        if call is not None:
            initial.update(
                mall=call.mall,
                reporter_kind=ReporterKind.CUSTOMER,
                reporter_name=call.caller_name,
                description=call.summary,
            )
        if complaint is not None:
            initial.update(
                mall=complaint.mall,
                floor=complaint.floor,
                unit=complaint.unit,
                reporter_kind=ReporterKind.CUSTOMER,
                reporter_name=complaint.complainant_name,
                description=complaint.description,
            )
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # builds the form, finds the sources
        context.update(call=self.call, complaint=self.complaint)
        return context

    def form_invalid(self, form: forms.FaultForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def perform(self, form: forms.FaultForm) -> HttpResponse:
        fault = services.fault_report(
            actor=self.request.user,
            **form.cleaned_data,
            phone_call=self.call,
            complaint=self.complaint,
        )
        messages.success(
            self.request,
            _("Fault %(ref)s logged and sent to %(department)s.")
            % {"ref": fault.reference, "department": fault.get_handler_department_display()},
        )
        return redirect("complaints:fault_detail", pk=fault.pk)


def fault_detail_context(
    request: HttpRequest, fault: FaultReport, bound: tuple[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "fault": fault,
        "actions": action_panels(FAULT_ACTIONS, fault, request.user, bound),
        "timeline": render_timeline(fault.activities.all()),
    }


class FaultDetailView(DeskView, View):
    permission_required = VIEW_FAULTREPORT
    template_name = "complaints/fault_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        fault = get_object_or_404(selectors.fault_detail(user=request.user), pk=pk)
        return render(request, self.template_name, fault_detail_context(request, fault))


class FaultFormView(RecordFormView):
    permission_required = CHANGE_FAULTREPORT
    template_name = "complaints/fault_detail.html"

    def get_queryset(self):
        return selectors.fault_detail(user=self.request.user)

    def detail_url(self) -> str:
        return reverse("complaints:fault_detail", args=[self.object.pk])

    def detail_context(self, bound):
        return fault_detail_context(self.request, self.object, bound)


class FaultFixView(FaultFormView):
    action, url_name = "fix", "complaints:fault_fix"
    title = gettext_lazy("Record the fix")
    states = frozenset({State.ASSIGNED})
    form_class = forms.FixForm
    success_message = gettext_lazy("Fix recorded.")

    def act(self, obj, data):
        services.fault_fix_record(actor=self.request.user, fault=obj, **data)


class FaultCloseView(FaultFormView):
    action, url_name = "close", "complaints:fault_close"
    title = gettext_lazy("Confirm the fix and close")
    states = frozenset({State.FIXED})
    form_class = forms.CloseForm
    success_message = gettext_lazy("Fault confirmed and closed.")

    def act(self, obj, data):
        services.fault_close(actor=self.request.user, fault=obj, **data)


class FaultSendBackView(FaultFormView):
    action, url_name = "send_back", "complaints:fault_send_back"
    title = gettext_lazy("Not fixed: send back")
    states = frozenset({State.FIXED})
    form_class = forms.SendBackForm
    success_message = gettext_lazy("Sent back to the handler.")

    def act(self, obj, data):
        services.fault_send_back(actor=self.request.user, fault=obj, **data)


class FaultAssignView(FaultFormView):
    action, url_name = "assign", "complaints:fault_assign"
    title = gettext_lazy("Re-route")
    states = frozenset({State.ASSIGNED})
    permission_required = ROUTE_FAULTREPORT
    form_class = forms.AssignForm

    def act(self, obj, data):
        fault = services.fault_assign(actor=self.request.user, fault=obj, **data)
        return _("Re-routed to %(department)s.") % {
            "department": fault.get_handler_department_display()
        }


class FaultNoteView(FaultFormView):
    action, url_name = "note", "complaints:fault_note"
    title = gettext_lazy("Add a note")
    states = frozenset(State.values)
    form_class = forms.NoteForm
    success_message = gettext_lazy("Note added.")

    def act(self, obj, data):
        services.fault_note_add(actor=self.request.user, fault=obj, **data)


FAULT_ACTIONS: list[type] = [
    FaultFixView,
    FaultCloseView,
    FaultSendBackView,
    FaultAssignView,
    FaultNoteView,
]


class FaultPhotoView(DeskView, ScopedFileView):
    """A fault's photo (or PDF), to staff who may open the fault."""

    permission_required = VIEW_FAULTREPORT
    field = "photo"

    def get_queryset(self, request: HttpRequest):
        return selectors.fault_list(user=request.user)

    def download_name(self, obj) -> str:
        return obj.reference


class FaultReportView(DeskView, TemplateView):
    """Open faults by place and type, time to fix, repeat places."""

    permission_required = VIEW_FAULTREPORT
    template_name = "complaints/fault_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        figures = selectors.fault_report_figures(user=self.request.user, now=timezone.now())
        labels = dict(FaultType.choices)
        for key in ("by_type", "fix_times", "repeats"):
            for row in figures[key]:
                row["label"] = labels.get(row["fault_type"], row["fault_type"])
        context["figures"] = figures
        return context
