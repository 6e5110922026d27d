"""Attendance (考勤): clocking in and out with one's login or a PIN on the
shared screen, the day's attendance, the monthly report and its export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from mallservice.exports import spreadsheet_response
from mallservice.net import client_ip
from mallservice.views import DeskView, MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.filters import AttendanceFilter
from rosters.forms import PinClockForm, PinSetForm
from rosters.models import ClockEvent
from rosters.selectors.attendance import at_post_now, attendance_days, monthly_report
from rosters.selectors.roster import my_schedule
from rosters.services.attendance import clock_pin_set, clock_record, clock_record_by_pin
from rosters.views.clock_flags import device_id, remember_device
from rosters.views.common import RosterPage, mall_url, parse_day, parse_month


class ClockView(RosterPage):
    """Clock in/out with one's own login and "who is at the desk now"."""

    permission_required = perms.ADD_CLOCKEVENT
    template_name = "rosters/clock.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        context["last_event"] = ClockEvent.objects.filter(staff=user).order_by("-at").first()
        context["at_post"] = at_post_now(user=user, mall=self.mall, now=now)
        context["today_shift"] = my_schedule(
            user=user, start=timezone.localdate(now), days=1
        ).first()
        context["pin_form"] = PinSetForm()
        return context

    def post(self, request, *args, **kwargs):
        kind = request.POST.get("kind")
        if kind not in ClockEvent.Kind.values:
            return HttpResponseBadRequest()
        try:
            clock_record(staff=request.user, mall=self.mall, kind=kind, ip=client_ip(request))
            messages.success(request, _("Clocked in.") if kind == "in" else _("Clocked out."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(mall_url("rosters:clock", self.mall))


class PinSetView(MallScopedMixin, DeskView, View):
    http_method_names = ["post"]
    permission_required = perms.ADD_CLOCKEVENT

    def post(self, request, *args, **kwargs):
        form = PinSetForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("A PIN is 4 to 8 digits."))
            clock_pin_set(
                actor=request.user, staff=request.user, mall=self.mall, pin=form.cleaned_data["pin"]
            )
            messages.success(request, _("PIN saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(mall_url("rosters:clock", self.mall))


class PinClockView(MallScopedMixin, ServiceFormView):
    """The shared desk screen: staff number + PIN. Whoever is logged in on
    the screen is only the witness; the punch belongs to the PIN's owner."""

    permission_required = perms.ADD_CLOCKEVENT
    template_name = "rosters/clock_pin.html"
    form_class = PinClockForm

    def dispatch(self, request, *args, **kwargs):
        # The screen keeps a device cookie: punches from elsewhere are flagged.
        return remember_device(request, super().dispatch(request, *args, **kwargs))

    def perform(self, form):
        event = clock_record_by_pin(
            mall=self.mall,
            ip=client_ip(self.request),
            device=device_id(self.request),
            **form.cleaned_data,
        )
        messages.success(
            self.request,
            _("%(name)s clocked in.") % {"name": event.staff}
            if event.kind == "in"
            else _("%(name)s clocked out.") % {"name": event.staff},
        )
        return redirect(mall_url("rosters:clock_pin", self.mall))


class AttendanceView(RosterPage):
    permission_required = perms.VIEW_CLOCKEVENT
    template_name = "rosters/attendance.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        day = parse_day(self.request.GET.get("date"), timezone.localdate())
        # A range (?start=&end=, at most 31 days) and ?exceptions=1
        # (`AttendanceFilter`) serve the dashboard's "attendance exceptions
        # this week".
        start = parse_day(self.request.GET.get("start"), day)
        end = parse_day(self.request.GET.get("end"), start)
        if end < start or (end - start).days > 31:
            end = start
        listed = AttendanceFilter(
            self.request.GET,
            rows=attendance_days(user=self.request.user, mall=self.mall, start=start, end=end),
            user=self.request.user,
            page={"mall": self.mall.pk, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
        )
        context.update(
            filters=listed,
            exceptions=listed.applied("exceptions"),
            day=start,
            start=start,
            end=end,
            records=listed.qs,
        )
        return context


class MonthlyReportView(RosterPage):
    permission_required = perms.VIEW_CLOCKEVENT
    template_name = "rosters/report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = parse_month(self.request.GET.get("month"))
        context["month"] = month
        context["rows"] = monthly_report(user=self.request.user, mall=self.mall, month=month)
        return context


class MonthlyReportExportView(MallScopedMixin, DeskView, View):
    permission_required = perms.VIEW_CLOCKEVENT

    def get(self, request, *args, **kwargs):
        month = parse_month(request.GET.get("month"))
        rows = monthly_report(user=request.user, mall=self.mall, month=month)
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
                _("Holiday shifts"),
                _("Times late"),
                _("Minutes late"),
                _("Times left early"),
                _("Minutes left early"),
                _("Absent without leave"),
                _("On leave"),
                _("Missing clock-out"),
                _("Off post too long"),
                _("Undeclared absences"),
                _("Inspection average"),
            ],
            rows=(
                [
                    r.staff.staff_no,
                    str(r.staff),
                    r.shifts,
                    r.present,
                    r.holiday_shifts,
                    r.late_count,
                    r.late_minutes,
                    r.early_count,
                    r.early_minutes,
                    r.absent,
                    r.on_leave,
                    r.missing_clock_out,
                    r.off_post_flagged,
                    r.undeclared_absences,
                    r.inspection_avg,
                ]
                for r in rows
            ),
            detail={"report": "rosters.monthly_attendance", "month": f"{month:%Y-%m}"},
            fmt=request.GET.get("format", "xlsx"),
        )
