"""The working calendar's desk pages: the calendar of a mall (its years'
sources, warnings, holidays and its days of other hours), entering a
year's holiday table, and setting or removing a mall's day of other hours."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from mallservice.permissions import CHANGE_MALL_DAY_HOURS, ENTER_CALENDAR_YEAR, VIEW_CALENDAR
from mallservice.views import DeskView, MallScopedMixin, ServiceActionView, ServiceFormView
from mallservice.workdays.calendar import calendar_warnings, work_calendar
from mallservice.workdays.forms import CalendarYearForm, MallDayHoursForm
from mallservice.workdays.selectors import (
    entered_year_text,
    mall_day_hours_list,
    year_special_days,
)
from mallservice.workdays.services import (
    calendar_year_enter,
    mall_day_hours_remove,
    mall_day_hours_set,
)


def year_param(value: str | None) -> int | None:
    """A `?year=` the calendar can show, else None."""
    value = value or ""
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2098 else None


def calendar_url(mall: Any) -> str:
    return f"{reverse('calendar')}?mall={getattr(mall, 'pk', mall)}"


class CalendarView(MallScopedMixin, DeskView, TemplateView):
    permission_required = VIEW_CALENDAR
    template_name = "mallservice/calendar.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        calendar = work_calendar()
        first = year_param(self.request.GET.get("year")) or today.year
        years = [first, first + 1]
        context.update(
            warnings=calendar_warnings(today),
            years=[
                {
                    "year": year,
                    "source": calendar.source(year),
                    "days": year_special_days(calendar, year),
                }
                for year in years
            ],
            day_hours=mall_day_hours_list(user=self.request.user)
            .filter(mall=self.mall, day__gte=today.replace(day=1))
            .order_by("day"),
        )
        return context


class CalendarYearView(ServiceFormView):
    """A manager enters or imports a year's holidays and make-up workdays
    (saving again replaces the year's table)."""

    permission_required = ENTER_CALENDAR_YEAR
    template_name = "mallservice/calendar_year.html"
    form_class = CalendarYearForm

    def get_initial(self) -> dict[str, Any]:
        year = year_param(self.request.GET.get("year")) or timezone.localdate().year + 1
        return {"year": year, "days": entered_year_text(year)}

    def perform(self, form: CalendarYearForm) -> HttpResponse:
        data = form.cleaned_data
        year = calendar_year_enter(
            actor=self.request.user, year=data["year"], text=data["days"], note=data["note"]
        )
        messages.success(
            self.request,
            _("The holiday table of %(year)s is saved: %(count)s days.")
            % {"year": year.year, "count": year.days.count()},
        )
        return redirect(f"{reverse('calendar')}?year={year.year}")


class MallDayHoursView(MallScopedMixin, ServiceFormView):
    """A day of other hours for the page's mall (a day already set is
    replaced)."""

    permission_required = CHANGE_MALL_DAY_HOURS
    template_name = "mallservice/calendar_hours.html"
    form_class = MallDayHoursForm

    def perform(self, form: MallDayHoursForm) -> HttpResponse:
        row = mall_day_hours_set(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(
            self.request,
            _("%(day)s: the mall's own hours are saved.") % {"day": row.day.isoformat()},
        )
        return redirect(calendar_url(self.mall))


class MallDayHoursRemoveView(ServiceActionView):
    permission_required = CHANGE_MALL_DAY_HOURS
    success_message = _("The day keeps the usual hours again.")

    def get_queryset(self):
        return mall_day_hours_list(user=self.request.user)

    def perform(self, obj: Any, data: dict[str, Any]) -> None:
        mall_day_hours_remove(actor=self.request.user, row=obj)

    def get_success_url(self) -> str:
        return calendar_url(self.object.mall_id)
