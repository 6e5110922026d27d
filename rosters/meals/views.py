"""Pages of staff meal orders (员工订餐): staff order their own meals and
ask for late changes; the desk sees the day's list, prints it and marks it
sent; supervisors decide late changes and see the monthly counts."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View

from mallservice.exports import spreadsheet_response
from mallservice.forms import add_service_error
from mallservice.views import DeskView, MallScopedMixin, ServiceActionView, SubmitOnceMixin
from rosters import permissions as perms
from rosters.forms import NoteForm
from rosters.meals import selectors as meal_selectors
from rosters.meals import services as meal_services
from rosters.meals.forms import MealChangeForm, MealOrderForm, MealSendForm
from rosters.meals.models import MealChangeRequest, MealOrder
from rosters.views.common import RosterPage, mall_url, parse_day, parse_month


class MealOrderView(SubmitOnceMixin, RosterPage):
    """My meals of a day (?date=, today by default): the order form, with
    closed meals disabled; the late-change form once a meal is closed; my
    next rostered days, this month's count and my late changes."""

    permission_required = perms.ADD_MEALORDER
    template_name = "rosters/meal_order.html"

    def day(self) -> datetime.date:
        return parse_day(
            self.request.POST.get("date") or self.request.GET.get("date"), timezone.localdate()
        )

    def forms(self, day: datetime.date, data=None, change_data=None) -> dict[str, Any]:
        states = meal_selectors.meal_day_state(mall=self.mall, day=day)
        order = MealOrder.objects.filter(staff=self.request.user, date=day, mall=self.mall).first()
        initial = {
            "date": day,
            "lunch": bool(order and order.lunch),
            "dinner": bool(order and order.dinner),
            "note": order.note if order else "",
        }
        closed = {meal for meal, state in states.items() if not state.is_open}
        return {
            "states": list(states.values()),
            "order": order,
            "form": MealOrderForm(
                data, initial=initial, closed=closed, note_closed=len(closed) == len(states)
            ),
            "change_form": MealChangeForm(change_data, initial=initial) if closed else None,
        }

    def get_context_data(self, form=None, change_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        day = self.day()
        today = timezone.localdate()
        context.update(self.forms(day))
        if form is not None:
            context["form"] = form
        if change_form is not None:
            context["change_form"] = change_form
        mine = meal_selectors.meal_monthly_counts(
            user=user, mall=self.mall, month=today, staff=user
        )
        context.update(
            day=day,
            rostered=meal_selectors.is_rostered(staff=user, mall=self.mall, day=day),
            upcoming=meal_selectors.my_meal_days(user=user, mall=self.mall, start=today),
            requests=meal_selectors.meal_change_request_list(user=user).filter(
                staff=user, mall=self.mall
            )[:10],
            month=today,
            month_count=mine[0] if mine else None,
        )
        return context

    def post(self, request, *args, **kwargs):
        day = self.day()
        if request.POST.get("action") == "change":
            form = MealChangeForm(request.POST)
            service = meal_services.meal_change_request_create
            done, context_key = _("Late change sent to the supervisor."), "change_form"
        else:
            form = self.forms(day, data=request.POST)["form"]
            service = meal_services.meal_order_set
            done, context_key = _("Meal order saved."), "form"
        if form.is_valid():
            try:
                service(actor=request.user, mall=self.mall, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, done)
                return redirect(mall_url("rosters:meals", self.mall, date=day))
        return self.render_to_response(self.get_context_data(**{context_key: form}))


class MealListMixin:
    """The day's list (?date=) of the page's mall, for the screen and print."""

    def list_context(self) -> dict[str, Any]:
        day = parse_day(self.request.GET.get("date"), timezone.localdate())
        user = self.request.user
        states = meal_selectors.meal_day_state(mall=self.mall, day=day)
        changes = list(meal_selectors.meal_changes_of_day(user=user, mall=self.mall, day=day))
        for change in changes:
            # Approved after that meal's list went out: the desk must tell
            # the canteen.
            change.after_sent = change.state == MealChangeRequest.State.APPROVED and any(
                states[meal].sent and change.decided_at > states[meal].sheet.sent_at
                for meal, _label, _wanted in change.changes()
            )
        return {
            "day": day,
            "states": list(states.values()),
            "changes": changes,
            **meal_selectors.meal_day_list(user=user, mall=self.mall, day=day),
        }


class MealListView(MealListMixin, RosterPage):
    """The desk's list of a day per post and shift with totals, the send
    buttons, the day's late changes, and the late changes waiting for a
    supervisor."""

    permission_required = perms.VIEW_MEALORDER
    template_name = "rosters/meal_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.list_context())
        context["pending"] = (
            meal_selectors.meal_change_request_list(user=self.request.user)
            .filter(mall=self.mall, state="pending")
            .order_by("date", "requested_at")[:50]
        )
        context["today"] = timezone.localdate()
        context["prev"] = context["day"] - datetime.timedelta(days=1)
        context["next"] = context["day"] + datetime.timedelta(days=1)
        return context


class MealPrintView(MealListMixin, RosterPage):
    """The A4 sheet for the canteen or supplier."""

    permission_required = perms.VIEW_MEALORDER
    template_name = "rosters/meal_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.list_context())
        context["approved_changes"] = [
            c for c in context["changes"] if c.state == MealChangeRequest.State.APPROVED
        ]
        return context


class MealSendView(MallScopedMixin, DeskView, View):
    """The desk records that it sent the day's list of one meal to the
    canteen (the app sends nothing itself)."""

    http_method_names = ["post"]
    permission_required = perms.SEND_MEALSHEET

    def post(self, request, *args, **kwargs):
        form = MealSendForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest()
        day = form.cleaned_data["date"]
        try:
            sheet = meal_services.meal_sheet_send(
                actor=request.user, mall=self.mall, **form.cleaned_data
            )
            messages.success(
                request,
                _("Recorded: the desk sent the %(meal)s list to the canteen (%(n)s meals).")
                % {"meal": sheet.get_meal_display(), "n": sheet.meals_sent},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(mall_url("rosters:meal_list", self.mall, date=day))


class MealChangeActionView(ServiceActionView):
    """A late change's decision: back to the day's list (or, for the
    requester's own cancel, their meals) of that day."""

    permission_required = perms.APPROVE_MEALCHANGEREQUEST
    list_url_name = "rosters:meal_list"

    def get_queryset(self):
        return meal_selectors.meal_change_request_list(user=self.request.user)

    def get_success_url(self) -> str:
        change = self.object
        return f"{reverse(self.list_url_name)}?mall={change.mall_id}&date={change.date}"


class MealChangeApproveView(MealChangeActionView):
    form_class = NoteForm
    success_message = gettext_lazy("Late change approved; the order is updated.")

    def perform(self, obj, data):
        meal_services.meal_change_request_approve(actor=self.request.user, request=obj, **data)


class MealChangeRejectView(MealChangeActionView):
    form_class = NoteForm
    success_message = gettext_lazy("Late change rejected.")

    def perform(self, obj, data):
        meal_services.meal_change_request_reject(actor=self.request.user, request=obj, **data)


class MealChangeCancelView(MealChangeActionView):
    permission_required = perms.ADD_MEALCHANGEREQUEST
    list_url_name = "rosters:meals"
    success_message = gettext_lazy("Late change cancelled.")

    def perform(self, obj, data):
        meal_services.meal_change_request_cancel(actor=self.request.user, request=obj)


def _count_rows(rows):
    return ([r.staff.staff_no, str(r.staff), r.lunches, r.dinners, r.total] for r in rows)


class MealCountsView(RosterPage):
    """Meals per staff member in a month, for the payroll deduction."""

    permission_required = perms.COUNT_MEALORDER
    template_name = "rosters/meal_counts.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = parse_month(self.request.GET.get("month"))
        rows = meal_selectors.meal_monthly_counts(
            user=self.request.user, mall=self.mall, month=month
        )
        context.update(
            month=month,
            rows=rows,
            lunches=sum(r.lunches for r in rows),
            dinners=sum(r.dinners for r in rows),
        )
        return context


class MealCountsExportView(MallScopedMixin, DeskView, View):
    permission_required = perms.COUNT_MEALORDER

    def get(self, request, *args, **kwargs):
        month = parse_month(request.GET.get("month"))
        rows = meal_selectors.meal_monthly_counts(user=request.user, mall=self.mall, month=month)
        return spreadsheet_response(
            request=request,
            mall=self.mall,
            filename=f"meals-{self.mall.code}-{month:%Y-%m}",
            sheet_title=f"{month:%Y-%m}",
            header=[
                _("Staff number"),
                _("Name"),
                _("Lunches"),
                _("Dinners"),
                pgettext("staff meal", "Total"),
            ],
            rows=_count_rows(rows),
            detail={"report": "rosters.monthly_meals", "month": f"{month:%Y-%m}"},
            fmt=request.GET.get("format", "xlsx"),
        )
