"""Pages of the rosters app. Each view checks a permission, calls one
selector or service and renders; objects come through scoped selectors."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mallservice.exports import spreadsheet_response
from mallservice.files import ScopedFileView
from mallservice.forms import add_service_error
from mallservice.net import client_ip
from mallservice.selectors import mall_list
from mallservice.views import SubmitOnceMixin
from rosters import selectors, services
from rosters.forms import (
    AssignForm,
    ClearForm,
    HandoverForm,
    InspectionForm,
    LeaveForm,
    NoteForm,
    OffPostForm,
    PinClockForm,
    PinSetForm,
    SupplyRequisitionForm,
    SwapForm,
    TrainingForm,
)
from rosters.models import ClockEvent, LeaveRequest, SupplyRequisition, SwapRequest, Week


def _date(value: Any, default: datetime.date) -> datetime.date:
    try:
        return parse_date(value or "") or default
    except ValueError:
        return default


class MallMixin(LoginRequiredMixin):
    """Resolves the mall of the page (?mall= or the user's own); a mall the
    user may not see is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.mall = selectors.user_mall(
            request.user, request.GET.get("mall") or request.POST.get("mall")
        )
        if self.mall is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def mall_url(self, name: str, **params: Any) -> str:
        query = "&".join(f"{k}={v}" for k, v in {"mall": self.mall.pk, **params}.items())
        return f"{reverse(name)}?{query}"


class Page(MallMixin, PermissionRequiredMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["mall"] = self.mall
        context["malls"] = mall_list(user=self.request.user)
        return context


# --- roster ----------------------------------------------------------------


class MyScheduleView(Page):
    permission_required = "rosters.view_assignment"
    template_name = "rosters/my_schedule.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = selectors.week_start_of(timezone.localdate())
        context["assignments"] = selectors.my_schedule(user=self.request.user, start=start)
        context["weeks"] = selectors.week_list(user=self.request.user).filter(
            mall=self.mall, week_start__gte=start - datetime.timedelta(days=7)
        )[:4]
        return context


class WeekView(SubmitOnceMixin, Page):
    permission_required = "rosters.plan_week"
    template_name = "rosters/week_grid.html"

    def week(self) -> Week:
        day = _date(self.request.GET.get("date"), timezone.localdate())
        start = selectors.week_start_of(day)
        week = (
            selectors.week_list(user=self.request.user)
            .filter(mall=self.mall, week_start=start)
            .first()
        )
        return week or Week(mall=self.mall, week_start=start)

    def forms(self, data=None) -> AssignForm:
        return AssignForm(
            data,
            staff=selectors.staff_of_mall(self.mall),
            shift_types=selectors.shift_type_list(user=self.request.user, mall=self.mall),
            posts=selectors.post_list(user=self.request.user, mall=self.mall),
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        week = self.week()
        context.update(selectors.week_grid(user=self.request.user, week=week))
        context["week"] = week
        context["form"] = form or self.forms()
        context["prev"] = week.week_start - datetime.timedelta(days=7)
        context["next"] = week.week_start + datetime.timedelta(days=7)
        context["today"] = timezone.localdate()
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "assign")
        if action == "clear":
            clear = ClearForm(request.POST, staff=selectors.staff_of_mall(self.mall))
            if clear.is_valid():
                try:
                    services.assignment_clear(
                        actor=request.user, mall=self.mall, **clear.cleaned_data
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                return redirect(self.mall_url("rosters:week", date=clear.cleaned_data["date"]))
            return redirect(self.mall_url("rosters:week"))
        form = self.forms(request.POST)
        if form.is_valid():
            try:
                services.assignment_set(actor=request.user, mall=self.mall, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Shift saved."))
                return redirect(self.mall_url("rosters:week", date=form.cleaned_data["date"]))
        self.request.GET = self.request.GET.copy()
        self.request.GET["date"] = request.POST.get("date", "")
        return self.render_to_response(self.get_context_data(form=form), status=200)


class WeekActionView(MallMixin, PermissionRequiredMixin, View):
    permission_required = "rosters.plan_week"

    def post(self, request, action: str):
        day = _date(request.POST.get("date"), timezone.localdate())
        try:
            week = services.week_get_or_create(actor=request.user, mall=self.mall, day=day)
            if action == "copy":
                copied = services.week_copy_previous(actor=request.user, week=week)
                messages.success(request, _("%(n)s shifts copied from last week.") % {"n": copied})
            elif action == "publish":
                services.week_publish(actor=request.user, week=week)
                messages.success(request, _("The roster is published."))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.mall_url("rosters:week", date=day))


class WeekPrintView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "rosters.view_assignment"
    template_name = "rosters/week_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        week = get_object_or_404(selectors.week_list(user=self.request.user), pk=kwargs["pk"])
        context.update(selectors.week_grid(user=self.request.user, week=week))
        context["week"] = week
        return context


# --- swaps -----------------------------------------------------------------


class SwapListView(SubmitOnceMixin, Page):
    permission_required = "rosters.add_swaprequest"
    template_name = "rosters/swap_list.html"

    def form(self, data=None) -> SwapForm:
        now = timezone.now()
        future = selectors.assignment_list(user=self.request.user).filter(
            mall=self.mall, week__state=Week.State.PUBLISHED, starts_at__gt=now
        )
        return SwapForm(
            data,
            mine=future.filter(staff=self.request.user),
            theirs=future.exclude(staff=self.request.user),
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        swaps = selectors.swap_list(user=user).filter(mall=self.mall)
        context["pending"] = bool(self.request.GET.get("pending"))
        if context["pending"]:
            swaps = swaps.filter(state=SwapRequest.State.AWAITING_SUPERVISOR)
        context["swaps"] = swaps[:100]
        context["form"] = form or self.form()
        context["is_supervisor"] = selectors.is_supervisor(user)
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.swap_request_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Swap requested; your colleague must accept it."))
                return redirect(self.mall_url("rosters:swaps"))
        return self.render_to_response(self.get_context_data(form=form))


SWAP_ACTIONS = {
    "accept": (services.swap_request_accept, "rosters.add_swaprequest", _("Swap accepted.")),
    "decline": (services.swap_request_decline, "rosters.add_swaprequest", _("Swap declined.")),
    "cancel": (services.swap_request_cancel, "rosters.add_swaprequest", _("Swap cancelled.")),
    "approve": (services.swap_request_approve, "rosters.approve_swaprequest", _("Swap approved.")),
    "reject": (services.swap_request_reject, "rosters.approve_swaprequest", _("Swap rejected.")),
}


class SwapActionView(LoginRequiredMixin, View):
    def post(self, request, pk: int, action: str):
        if action not in SWAP_ACTIONS:
            raise Http404
        service, perm, done = SWAP_ACTIONS[action]
        if not request.user.has_perm(perm):
            return HttpResponse(status=403)
        swap = get_object_or_404(selectors.swap_list(user=request.user), pk=pk)
        kwargs: dict[str, Any] = {}
        if action in ("approve", "reject"):
            note = NoteForm(request.POST)
            kwargs["note"] = note.cleaned_data["note"] if note.is_valid() else ""
        try:
            service(actor=request.user, swap=swap, **kwargs)
            messages.success(request, done)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('rosters:swaps')}?mall={swap.mall_id}")


# --- leave -----------------------------------------------------------------


class LeaveListView(SubmitOnceMixin, Page):
    permission_required = "rosters.add_leaverequest"
    template_name = "rosters/leave_list.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        leaves = selectors.leave_list(user=self.request.user).filter(mall=self.mall)
        context["pending"] = bool(self.request.GET.get("pending"))
        if context["pending"]:
            leaves = leaves.filter(state__in=LeaveRequest.OPEN_STATES)
        context["leaves"] = leaves[:100]
        context["form"] = form or LeaveForm()
        context["is_supervisor"] = selectors.is_supervisor(self.request.user)
        context["policy"] = selectors.policy_for(self.mall)
        return context

    def post(self, request, *args, **kwargs):
        form = LeaveForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.leave_request_create(
                    actor=request.user, mall=self.mall, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Leave request filed."))
                return redirect(self.mall_url("rosters:leave"))
        return self.render_to_response(self.get_context_data(form=form))


LEAVE_ACTIONS = {
    "approve": (
        services.leave_request_approve,
        "rosters.approve_leaverequest",
        _("Leave approved."),
    ),
    "reject": (services.leave_request_reject, "rosters.approve_leaverequest", _("Leave rejected.")),
    "cancel": (services.leave_request_cancel, "rosters.add_leaverequest", _("Leave cancelled.")),
}


class LeaveActionView(LoginRequiredMixin, View):
    def post(self, request, pk: int, action: str):
        if action not in LEAVE_ACTIONS:
            raise Http404
        service, perm, done = LEAVE_ACTIONS[action]
        if not request.user.has_perm(perm):
            return HttpResponse(status=403)
        leave = get_object_or_404(selectors.leave_list(user=request.user), pk=pk)
        kwargs: dict[str, Any] = {}
        if action != "cancel":
            note = NoteForm(request.POST)
            kwargs["note"] = note.cleaned_data["note"] if note.is_valid() else ""
        try:
            service(actor=request.user, leave=leave, **kwargs)
            messages.success(request, done)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('rosters:leave')}?mall={leave.mall_id}")


class SickNoteView(ScopedFileView):
    """The attachment, only through the scoped selector."""

    field = "sick_note"

    def get_queryset(self, request):
        return selectors.leave_list(user=request.user)

    def download_name(self, obj) -> str:
        return f"sick-note-{obj.pk}"


# --- attendance ------------------------------------------------------------


class ClockView(Page):
    """Clock in/out with one's own login, "who is at the desk now", and for
    supervisors today's attendance records."""

    permission_required = "rosters.add_clockevent"
    template_name = "rosters/clock.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        context["last_event"] = ClockEvent.objects.filter(staff=user).order_by("-at").first()
        context["at_post"] = selectors.at_post_now(user=user, mall=self.mall, now=now)
        context["today_shift"] = selectors.my_schedule(
            user=user, start=timezone.localdate(now), days=1
        ).first()
        context["pin_form"] = PinSetForm()
        context["is_supervisor"] = selectors.is_supervisor(user)
        return context

    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind")
        if kind not in ClockEvent.Kind.values:
            return HttpResponse(status=400)
        try:
            services.clock_record(
                staff=request.user, mall=self.mall, kind=kind, ip=client_ip(request)
            )
            messages.success(request, _("Clocked in.") if kind == "in" else _("Clocked out."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.mall_url("rosters:clock"))


class PinSetView(MallMixin, PermissionRequiredMixin, View):
    permission_required = "rosters.add_clockevent"

    def post(self, request):
        form = PinSetForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("A PIN is 4 to 8 digits."))
            services.clock_pin_set(
                actor=request.user, staff=request.user, mall=self.mall, pin=form.cleaned_data["pin"]
            )
            messages.success(request, _("PIN saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(self.mall_url("rosters:clock"))


class PinClockView(SubmitOnceMixin, Page):
    """The shared desk screen: staff number + PIN. Whoever is logged in on
    the screen is only the witness; the punch belongs to the PIN's owner."""

    permission_required = "rosters.add_clockevent"
    template_name = "rosters/clock_pin.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or PinClockForm()
        return context

    def post(self, request, *args, **kwargs):
        form = PinClockForm(request.POST)
        if form.is_valid():
            try:
                event = services.clock_record_by_pin(
                    mall=self.mall, ip=client_ip(request), **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s clocked in.") % {"name": event.staff}
                    if event.kind == "in"
                    else _("%(name)s clocked out.") % {"name": event.staff},
                )
                return redirect(self.mall_url("rosters:clock_pin"))
        return self.render_to_response(self.get_context_data(form=form))


class AttendanceView(Page):
    permission_required = "rosters.view_clockevent"
    template_name = "rosters/attendance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = _date(self.request.GET.get("date"), timezone.localdate())
        # A range (?start=&end=, at most 31 days) and ?exceptions=1 serve the
        # dashboard's "attendance exceptions this week".
        start = _date(self.request.GET.get("start"), day)
        end = _date(self.request.GET.get("end"), start)
        if end < start or (end - start).days > 31:
            end = start
        records = selectors.attendance_days(
            user=self.request.user, mall=self.mall, start=start, end=end
        )
        context["exceptions"] = bool(self.request.GET.get("exceptions"))
        if context["exceptions"]:
            records = [r for r in records if r.is_exception]
        context.update(day=start, start=start, end=end, records=records)
        return context


def _month(value: Any) -> datetime.date:
    return _date(f"{value}-01" if value else "", timezone.localdate().replace(day=1))


class MonthlyReportView(Page):
    permission_required = "rosters.view_clockevent"
    template_name = "rosters/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = _month(self.request.GET.get("month"))
        context["month"] = month
        context["rows"] = selectors.monthly_report(
            user=self.request.user, mall=self.mall, month=month
        )
        return context


class MonthlyReportExportView(MallMixin, PermissionRequiredMixin, View):
    permission_required = "rosters.view_clockevent"

    def get(self, request):
        month = _month(request.GET.get("month"))
        rows = selectors.monthly_report(user=request.user, mall=self.mall, month=month)
        return spreadsheet_response(
            request=request,
            mall=self.mall,
            filename=f"attendance-{self.mall.code}-{month:%Y-%m}",
            sheet_title=f"{month:%Y-%m}",
            header=[
                _("Staff number"),
                _("Name"),
                _("Shifts"),
                _("Present"),
                _("Times late"),
                _("Minutes late"),
                _("Times left early"),
                _("Minutes left early"),
                _("Absent without leave"),
                _("On leave"),
                _("Missing clock-out"),
                _("Off post too long"),
                _("Inspection average"),
            ],
            rows=(
                [
                    r.staff.staff_no,
                    str(r.staff),
                    r.shifts,
                    r.present,
                    r.late_count,
                    r.late_minutes,
                    r.early_count,
                    r.early_minutes,
                    r.absent,
                    r.on_leave,
                    r.missing_clock_out,
                    r.off_post_flagged,
                    r.inspection_avg,
                ]
                for r in rows
            ),
            detail={"report": "rosters.monthly_attendance", "month": f"{month:%Y-%m}"},
            fmt=request.GET.get("format", "xlsx"),
        )


# --- off post (离岗登记) ---------------------------------------------------


class OffPostView(SubmitOnceMixin, Page):
    permission_required = "rosters.add_offpostrecord"
    template_name = "rosters/offpost.html"

    def form(self, data=None) -> OffPostForm:
        return OffPostForm(
            data,
            posts=selectors.post_list(user=self.request.user, mall=self.mall),
            colleagues=selectors.staff_of_mall(self.mall).exclude(pk=self.request.user.pk),
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        records = selectors.off_post_list(user=user).filter(mall=self.mall)
        context["open_record"] = records.filter(staff=user, back_at__isnull=True).first()
        context["records"] = records[:50]
        context["form"] = form or self.form()
        context["now"] = timezone.now()
        context["is_supervisor"] = selectors.is_supervisor(user)
        context["flagged"] = records.filter(back_at__isnull=True, flagged_at__isnull=False)
        context["at_post"] = selectors.at_post_now(user=user, mall=self.mall)
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.off_post_start(actor=request.user, mall=self.mall, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Off post recorded."))
                return redirect(self.mall_url("rosters:offpost"))
        return self.render_to_response(self.get_context_data(form=form))


class OffPostFlagsView(Page):
    """The live panel the supervisor's page polls (HTMX every 30 s)."""

    permission_required = "rosters.approve_swaprequest"
    template_name = "rosters/_offpost_flags.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["flagged"] = selectors.off_post_list(user=self.request.user).filter(
            mall=self.mall, back_at__isnull=True, flagged_at__isnull=False
        )
        context["now"] = timezone.now()
        return context


class OffPostBackView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        record = get_object_or_404(selectors.off_post_list(user=request.user), pk=pk)
        try:
            services.off_post_return(actor=request.user, record=record)
            messages.success(request, _("Back on post."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('rosters:offpost')}?mall={record.mall_id}")


# --- inspections and training (考核 / 培训) ---------------------------------


class InspectionView(SubmitOnceMixin, Page):
    permission_required = "rosters.add_inspection"
    template_name = "rosters/inspections.html"

    def form(self, data=None) -> InspectionForm:
        return InspectionForm(
            data,
            staff=selectors.staff_of_mall(self.mall).exclude(pk=self.request.user.pk),
            initial={"date": timezone.localdate()},
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        month = _month(self.request.GET.get("month"))
        context["month"] = month
        context["form"] = form or self.form()
        context["summary"] = selectors.inspection_summary(
            user=self.request.user, mall=self.mall, month=month
        )
        context["recent"] = selectors.inspection_list(user=self.request.user).filter(
            mall=self.mall
        )[:30]
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.inspection_record(actor=request.user, mall=self.mall, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Inspection recorded."))
                return redirect(self.mall_url("rosters:inspections"))
        return self.render_to_response(self.get_context_data(form=form))


class TrainingView(SubmitOnceMixin, Page):
    permission_required = "rosters.add_trainingsession"
    template_name = "rosters/training.html"

    def form(self, data=None) -> TrainingForm:
        return TrainingForm(data, staff=selectors.staff_of_mall(self.mall))

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        month = _month(self.request.GET.get("month"))
        first, last = selectors.month_bounds(month)
        sessions = selectors.training_list(user=self.request.user).filter(
            mall=self.mall, date__gte=first, date__lte=last
        )
        context.update(
            month=month,
            sessions=sessions,
            target=selectors.TRAINING_TARGET_PER_MONTH,
            target_met=len(sessions) >= selectors.TRAINING_TARGET_PER_MONTH,
            form=form or self.form(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["attendees"] = list(data["attendees"])
            try:
                services.training_session_record(actor=request.user, mall=self.mall, **data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Training session recorded."))
                return redirect(self.mall_url("rosters:training"))
        return self.render_to_response(self.get_context_data(form=form))


# --- shift handover (交接班) -------------------------------------------------


class HandoverListView(SubmitOnceMixin, Page):
    """Hand over my post (the checklist is generated now and shown before
    it is saved) and take over the handovers waiting at the mall."""

    permission_required = "rosters.view_handover"
    template_name = "rosters/handover_list.html"

    def form(self, data=None) -> HandoverForm:
        posts = selectors.post_list(user=self.request.user, mall=self.mall)
        current = selectors.current_post(user=self.request.user, mall=self.mall, now=timezone.now())
        return HandoverForm(data, posts=posts, initial={"post": current})

    def get_context_data(self, form=None, **kwargs):
        from mallservice.handover import open_items

        context = super().get_context_data(**kwargs)
        user = self.request.user
        handovers = selectors.handover_list(user=user).filter(mall=self.mall)
        context["pending"] = bool(self.request.GET.get("pending"))
        waiting = handovers.filter(acknowledged_at__isnull=True)
        context["waiting"] = waiting[:50]
        context["handovers"] = (waiting if context["pending"] else handovers)[:50]
        context["can_hand_over"] = user.has_perm("rosters.add_handover")
        if context["can_hand_over"]:
            context["form"] = form or self.form()
            context["preview"] = open_items(user=user, mall=self.mall, now=timezone.now())
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("rosters.add_handover"):
            return HttpResponse(status=403)
        form = self.form(request.POST)
        if form.is_valid():
            try:
                handover = services.handover_create(
                    actor=request.user, mall=self.mall, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Handed over; your colleague acknowledges it."))
                return redirect("rosters:handover", pk=handover.pk)
        return self.render_to_response(self.get_context_data(form=form))


class HandoverDetailView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    permission_required = "rosters.view_handover"
    template_name = "rosters/handover_detail.html"

    def get_context_data(self, **kwargs):
        from mallservice.handover import HandoverItem

        context = super().get_context_data(**kwargs)
        handover = get_object_or_404(
            selectors.handover_list(user=self.request.user), pk=kwargs["pk"]
        )
        context["handover"] = handover
        context["mall"] = handover.mall
        context["items"] = [HandoverItem.from_json(i) for i in handover.items or []]
        context["can_acknowledge"] = (
            handover.acknowledged_at is None
            and handover.outgoing_staff_id != self.request.user.pk
            and self.request.user.has_perm("rosters.add_handover")
        )
        return context


class HandoverAcknowledgeView(LoginRequiredMixin, View):
    def post(self, request, pk: int):
        if not request.user.has_perm("rosters.add_handover"):
            return HttpResponse(status=403)
        handover = get_object_or_404(selectors.handover_list(user=request.user), pk=pk)
        try:
            services.handover_acknowledge(actor=request.user, handover=handover)
            messages.success(request, _("Handover acknowledged."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("rosters:handover", pk=handover.pk)


# --- office supplies (办公用品) ----------------------------------------------


class SupplyListView(SubmitOnceMixin, Page):
    permission_required = "rosters.add_supplyrequisition"
    template_name = "rosters/supply_list.html"

    def form(self, data=None) -> SupplyRequisitionForm:
        user = self.request.user
        return SupplyRequisitionForm(
            data,
            posts=selectors.post_list(user=user, mall=self.mall),
            items=selectors.supply_item_list(user=user, mall=self.mall),
            initial={"post": selectors.current_post(user=user, mall=self.mall, now=timezone.now())},
        )

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        requisitions = selectors.supply_requisition_list(user=user).filter(mall=self.mall)
        state = self.request.GET.get("state", "")
        if state in SupplyRequisition.State.values:
            requisitions = requisitions.filter(state=state)
        context.update(
            state=state,
            states=SupplyRequisition.State.choices,
            requisitions=requisitions[:100],
            form=form or self.form(),
            can_approve=user.has_perm("rosters.approve_supplyrequisition"),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                services.supply_requisition_create(
                    actor=request.user, mall=self.mall, **form.cleaned_data
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Requisition filed; a supervisor approves it."))
                return redirect(self.mall_url("rosters:supplies"))
        return self.render_to_response(self.get_context_data(form=form))


SUPPLY_ACTIONS = {
    "approve": (services.supply_requisition_approve, _("Requisition approved.")),
    "reject": (services.supply_requisition_reject, _("Requisition rejected.")),
    "issue": (services.supply_requisition_issue, _("Issue recorded.")),
}


class SupplyActionView(LoginRequiredMixin, View):
    def post(self, request, pk: int, action: str):
        if action not in SUPPLY_ACTIONS:
            raise Http404
        if not request.user.has_perm("rosters.approve_supplyrequisition"):
            return HttpResponse(status=403)
        service, done = SUPPLY_ACTIONS[action]
        requisition = get_object_or_404(selectors.supply_requisition_list(user=request.user), pk=pk)
        kwargs: dict[str, Any] = {}
        if action in ("approve", "reject"):
            note = NoteForm(request.POST)
            kwargs["note"] = note.cleaned_data["note"] if note.is_valid() else ""
        try:
            service(actor=request.user, requisition=requisition, **kwargs)
            messages.success(request, done)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{reverse('rosters:supplies')}?mall={requisition.mall_id}")


class SupplyUsageView(Page):
    """Use against expected use (预损耗量) per post and item for a month,
    with a chart; ?over=1 keeps the items running over."""

    permission_required = "rosters.view_supplyallowance"
    template_name = "rosters/supply_usage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = _month(self.request.GET.get("month"))
        rows = selectors.supply_usage(user=self.request.user, malls=[self.mall], month=month)
        context["over_only"] = bool(self.request.GET.get("over"))
        if context["over_only"]:
            rows = [r for r in rows if r.over]
        context.update(
            month=month,
            rows=rows,
            chart={
                "type": "bar",
                "title": _("Use against expected use"),
                "data": {
                    "labels": [f"{r.post} · {r.item}" for r in rows],
                    "datasets": [
                        {"label": _("Expected"), "data": [r.expected for r in rows]},
                        {"label": _("Used"), "data": [r.used for r in rows]},
                    ],
                },
            },
        )
        return context
