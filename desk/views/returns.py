"""Returns and exchanges: the list, recording a case, its page (the shop's
answer and the desk's mediation, the outcome, turning it into a complaint,
each posted to its own URL) and the printable slip."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from complaints.permissions import ADD_COMPLAINT
from desk import selectors
from desk.filters.returns import ReturnCaseFilter
from desk.forms import returns as forms
from desk.models import ReturnCase
from desk.permissions import (
    ADD_RETURNCASE,
    ADD_RETURNSTEP,
    SETTLE_RETURNCASE,
    VIEW_RETURNCASE,
)
from desk.services.returns import (
    NO_REASON_DAYS,
    return_days_since_purchase,
    return_escalate,
    return_record,
    return_settle,
    return_step_add,
)
from mallservice.filters import filter_query
from mallservice.pagination import page_of
from mallservice.views import DeskView, RevealPhoneView, ServiceActionView, ServiceFormView

PAGE_SIZE = 50


class ReturnListView(DeskView, TemplateView):
    permission_required = VIEW_RETURNCASE
    template_name = "desk/return_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = ReturnCaseFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            form=listed.form,
            page_obj=page,
            cases=page.object_list,
            query=filter_query(self.request.GET),
        )
        return context


class ReturnCreateView(ServiceFormView):
    permission_required = ADD_RETURNCASE
    template_name = "desk/return_form.html"
    form_class = forms.ReturnForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(no_reason_days=NO_REASON_DAYS, **kwargs)

    def perform(self, form) -> HttpResponse:
        case = return_record(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request, _("Return %(reference)s recorded.") % {"reference": case.reference}
        )
        return redirect(case.get_absolute_url())


def _case(view: Any, pk: int) -> ReturnCase:
    return get_object_or_404(selectors.return_case_list(user=view.request.user), pk=pk)


class ReturnDetailView(DeskView, TemplateView):
    permission_required = VIEW_RETURNCASE
    template_name = "desk/return_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        case = _case(self, kwargs["pk"])
        user = self.request.user
        context.update(
            case=case,
            steps=selectors.return_steps(case=case),
            days=return_days_since_purchase(case),
            no_reason_days=NO_REASON_DAYS,
            step_form=forms.ReturnStepForm(),
            settle_form=forms.ReturnSettleForm(),
            escalate_form=(
                forms.ReturnEscalateForm(user=user, mall_id=case.mall_id)
                if user.has_perm(ADD_COMPLAINT)
                else None
            ),
        )
        return context


class ReturnSlipView(ReturnDetailView):
    """The case as printed for the customer and the shop (退换货登记单)."""

    template_name = "desk/return_slip.html"


class ReturnActionView(ServiceActionView):
    def get_queryset(self):
        return selectors.return_case_list(user=self.request.user)


class ReturnStepView(ReturnActionView):
    permission_required = ADD_RETURNSTEP
    form_class = forms.ReturnStepForm
    success_message = gettext_lazy("Noted on %(object)s.")

    def perform(self, obj: ReturnCase, data: dict[str, Any]) -> None:
        return_step_add(actor=self.request.user, case=obj, kind=data["kind"], note=data["note"])


class ReturnSettleView(ReturnActionView):
    permission_required = SETTLE_RETURNCASE
    form_class = forms.ReturnSettleForm
    success_message = gettext_lazy("Outcome of %(object)s recorded.")

    def perform(self, obj: ReturnCase, data: dict[str, Any]) -> None:
        return_settle(actor=self.request.user, case=obj, **data)


class ReturnEscalateView(ReturnActionView):
    """The case becomes a complaint (asks first on the page)."""

    permission_required = ADD_COMPLAINT
    form_class = forms.ReturnEscalateForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "mall_id": self.object.mall_id}

    def perform(self, obj: ReturnCase, data: dict[str, Any]) -> str:
        case = return_escalate(actor=self.request.user, case=obj, category=data["category"])
        return _("%(object)s is now complaint %(complaint)s.") % {
            "object": case.reference,
            "complaint": case.complaint.reference,
        }


class ReturnRevealPhoneView(DeskView, RevealPhoneView):
    permission_required = VIEW_RETURNCASE
    field = "customer_phone"

    def get_queryset(self, request: HttpRequest):
        return selectors.return_case_list(user=request.user)
