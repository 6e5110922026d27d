"""Complaint summaries (每日汇总 and the weekly and monthly ones) and the
monthly report of the public channels' legal deadlines."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from complaints import selectors
from complaints.models import Satisfaction, Summary
from complaints.permissions import CHANGE_SUMMARY, VIEW_SUMMARY
from complaints.services.reports import summary_build
from mallservice.pagination import page_of
from mallservice.views import DeskView, MallScopedMixin

PAGE_SIZE = 50


class SummaryListView(DeskView, TemplateView):
    permission_required = VIEW_SUMMARY
    template_name = "complaints/summary_list.html"
    paginate_by = PAGE_SIZE

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        qs = selectors.summary_list(user=self.request.user)
        page = page_of(qs, self.request.GET.get("page"), self.paginate_by)
        context.update(page_obj=page, summaries=page.object_list)
        return context


class SummaryDetailView(DeskView, DetailView):
    permission_required = VIEW_SUMMARY
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


class SummaryBuildView(DeskView, MallScopedMixin, View):
    """A supervisor builds today's summary of the mall now (the beat does
    it anyway)."""

    http_method_names = ["post"]
    permission_required = CHANGE_SUMMARY

    def post(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        summary = summary_build(
            mall=self.mall, period=Summary.Period.DAY, starts_on=today, ends_on=today
        )
        messages.success(request, _("Today's summary is built."))
        return redirect("complaints:summary", pk=summary.pk)


class LegalDeadlineReportView(MallScopedMixin, DeskView, TemplateView):
    """Legal deadlines met per month per public channel (12315, market
    regulation, 12345), for one mall."""

    permission_required = VIEW_SUMMARY
    template_name = "complaints/legal_report.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        try:
            month = parse_date(f"{self.request.GET.get('month', '')}-01")
        except ValueError:
            month = None
        month = month or today.replace(day=1)
        previous = (month - datetime.timedelta(days=1)).replace(day=1)
        following = (month + datetime.timedelta(days=32)).replace(day=1)
        context.update(
            month=month,
            previous=previous,
            following=following,
            rows=selectors.legal_deadline_report(
                user=self.request.user, mall=self.mall, month=month, today=today
            ),
        )
        return context
