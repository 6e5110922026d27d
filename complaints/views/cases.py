"""Complaint pages: the list and its export, intake, the slip, the detail
page. Each view: permission → one selector or service → render. Records
come through the user-scoped selectors, so another mall's is a 404."""

from __future__ import annotations

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from complaints import forms, selectors
from complaints.filters import ComplaintFilter
from complaints.models import PhoneCall
from complaints.permissions import (
    ADD_COMPLAINT,
    ADD_FAULTREPORT,
    EXPORT_COMPLAINT,
    VIEW_COMPLAINT,
)
from complaints.services.intake import complaint_receive
from complaints.views.actions import complaint_detail_context
from mallservice.exports import spreadsheet_response
from mallservice.files import ScopedFileView
from mallservice.filters import filter_query
from mallservice.masking import mask_phone
from mallservice.pagination import page_of
from mallservice.selectors import unit_list
from mallservice.views import DeskView, RevealPhoneView, ServiceFormView

PAGE_SIZE = 50


class ComplaintListView(DeskView, TemplateView):
    permission_required = VIEW_COMPLAINT
    template_name = "complaints/complaint_list.html"
    paginate_by = PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = ComplaintFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), self.paginate_by)
        context.update(
            form=listed.form,
            page_obj=page,
            complaints=page.object_list,
            query=filter_query(self.request.GET),
        )
        return context


class ComplaintExportView(DeskView, View):
    permission_required = EXPORT_COMPLAINT
    max_rows = 20000

    def get(self, request: HttpRequest) -> HttpResponse:
        qs = ComplaintFilter(request.GET or None, user=request.user).qs[: self.max_rows]
        header = [
            _("reference number"),
            _("received at"),
            _("channel"),
            _("complainant"),
            _("phone"),
            _("floor"),
            _("shop / counter / area"),
            _("category"),
            _("severity"),
            _("status"),
            _("handler"),
            _("SLA"),
            _("satisfaction"),
        ]
        rows = (
            [
                c.reference,
                timezone.localtime(c.received_at).strftime("%Y-%m-%d %H:%M"),
                c.get_channel_display(),
                c.complainant_name,
                mask_phone(c.complainant_phone),
                c.floor.code if c.floor else "",
                c.unit.name if c.unit else "",
                c.category.name,
                c.get_severity_display(),
                c.status.name,
                c.handler_name,
                c.get_sla_state_display(),
                c.get_satisfaction_display(),
            ]
            for c in qs
        )
        # Complainants' and handlers' names are typed by people: the helper
        # writes any that starts like a formula as text, and logs the export.
        return spreadsheet_response(
            request=request,
            mall=request.user.mall,
            filename=f"complaints-{timezone.localdate():%Y%m%d}",
            sheet_title=str(_("Complaints")),
            header=header,
            rows=rows,
            detail={"what": "complaints", "filters": request.GET.urlencode()},
        )


class ComplaintCreateView(ServiceFormView):
    permission_required = ADD_COMPLAINT
    template_name = "complaints/complaint_form.html"
    form_class = forms.IntakeForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.call: PhoneCall | None = None
        return super().dispatch(request, *args, **kwargs)

    def _phone_call(self) -> PhoneCall | None:
        """The logged call the complaint comes from (`?call=`), not yet a
        complaint."""
        call_id = self.request.GET.get("call") or self.request.POST.get("call")
        if not call_id or not str(call_id).isdigit():
            return None
        return get_object_or_404(
            selectors.phone_call_list(user=self.request.user).filter(complaint__isnull=True),
            pk=call_id,
        )

    def get_form(self, form_class=None) -> django_forms.Form:
        self.call = self._phone_call()  # before the initial data, read from it
        form = super().get_form(form_class)
        if self.call is not None and self.call.phone:
            # The caller's number is not put in the page (a full number is
            # shown only through the logged reveal): the form carries the
            # call's id and the service takes the number from the call.
            field = form.fields["complainant_phone"]
            field.widget.attrs["placeholder"] = mask_phone(self.call.phone)
            field.help_text = _("Left empty: the number of the call.")
        return form

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        call = self.call
        if call is not None:
            # Turn a call into a complaint without retyping.
            initial.update(
                mall=call.mall,
                channel="phone",
                complainant_name=call.caller_name,
                description=call.summary,
            )
        return initial

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # builds the form, finds the call
        context["call"] = self.call
        return context

    def perform(self, form: forms.IntakeForm) -> HttpResponse:
        data = form.cleaned_data
        complaint = complaint_receive(
            actor=self.request.user,
            mall=data["mall"],
            channel=data["channel"],
            source_case_number=data["source_case_number"],
            complainant_name=data["complainant_name"],
            complainant_phone=data["complainant_phone"],
            member=data["member"],
            member_tier=data["member_tier"],
            floor=data["floor"],
            unit=data["unit"],
            category=data["category"],
            description=data["description"],
            remedy_requested=data["remedy_requested"],
            severity=data["severity"],
            attachments=[data["attachment"]] if data["attachment"] else [],
            phone_call=self.call,
        )
        messages.success(
            self.request, _("Complaint %(ref)s recorded.") % {"ref": complaint.reference}
        )
        return redirect("complaints:slip", pk=complaint.pk)


class ComplaintSlipView(DeskView, DetailView):
    """The printable complaint record sheet (投诉记录单) handed to the
    customer: reference, place, receiving staff and deadline."""

    permission_required = VIEW_COMPLAINT
    template_name = "complaints/complaint_slip.html"
    context_object_name = "complaint"

    def get_queryset(self):
        return selectors.complaint_list(user=self.request.user).select_related("created_by")


class ComplaintDetailView(DeskView, View):
    permission_required = VIEW_COMPLAINT
    template_name = "complaints/complaint_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = get_object_or_404(selectors.complaint_detail(user=request.user), pk=pk)
        return render(request, self.template_name, complaint_detail_context(request, complaint))


class UnitOptionsView(DeskView, View):
    """The shop list of one floor (HTMX: choosing a floor on the intake or
    fault form), by floor then name; the chosen shop stays chosen."""

    permission_required = ADD_COMPLAINT
    template_name = "complaints/_unit_options.html"

    def has_permission(self) -> bool:
        user = self.request.user
        return user.has_perm(ADD_COMPLAINT) or user.has_perm(ADD_FAULTREPORT)

    def get(self, request: HttpRequest) -> HttpResponse:
        units = unit_list(user=request.user).order_by(*forms.UNIT_ORDER)
        floor = request.GET.get("floor", "")
        if floor.isdigit():
            units = units.filter(floor_id=int(floor))
        options = [(str(unit.pk), forms.unit_label(unit)) for unit in units]
        return render(
            request, self.template_name, {"options": options, "chosen": request.GET.get("unit")}
        )


class AttachmentFileView(DeskView, ScopedFileView):
    """A complaint's attachment, to staff who may open the complaint."""

    permission_required = VIEW_COMPLAINT
    field = "file"

    def get_queryset(self, request: HttpRequest):
        return selectors.attachment_list(user=request.user)

    def download_name(self, obj) -> str:
        return f"{obj.complaint.reference}-{obj.pk}"


class ComplaintRevealPhoneView(DeskView, RevealPhoneView):
    """Show the complainant's full number for the callback; a logged read."""

    permission_required = VIEW_COMPLAINT
    field = "complainant_phone"

    def get_queryset(self, request: HttpRequest):
        return selectors.complaint_list(user=request.user)
