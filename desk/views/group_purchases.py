"""Group purchases: the list, a company's enquiry, its page (quote, order
to marketing, delivered, paid, cancel), the printed order confirmation,
marketing's month and its export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import TemplateView, View

from desk.filters.group_purchases import GroupPurchaseFilter
from desk.forms.group_purchases import CancelForm, GroupPurchaseForm, MonthForm, QuoteForm
from desk.models import GroupPurchase
from desk.permissions import (
    ADD_GROUPPURCHASE,
    CHANGE_GROUPPURCHASE,
    HANDLE_GROUPPURCHASE,
    VIEW_GROUPPURCHASE,
)
from desk.selectors.group_purchases import (
    group_purchase_list,
    group_purchase_month,
    group_purchase_month_totals,
    group_purchase_quotes,
)
from desk.services.group_purchases import (
    group_purchase_cancel,
    group_purchase_deliver,
    group_purchase_enquire,
    group_purchase_order,
    group_purchase_paid,
    group_purchase_quote,
)
from mallservice.exports import spreadsheet_response
from mallservice.filters import filter_query
from mallservice.pagination import page_of
from mallservice.templatetags.mallservice_tags import mask_phone
from mallservice.views import (
    DeskView,
    MallScopedMixin,
    RevealPhoneView,
    ServiceActionView,
    ServiceFormView,
)

PAGE_SIZE = 50


class GroupListView(DeskView, TemplateView):
    permission_required = VIEW_GROUPPURCHASE
    template_name = "desk/group_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = GroupPurchaseFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            form=listed.form,
            page_obj=page,
            purchases=page.object_list,
            query=filter_query(self.request.GET),
        )
        return context


class GroupCreateView(ServiceFormView):
    permission_required = ADD_GROUPPURCHASE
    template_name = "desk/group_form.html"
    form_class = GroupPurchaseForm

    def perform(self, form) -> HttpResponse:
        purchase = group_purchase_enquire(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Group purchase enquiry %(reference)s recorded.") % {"reference": purchase.reference},
        )
        return redirect(purchase.get_absolute_url())


class GroupDetailView(DeskView, TemplateView):
    permission_required = VIEW_GROUPPURCHASE
    template_name = "desk/group_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        purchase = get_object_or_404(group_purchase_list(user=self.request.user), pk=kwargs["pk"])
        context.update(
            purchase=purchase,
            quotes=group_purchase_quotes(purchase=purchase),
            quote_form=QuoteForm(),
        )
        return context


class GroupSlipView(GroupDetailView):
    """The order confirmation printed for the company (团购确认单)."""

    template_name = "desk/group_slip.html"


class GroupActionView(ServiceActionView):
    permission_required = CHANGE_GROUPPURCHASE

    def get_queryset(self):
        return group_purchase_list(user=self.request.user)


class GroupQuoteView(GroupActionView):
    form_class = QuoteForm
    success_message = gettext_lazy("Quote recorded for %(object)s.")

    def perform(self, obj: GroupPurchase, data: dict[str, Any]) -> None:
        group_purchase_quote(
            actor=self.request.user, purchase=obj, total=data["total"], terms=data["terms"]
        )


class GroupOrderView(GroupActionView):
    success_message = gettext_lazy("%(object)s handed to marketing.")

    def perform(self, obj: GroupPurchase, data: dict[str, Any]) -> None:
        group_purchase_order(actor=self.request.user, purchase=obj)


class GroupCancelView(GroupActionView):
    form_class = CancelForm
    success_message = gettext_lazy("%(object)s cancelled.")

    def perform(self, obj: GroupPurchase, data: dict[str, Any]) -> None:
        group_purchase_cancel(actor=self.request.user, purchase=obj, reason=data["reason"])


class GroupDeliverView(GroupActionView):
    permission_required = HANDLE_GROUPPURCHASE
    success_message = gettext_lazy("Delivery of %(object)s confirmed.")

    def perform(self, obj: GroupPurchase, data: dict[str, Any]) -> None:
        group_purchase_deliver(actor=self.request.user, purchase=obj)


class GroupPaidView(GroupActionView):
    permission_required = HANDLE_GROUPPURCHASE
    success_message = gettext_lazy("Payment of %(object)s confirmed.")

    def perform(self, obj: GroupPurchase, data: dict[str, Any]) -> None:
        group_purchase_paid(actor=self.request.user, purchase=obj)


class GroupPhoneRevealView(DeskView, RevealPhoneView):
    permission_required = VIEW_GROUPPURCHASE
    field = "contact_phone"

    def get_queryset(self, request: HttpRequest):
        return group_purchase_list(user=request.user)


class GroupMonthView(MallScopedMixin, DeskView, TemplateView):
    """Marketing's month: the orders handed over, with delivery and payment."""

    permission_required = HANDLE_GROUPPURCHASE
    template_name = "desk/group_month.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = MonthForm(self.request.GET or None)
        month = form.chosen_month()
        purchases = group_purchase_month(user=self.request.user, month=month, mall=self.mall)
        page = page_of(purchases.select_related(None), self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            form=form,
            month=month,
            page_obj=page,
            purchases=page.object_list,
            totals=group_purchase_month_totals(purchases=purchases),
            query=filter_query(self.request.GET),
        )
        return context


class GroupMonthExportView(MallScopedMixin, DeskView, View):
    permission_required = HANDLE_GROUPPURCHASE

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        month = MonthForm(request.GET or None).chosen_month()
        purchases = group_purchase_month(user=request.user, month=month, mall=self.mall)
        return spreadsheet_response(
            request=request,
            mall=self.mall,
            filename=f"group-purchases-{self.mall.code}-{month:%Y-%m}",
            sheet_title=f"{month:%Y-%m}",
            header=[
                pgettext("group purchase", "order number"),
                _("company"),
                _("contact"),
                _("contact's phone"),
                _("product"),
                _("face value each (yuan)"),
                _("quantity"),
                _("quoted total (yuan)"),
                _("wanted on"),
                _("handed to marketing at"),
                _("delivered at"),
                _("paid at"),
                _("status"),
            ],
            rows=(
                [
                    p.reference,
                    p.company,
                    p.contact_name,
                    mask_phone(p.contact_phone),
                    p.get_product_display(),
                    p.face_value,
                    p.quantity,
                    p.quoted_total,
                    p.wanted_on,
                    _local(p.ordered_at),
                    _local(p.delivered_at),
                    _local(p.paid_at),
                    p.get_status_display(),
                ]
                for p in purchases
            ),
            detail={"report": "group_purchases_month", "month": f"{month:%Y-%m}"},
        )


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""
