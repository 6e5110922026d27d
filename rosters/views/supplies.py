"""Office supplies (办公用品): requisitions with one URL per decision, and
use against expected use (预损耗量)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mallservice.views import MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.filters import SupplyRequisitionFilter, SupplyUsageFilter
from rosters.forms import NoteForm, SupplyRequisitionForm
from rosters.selectors.handover import current_post
from rosters.selectors.roster import post_list
from rosters.selectors.supplies import supply_item_list, supply_requisition_list, supply_usage
from rosters.services.supplies import (
    supply_requisition_approve,
    supply_requisition_create,
    supply_requisition_issue,
    supply_requisition_reject,
)
from rosters.views.common import RecordActionView, RosterPage, mall_url, parse_month


class SupplyListView(MallScopedMixin, ServiceFormView):
    permission_required = perms.ADD_SUPPLYREQUISITION
    template_name = "rosters/supply_list.html"
    form_class = SupplyRequisitionForm

    def get_initial(self):
        return {"post": current_post(user=self.request.user, mall=self.mall, now=timezone.now())}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs.update(
            posts=post_list(user=user, mall=self.mall),
            items=supply_item_list(user=user, mall=self.mall),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = SupplyRequisitionFilter(
            self.request.GET,
            queryset=supply_requisition_list(user=self.request.user).filter(mall=self.mall),
            user=self.request.user,
            page={"mall": self.mall.pk},
        )
        context.update(filters=listed, requisitions=listed.qs[:100])
        return context

    def perform(self, form):
        supply_requisition_create(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(self.request, _("Requisition filed; a supervisor approves it."))
        return redirect(mall_url("rosters:supplies", self.mall))


class SupplyActionView(RecordActionView):
    permission_required = perms.APPROVE_SUPPLYREQUISITION
    list_url_name = "rosters:supplies"

    def get_queryset(self):
        return supply_requisition_list(user=self.request.user)


class SupplyApproveView(SupplyActionView):
    form_class = NoteForm
    success_message = gettext_lazy("Requisition approved.")

    def perform(self, obj, data):
        supply_requisition_approve(actor=self.request.user, requisition=obj, **data)


class SupplyRejectView(SupplyActionView):
    form_class = NoteForm
    success_message = gettext_lazy("Requisition rejected.")

    def perform(self, obj, data):
        supply_requisition_reject(actor=self.request.user, requisition=obj, **data)


class SupplyIssueView(SupplyActionView):
    success_message = gettext_lazy("Issue recorded.")

    def perform(self, obj, data):
        supply_requisition_issue(actor=self.request.user, requisition=obj)


class SupplyUsageView(RosterPage):
    """Use against expected use (预损耗量) per post and item for a month,
    with a chart; ?over=1 (`SupplyUsageFilter`) keeps the items running over."""

    permission_required = perms.VIEW_SUPPLYALLOWANCE
    template_name = "rosters/supply_usage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = parse_month(self.request.GET.get("month"))
        listed = SupplyUsageFilter(
            self.request.GET,
            rows=supply_usage(user=self.request.user, malls=[self.mall], month=month),
            user=self.request.user,
            page={"mall": self.mall.pk, "month": f"{month:%Y-%m}"},
        )
        rows = listed.qs
        context.update(
            filters=listed,
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
