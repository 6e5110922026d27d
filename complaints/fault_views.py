"""Pages of fault reports (故障报修). Each view: permission → one selector or
service → render. Objects come through the user-scoped selectors, so a
fault of another mall is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from complaints import fault_forms as forms
from complaints import selectors as complaint_selectors
from complaints.faults import selectors, services
from complaints.models import Complaint, FaultReport, FaultType, PhoneCall, ReporterKind
from complaints.timeline import render_timeline
from complaints.views import PAGE_SIZE, DeskMixin
from mallservice.files import ScopedFileView
from mallservice.forms import add_service_error
from mallservice.pagination import page_of
from mallservice.views import SubmitOnceMixin


class FaultMixin(DeskMixin):
    permission_required = "complaints.view_faultreport"


class FaultListView(FaultMixin, TemplateView):
    template_name = "complaints/fault_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = forms.FilterForm(self.request.GET or None, user=self.request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        qs = selectors.fault_filtered(user=self.request.user, filters=filters)
        page = page_of(qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(form=form, page_obj=page, faults=page.object_list)
        return context


class FaultCreateView(SubmitOnceMixin, FaultMixin, View):
    permission_required = "complaints.add_faultreport"
    template_name = "complaints/fault_form.html"

    def _sources(self, request: HttpRequest) -> tuple[PhoneCall | None, Complaint | None]:
        """The phone call or complaint the fault came from (?call= / ?complaint=)."""
        call_id = request.GET.get("call") or request.POST.get("call")
        complaint_id = request.GET.get("complaint") or request.POST.get("complaint")
        call = complaint = None
        if call_id and str(call_id).isdigit():
            call = get_object_or_404(
                complaint_selectors.phone_call_list(user=request.user), pk=call_id
            )
        if complaint_id and str(complaint_id).isdigit():
            complaint = get_object_or_404(
                complaint_selectors.complaint_list(user=request.user), pk=complaint_id
            )
        return call, complaint

    def _render(self, request, form, call, complaint, status=200) -> HttpResponse:
        context = {"form": form, "call": call, "complaint": complaint}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        call, complaint = self._sources(request)
        initial: dict[str, Any] = {"mall": request.user.mall}
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
        form = forms.FaultForm(initial=initial, user=request.user)
        return self._render(request, form, call, complaint)

    def post(self, request: HttpRequest) -> HttpResponse:
        call, complaint = self._sources(request)
        form = forms.FaultForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                fault = services.fault_report(
                    actor=request.user, **form.cleaned_data, phone_call=call, complaint=complaint
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Fault %(ref)s logged and sent to %(department)s.")
                    % {
                        "ref": fault.reference,
                        "department": fault.get_handler_department_display(),
                    },
                )
                return redirect("complaints:fault_detail", pk=fault.pk)
        return self._render(request, form, call, complaint, status=400)


ACTIONS: dict[str, tuple[type, str]] = {
    "assign": (forms.AssignForm, "complaints.route_faultreport"),
    "fix": (forms.FixForm, "complaints.change_faultreport"),
    "close": (forms.CloseForm, "complaints.change_faultreport"),
    "send_back": (forms.SendBackForm, "complaints.change_faultreport"),
    "note": (forms.NoteForm, "complaints.change_faultreport"),
}


def _run_action(name: str, user: Any, fault: FaultReport, data: dict[str, Any]) -> Any:
    common = {"actor": user, "fault": fault}
    if name == "assign":
        return services.fault_assign(**common, **data)
    if name == "fix":
        return services.fault_fix_record(**common, **data)
    if name == "close":
        return services.fault_close(**common, **data)
    if name == "send_back":
        return services.fault_send_back(**common, **data)
    if name == "note":
        return services.fault_note_add(**common, **data)
    raise Http404


class FaultDetailView(FaultMixin, View):
    template_name = "complaints/fault_detail.html"

    def _fault(self, request: HttpRequest, pk: int) -> FaultReport:
        return get_object_or_404(selectors.fault_detail(user=request.user), pk=pk)

    def _render(self, request, fault, bound=None, status=200) -> HttpResponse:
        action_forms = {
            name: form_class(prefix=name)
            for name, (form_class, perm) in ACTIONS.items()
            if request.user.has_perm(perm)
        }
        if bound is not None:
            action_forms[bound[0]] = bound[1]
        context = {
            "fault": fault,
            "forms": action_forms,
            "open_form": bound[0] if bound else "",
            "timeline": render_timeline(fault.activities.all()),
            "can_change": request.user.has_perm("complaints.change_faultreport"),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._fault(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        fault = self._fault(request, pk)
        name = request.POST.get("action", "")
        if name not in ACTIONS:
            raise Http404
        form_class, perm = ACTIONS[name]
        if not request.user.has_perm(perm):
            raise PermissionDenied
        form = form_class(request.POST, prefix=name)
        if form.is_valid():
            try:
                _run_action(name, request.user, fault, form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("complaints:fault_detail", pk=fault.pk)
        return self._render(request, self._fault(request, pk), bound=(name, form), status=400)


class FaultPhotoView(FaultMixin, ScopedFileView):
    """A fault's photo (or PDF), to staff who may open the fault."""

    field = "photo"

    def get_queryset(self, request: HttpRequest):
        return selectors.fault_list(user=request.user)

    def download_name(self, obj) -> str:
        return obj.reference


class FaultReportView(FaultMixin, TemplateView):
    """Open faults by place and type, time to fix, repeat places."""

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
