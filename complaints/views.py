"""Pages of the complaints desk. Each view: permission → one selector or
service → render. Objects come through the user-scoped selectors, so a
complaint of another mall is a 404."""

from __future__ import annotations

from itertools import chain
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from complaints import forms, selectors
from complaints.models import Complaint, PhoneCall, Satisfaction, Summary
from complaints.services.closing import complaint_callback, complaint_close, complaint_reopen
from complaints.services.compensation import compensation_decide, compensation_request
from complaints.services.intake import attachment_add, complaint_receive
from complaints.services.phone_log import phone_call_log
from complaints.services.reports import summary_build
from complaints.services.workflow import (
    complaint_assign,
    complaint_merge,
    complaint_note_add,
    complaint_respond,
    complaint_set_status,
    complaint_verify,
)
from complaints.timeline import render_timeline
from mallservice.audit import Source, actor_context
from mallservice.exports import XLSX_CONTENT_TYPE, xlsx_bytes
from mallservice.files import ScopedFileView
from mallservice.forms import add_service_error
from mallservice.models import User
from mallservice.net import client_ip
from mallservice.pagination import page_of
from mallservice.services import sensitive_access_log, system_actor_id
from mallservice.views import RevealPhoneView, SubmitOnceMixin

PAGE_SIZE = 50
RESPOND_SALT = "complaints.respond"
RESPOND_MAX_AGE = 30 * 24 * 3600


class DeskMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "complaints.view_complaint"

    def handle_no_permission(self):
        # Anonymous users go to the login page; logged-in users without the
        # permission get a 403.
        if self.request.user.is_authenticated:
            raise PermissionDenied
        return super().handle_no_permission()


class ComplaintListView(DeskMixin, TemplateView):
    template_name = "complaints/complaint_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = forms.FilterForm(self.request.GET or None, user=self.request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        qs = selectors.complaint_filtered(user=self.request.user, filters=filters)
        page = page_of(qs, self.request.GET.get("page"), PAGE_SIZE)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=form,
            page_obj=page,
            complaints=page.object_list,
            query=query.urlencode(),
            can_export=self.request.user.has_perm("complaints.export_complaint"),
        )
        return context


class ComplaintExportView(DeskMixin, View):
    permission_required = "complaints.export_complaint"
    max_rows = 20000

    def get(self, request: HttpRequest) -> HttpResponse:
        from mallservice.masking import mask_phone

        form = forms.FilterForm(request.GET or None, user=request.user)
        filters = form.cleaned_data if form.is_valid() else {}
        qs = selectors.complaint_filtered(user=request.user, filters=filters)[: self.max_rows]
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
        # writes any that starts like a formula as text.
        content, written = xlsx_bytes(sheet_title=str(_("Complaints")), rows=chain([header], rows))
        sensitive_access_log(
            actor=request.user,
            kind="export",
            mall=request.user.mall,
            detail={"what": "complaints", "rows": written - 1, "filters": request.GET.urlencode()},
            ip=client_ip(request),
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        name = f"complaints-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ComplaintCreateView(SubmitOnceMixin, DeskMixin, View):
    permission_required = "complaints.add_complaint"
    template_name = "complaints/complaint_form.html"

    def _call(self, request: HttpRequest) -> PhoneCall | None:
        call_id = request.GET.get("call") or request.POST.get("call")
        if not call_id or not str(call_id).isdigit():
            return None
        return get_object_or_404(
            selectors.phone_call_list(user=request.user).filter(complaint__isnull=True),
            pk=call_id,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        call = self._call(request)
        initial: dict[str, Any] = {"mall": request.user.mall}
        if call is not None:
            # Turn a call into a complaint without retyping. The caller's
            # number is not put in the page (a full number is shown only
            # through the logged reveal): the form carries the call's id and
            # the service takes the number from the call when left empty.
            initial.update(
                mall=call.mall,
                channel="phone",
                complainant_name=call.caller_name,
                description=call.summary,
            )
        form = forms.IntakeForm(initial=initial, user=request.user)
        _phone_from_call(form, call)
        return render(request, self.template_name, {"form": form, "call": call})

    def post(self, request: HttpRequest) -> HttpResponse:
        call = self._call(request)
        form = forms.IntakeForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = complaint_receive(
                    actor=request.user,
                    mall=data["mall"],
                    channel=data["channel"],
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
                    phone_call=call,
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, _("Complaint %(ref)s recorded.") % {"ref": complaint.reference}
                )
                return redirect("complaints:slip", pk=complaint.pk)
        _phone_from_call(form, call)
        return render(request, self.template_name, {"form": form, "call": call}, status=200)


def _phone_from_call(form: forms.IntakeForm, call: PhoneCall | None) -> None:
    """Show the call's number masked as what an empty phone field means."""
    if call is None or not call.phone:
        return
    from mallservice.masking import mask_phone

    field = form.fields["complainant_phone"]
    field.widget.attrs["placeholder"] = mask_phone(call.phone)
    field.help_text = _("Left empty: the number of the call.")


class ComplaintSlipView(DeskMixin, DetailView):
    template_name = "complaints/complaint_slip.html"
    context_object_name = "complaint"

    def get_queryset(self):
        return selectors.complaint_list(user=self.request.user)


ACTIONS: dict[str, tuple[type, str]] = {
    "assign": (forms.AssignForm, "complaints.change_complaint"),
    "respond": (forms.RespondForm, "complaints.change_complaint"),
    "verify": (forms.VerifyForm, "complaints.change_complaint"),
    "callback": (forms.CallbackForm, "complaints.change_complaint"),
    "close": (forms.CloseForm, "complaints.change_complaint"),
    "reopen": (forms.ReopenForm, "complaints.change_complaint"),
    "merge": (forms.MergeForm, "complaints.change_complaint"),
    "note": (forms.NoteForm, "complaints.change_complaint"),
    "status": (forms.StatusForm, "complaints.change_complaint"),
    "compensation": (forms.CompensationForm, "complaints.change_complaint"),
    "decide": (forms.DecideForm, "complaints.approve_compensation"),
    "attach": (forms.AttachmentForm, "complaints.change_complaint"),
}
NEEDS_CONTEXT = {"assign", "status"}


def _make_form(name: str, complaint: Complaint, user: Any, data=None, files=None):
    form_class, _perm = ACTIONS[name]
    kwargs: dict[str, Any] = {"prefix": name}
    if name in NEEDS_CONTEXT:
        kwargs.update(complaint=complaint, user=user)
    return form_class(data, files, **kwargs) if data is not None else form_class(**kwargs)


def _run_action(name: str, request: HttpRequest, complaint: Complaint, data: dict[str, Any]):
    user = request.user
    common = {"actor": user, "complaint": complaint}
    if name == "assign":
        return complaint_assign(**common, **data)
    if name == "respond":
        return complaint_respond(**common, response=data["response"])
    if name == "verify":
        return complaint_verify(**common, note=data["note"])
    if name == "callback":
        return complaint_callback(**common, **data)
    if name == "close":
        return complaint_close(**common)
    if name == "reopen":
        return complaint_reopen(**common, **data)
    if name == "merge":
        target = selectors.complaint_list(user=user).filter(reference=data["into"].strip()).first()
        if target is None:
            raise ValidationError({"into": _("No complaint with this reference number.")})
        return complaint_merge(**common, into=target)
    if name == "note":
        return complaint_note_add(**common, **data)
    if name == "status":
        return complaint_set_status(**common, status=data["status"])
    if name == "compensation":
        return compensation_request(**common, **data)
    if name == "decide":
        compensation = get_object_or_404(
            selectors.compensation_list(user=user).filter(complaint=complaint),
            pk=data["compensation"],
        )
        return compensation_decide(actor=user, compensation=compensation, approve=data["approve"])
    if name == "attach":
        return attachment_add(**common, upload=data["file"])
    raise Http404


class ComplaintDetailView(SubmitOnceMixin, DeskMixin, View):
    template_name = "complaints/complaint_detail.html"

    def _complaint(self, request: HttpRequest, pk: int) -> Complaint:
        return get_object_or_404(selectors.complaint_detail(user=request.user), pk=pk)

    def _render(self, request, complaint, bound=None, status=200) -> HttpResponse:
        action_forms = {
            name: _make_form(name, complaint, request.user) for name in ACTIONS if name != "decide"
        }
        if bound is not None:
            action_forms[bound[0]] = bound[1]
        token = signing.dumps({"c": complaint.pk, "n": complaint.assignment_no}, salt=RESPOND_SALT)
        context = {
            "complaint": complaint,
            "forms": action_forms,
            "open_form": bound[0] if bound else "",
            "timeline": render_timeline(complaint.activities.all()),
            "can_approve": request.user.has_perm("complaints.approve_compensation"),
            "respond_url": request.build_absolute_uri(reverse("complaints:respond", args=[token]))
            if complaint.handler_kind
            else "",
            "now": timezone.now(),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._complaint(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        complaint = self._complaint(request, pk)
        name = request.POST.get("action", "")
        if name not in ACTIONS:
            raise Http404
        if not request.user.has_perm(ACTIONS[name][1]):
            raise PermissionDenied
        form = _make_form(name, complaint, request.user, request.POST, request.FILES)
        if form.is_valid():
            try:
                _run_action(name, request, complaint, form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("complaints:detail", pk=complaint.pk)
        return self._render(request, self._complaint(request, pk), bound=(name, form), status=400)


class HandlerRespondView(View):
    """The handler's simple page (a shop or a floor supervisor without an
    account): a signed link per assignment, valid 30 days."""

    template_name = "complaints/handler_respond.html"

    def _complaint(self, token: str) -> tuple[Complaint, int]:
        try:
            payload = signing.loads(token, salt=RESPOND_SALT, max_age=RESPOND_MAX_AGE)
        except signing.BadSignature as exc:
            raise Http404 from exc
        complaint = get_object_or_404(Complaint.objects.for_list(), pk=payload.get("c"))
        return complaint, int(payload.get("n", -1))

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        complaint, number = self._complaint(token)
        return render(
            request,
            self.template_name,
            {
                "complaint": complaint,
                "form": forms.RespondForm(),
                "stale": number != complaint.assignment_no,
            },
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        complaint, number = self._complaint(token)
        form = forms.RespondForm(request.POST)
        if form.is_valid():
            actor_id = system_actor_id()
            try:
                # Attributed to the system actor, marked as coming from the
                # handler's link (the handler has no account).
                with actor_context(actor_id=actor_id, source=Source.WEB, via="handler_link"):
                    complaint_respond(
                        actor=User.objects.get(pk=actor_id),
                        complaint=complaint,
                        response=form.cleaned_data["response"],
                        assignment_no=number,
                    )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return render(request, self.template_name, {"complaint": complaint, "done": True})
        return render(
            request, self.template_name, {"complaint": complaint, "form": form}, status=400
        )


class PhoneCallListView(SubmitOnceMixin, DeskMixin, View):
    permission_required = "complaints.view_phonecall"
    template_name = "complaints/phonecall_list.html"

    def _render(self, request, form, status=200):
        qs = selectors.phone_call_list(user=request.user)
        page = page_of(qs, request.GET.get("page"), PAGE_SIZE)
        return render(
            request,
            self.template_name,
            {"form": form, "page_obj": page, "calls": page.object_list},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(
            request, forms.PhoneCallForm(initial={"mall": request.user.mall}, user=request.user)
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("complaints.add_phonecall"):
            raise PermissionDenied
        form = forms.PhoneCallForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                call = phone_call_log(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Call logged."))
                if call.topic == PhoneCall.Topic.COMPLAINT:
                    return redirect(f"{reverse('complaints:create')}?call={call.pk}")
                return redirect("complaints:calls")
        return self._render(request, form, status=400)


class SummaryListView(DeskMixin, ListView):
    permission_required = "complaints.view_summary"
    template_name = "complaints/summary_list.html"
    context_object_name = "summaries"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return selectors.summary_list(user=self.request.user)


class SummaryDetailView(DeskMixin, DetailView):
    permission_required = "complaints.view_summary"
    template_name = "complaints/summary_detail.html"
    context_object_name = "summary"

    def get_queryset(self):
        return selectors.summary_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        figures = self.object.data.get("satisfaction", {})
        context["satisfaction"] = [
            (label, figures.get(code, 0)) for code, label in Satisfaction.choices
        ]
        return context


class SummaryBuildView(DeskMixin, View):
    """A supervisor builds today's summary now (the beat does it anyway)."""

    permission_required = "complaints.change_summary"

    def post(self, request: HttpRequest) -> HttpResponse:
        mall = request.user.mall
        if mall is None:
            raise Http404
        today = timezone.localdate()
        summary = summary_build(
            mall=mall, period=Summary.Period.DAY, starts_on=today, ends_on=today
        )
        return redirect("complaints:summary", pk=summary.pk)


class AttachmentFileView(DeskMixin, ScopedFileView):
    """A complaint's attachment, to staff who may open the complaint."""

    field = "file"

    def get_queryset(self, request: HttpRequest):
        return selectors.attachment_list(user=request.user)

    def download_name(self, obj) -> str:
        return f"{obj.complaint.reference}-{obj.pk}"


class ComplaintRevealPhoneView(DeskMixin, RevealPhoneView):
    """Show the complainant's full number for the callback; a logged read."""

    field = "complainant_phone"

    def get_queryset(self, request: HttpRequest):
        return selectors.complaint_list(user=request.user)
