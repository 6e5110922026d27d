"""The roster pages: my schedule, the supervisor's week grid with its
assign form and its buttons (copy last week, publish, remove a shift), the
printed week."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from mallservice.views import DeskView, MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.forms import AssignForm, ClearForm
from rosters.models import Week
from rosters.selectors.roster import (
    my_schedule,
    post_list,
    shift_type_list,
    staff_of_mall,
    week_grid,
    week_list,
    week_start_of,
)
from rosters.services.roster import (
    assignment_clear,
    assignment_set,
    week_copy_previous,
    week_get_or_create,
    week_publish,
)
from rosters.views.common import RosterPage, mall_url, parse_day


class MyScheduleView(RosterPage):
    permission_required = perms.VIEW_ASSIGNMENT
    template_name = "rosters/my_schedule.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start = week_start_of(timezone.localdate())
        context["assignments"] = my_schedule(user=self.request.user, start=start)
        context["weeks"] = week_list(user=self.request.user).filter(
            mall=self.mall, week_start__gte=start - datetime.timedelta(days=7)
        )[:4]
        return context


class WeekView(MallScopedMixin, ServiceFormView):
    """The week grid (?date=) and the form that puts a person on a shift."""

    permission_required = perms.PLAN_WEEK
    template_name = "rosters/week_grid.html"
    form_class = AssignForm

    def week(self) -> Week:
        # A refused POST shows the week of the posted day again.
        value = self.request.POST.get("date") or self.request.GET.get("date")
        start = week_start_of(parse_day(value, timezone.localdate()))
        week = week_list(user=self.request.user).filter(mall=self.mall, week_start=start).first()
        return week or Week(mall=self.mall, week_start=start)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs.update(
            staff=staff_of_mall(self.mall),
            shift_types=shift_type_list(user=user, mall=self.mall),
            posts=post_list(user=user, mall=self.mall),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        week = self.week()
        context.update(week_grid(user=self.request.user, week=week))
        context["week"] = week
        context["prev"] = week.week_start - datetime.timedelta(days=7)
        context["next"] = week.week_start + datetime.timedelta(days=7)
        context["today"] = timezone.localdate()
        return context

    def perform(self, form):
        assignment_set(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(self.request, _("Shift saved."))
        return redirect(mall_url("rosters:week", self.mall, date=form.cleaned_data["date"]))


class WeekActionView(MallScopedMixin, DeskView, View):
    """A button of the week grid (the week of the posted `date`): one
    service, its message or its refusal, back to the grid."""

    http_method_names = ["post"]
    permission_required = perms.PLAN_WEEK

    def perform(self, day: datetime.date) -> str:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        day = parse_day(request.POST.get("date"), timezone.localdate())
        try:
            messages.success(request, self.perform(day))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(mall_url("rosters:week", self.mall, date=day))


class WeekCopyView(WeekActionView):
    def perform(self, day: datetime.date) -> str:
        week = week_get_or_create(actor=self.request.user, mall=self.mall, day=day)
        copied = week_copy_previous(actor=self.request.user, week=week)
        return _("%(n)s shifts copied from last week.") % {"n": copied}


class WeekPublishView(WeekActionView):
    def perform(self, day: datetime.date) -> str:
        week = week_get_or_create(actor=self.request.user, mall=self.mall, day=day)
        week_publish(actor=self.request.user, week=week)
        return _("The roster is published.")


class WeekClearView(WeekActionView):
    """Remove one person's shift of one day from a draft week."""

    def post(self, request, *args, **kwargs):
        form = ClearForm(request.POST, staff=staff_of_mall(self.mall))
        if not form.is_valid():
            return redirect(mall_url("rosters:week", self.mall))
        try:
            assignment_clear(actor=request.user, mall=self.mall, **form.cleaned_data)
            messages.success(request, _("Shift removed."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(mall_url("rosters:week", self.mall, date=form.cleaned_data["date"]))


class WeekPrintView(DeskView, TemplateView):
    permission_required = perms.VIEW_ASSIGNMENT
    template_name = "rosters/week_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        week = get_object_or_404(week_list(user=self.request.user), pk=kwargs["pk"])
        context.update(week_grid(user=self.request.user, week=week))
        context["week"] = week
        return context
