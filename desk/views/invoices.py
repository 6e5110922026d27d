"""Invoice requests: the list (the finance queue is its "awaiting finance"
filter), recording one, its page (issue, e-mail, refuse) and the slip
given to the customer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from desk import forms
from desk.filters.invoices import InvoiceFilter
from desk.forms.invoices import InvoiceRequestForm
from desk.models import InvoiceRequest
from desk.permissions import ADD_INVOICEREQUEST, ISSUE_INVOICEREQUEST, VIEW_INVOICEREQUEST
from desk.selectors.invoices import invoice_list, invoice_receipts
from desk.services.invoices import invoice_email, invoice_issue, invoice_refuse, invoice_request
from mallservice.filters import filter_query
from mallservice.pagination import page_of
from mallservice.views import DeskView, ServiceActionView, ServiceFormView

PAGE_SIZE = 50


class InvoiceListView(DeskView, TemplateView):
    permission_required = VIEW_INVOICEREQUEST
    template_name = "desk/invoice_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = InvoiceFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            form=listed.form,
            page_obj=page,
            invoices=page.object_list,
            query=filter_query(self.request.GET),
        )
        return context


class InvoiceCreateView(ServiceFormView):
    permission_required = ADD_INVOICEREQUEST
    template_name = "desk/invoice_form.html"
    form_class = InvoiceRequestForm

    def perform(self, form) -> HttpResponse:
        request = invoice_request(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Invoice request %(reference)s recorded.") % {"reference": request.reference},
        )
        return redirect(request.get_absolute_url())


class InvoiceDetailView(DeskView, TemplateView):
    permission_required = VIEW_INVOICEREQUEST
    template_name = "desk/invoice_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        invoice = get_object_or_404(invoice_list(user=self.request.user), pk=kwargs["pk"])
        context.update(invoice=invoice, receipts=invoice_receipts(request=invoice))
        return context


class InvoiceSlipView(InvoiceDetailView):
    """The receipt of the request, printed for the customer (发票申请回执)."""

    template_name = "desk/invoice_slip.html"


class InvoiceActionView(ServiceActionView):
    permission_required = ISSUE_INVOICEREQUEST

    def get_queryset(self):
        return invoice_list(user=self.request.user)


class InvoiceIssueView(InvoiceActionView):
    success_message = gettext_lazy("Invoice issued for %(object)s.")

    def perform(self, obj: InvoiceRequest, data: dict[str, Any]) -> None:
        invoice_issue(actor=self.request.user, request=obj)


class InvoiceEmailView(InvoiceActionView):
    success_message = gettext_lazy("Invoice of %(object)s e-mailed.")

    def perform(self, obj: InvoiceRequest, data: dict[str, Any]) -> None:
        invoice_email(actor=self.request.user, request=obj)


class InvoiceRefuseView(InvoiceActionView):
    form_class = forms.RefuseForm
    success_message = gettext_lazy("Invoice request %(object)s refused.")

    def perform(self, obj: InvoiceRequest, data: dict[str, Any]) -> None:
        invoice_refuse(actor=self.request.user, request=obj, reason=data["reason"])
