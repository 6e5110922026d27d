"""VIP follow-up: the desk's calls of the day and the call page; the
supervisor's overview, call list, campaigns and points approvals."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from mallservice.pagination import page_of
from mallservice.selectors import request_mall
from mallservice.views import DeskView, ServiceActionView, ServiceFormView
from members import forms, selectors
from members.filters import CallTaskFilter
from members.models import CallTask, Campaign, PointsAdjustment
from members.permissions import (
    ADD_CALLATTEMPT,
    ADD_CAMPAIGN,
    CHANGE_CAMPAIGN,
    CHANGE_POINTSADJUSTMENT,
    VIEW_CAMPAIGN,
)
from members.services.calls import call_record_outcome
from members.services.campaigns import campaign_plan, campaign_save
from members.services.points import points_adjustment_decide


class MyCallsView(DeskView, TemplateView):
    permission_required = ADD_CALLATTEMPT
    template_name = "members/call_my_list.html"

    # A long list of overdue calls must not make the page slow to draw.
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = selectors.my_calls_today(user=self.request.user)
        context["page_obj"] = page_of(tasks, self.request.GET.get("page"), self.paginate_by)
        context["total"] = tasks.count()
        return context


class CallDetailView(ServiceFormView):
    """One call: the member (number masked, revealed on request and
    logged), the campaign's script, the outcome form and earlier attempts."""

    permission_required = ADD_CALLATTEMPT
    template_name = "members/call_detail.html"
    form_class = forms.CallOutcomeForm

    @cached_property
    def task(self) -> CallTask:
        return get_object_or_404(
            selectors.call_task_list(user=self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(task=self.task, attempts=selectors.call_attempts(task=self.task))
        return context

    def perform(self, form) -> HttpResponse:
        call_record_outcome(actor=self.request.user, task=self.task, **form.cleaned_data)
        messages.success(self.request, _("Call outcome recorded."))
        return redirect("members:my_calls")


class SupervisionView(DeskView, TemplateView):
    permission_required = VIEW_CAMPAIGN
    template_name = "members/supervision.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        by_campaign, by_staff, overdue = selectors.campaign_completion(user=user)
        stuck_cards, no_card = selectors.cards_stuck(user=user)
        context.update(
            by_campaign=by_campaign,
            by_staff=by_staff,
            overdue=overdue,
            stuck_cards=stuck_cards[:50],
            no_card=no_card[:50],
            adjustments=selectors.adjustment_pending_list(user=user)[:50],
            campaigns=selectors.campaign_list(user=user).filter(is_active=True),
            tier_runs=selectors.tier_review_last(user=user),
        )
        return context


class CallListView(DeskView, TemplateView):
    """Every call of the user's malls, filtered as the dashboard's figures are."""

    permission_required = VIEW_CAMPAIGN
    template_name = "members/call_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = CallTaskFilter(self.request.GET, user=self.request.user)
        # No pill is active while the filters are invalid (none applies).
        show = (listed.form.cleaned_data.get("show") or "") if listed.is_valid() else None
        context.update(
            form=listed.form,
            show=show,
            page_obj=page_of(listed.qs, self.request.GET.get("page"), 50),
            filters=[("", _("All calls")), *CallTaskFilter.SHOWS],
        )
        return context


class CampaignPlanView(ServiceActionView):
    """ "Plan today's calls" for one campaign, now rather than at the planner's time."""

    permission_required = CHANGE_CAMPAIGN

    def get_queryset(self):
        return selectors.campaign_list(user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("members:supervision")

    def perform(self, obj: Campaign, data: dict[str, Any]) -> str:
        run = campaign_plan(campaign=obj)
        return _(
            "%(created)s calls planned; skipped %(consent)s without consent and %(dnc)s on do-not-call."
        ) % {
            "created": run.created,
            "consent": run.skipped_no_consent,
            "dnc": run.skipped_do_not_call,
        }


class AdjustmentApproveView(ServiceActionView):
    """A held receipt or a large adjustment: approved, its points are credited."""

    permission_required = CHANGE_POINTSADJUSTMENT
    approve = True

    def get_queryset(self):
        return selectors.adjustment_pending_list(user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("members:supervision")

    def perform(self, obj: PointsAdjustment, data: dict[str, Any]) -> str:
        points_adjustment_decide(actor=self.request.user, adjustment=obj, approve=self.approve)
        return _("Decision recorded.")


class AdjustmentRejectView(AdjustmentApproveView):
    approve = False


class CampaignFormView(ServiceFormView):
    """Create (no pk) or edit a campaign; supervisors of its mall."""

    template_name = "members/campaign_form.html"
    form_class = forms.CampaignForm

    def get_permission_required(self):
        return [CHANGE_CAMPAIGN if self.kwargs.get("pk") else ADD_CAMPAIGN]

    @cached_property
    def campaign(self) -> Campaign | None:
        if self.kwargs.get("pk") is None:
            return None
        return get_object_or_404(
            selectors.campaign_list(user=self.request.user), pk=self.kwargs["pk"]
        )

    @cached_property
    def mall(self):
        if self.campaign is not None:
            return self.campaign.mall
        mall = request_mall(self.request.user)
        if mall is None:
            raise Http404
        return mall

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "instance": self.campaign,
            "tiers": selectors.tier_list(user=self.request.user).filter(mall=self.mall),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "campaign": self.campaign}

    def perform(self, form) -> HttpResponse:
        campaign_save(
            actor=self.request.user,
            mall=self.mall,
            campaign=self.campaign,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(self.request, _("Campaign saved."))
        return redirect("members:supervision")
