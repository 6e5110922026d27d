"""The lending desk: items, loans, deposit slips, check-in."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from mailroom import forms, selectors
from mailroom import permissions as perms
from mailroom.filters import LoanFilter
from mailroom.models import Loan
from mailroom.services.lending import (
    asset_create,
    asset_return_to_service,
    asset_take_out_of_service,
    loan_deposit_return,
    loan_lend,
    loan_return,
)
from mallservice.files import ScopedFileView
from mallservice.views import DeskView, ServiceActionView, ServiceFormView


class LoanListView(DeskView, TemplateView):
    permission_required = perms.VIEW_LOAN
    template_name = "mailroom/loan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        open_loans = Loan.objects.filter(asset=OuterRef("pk"), returned_at__isnull=True)
        listed = LoanFilter(self.request.GET, user=user, now=now)
        in_mall = listed.mall_filter
        context.update(
            form=listed.form,
            now=now,
            only_overdue=listed.is_valid() and listed.form.cleaned_data.get("show") == "overdue",
            # Items out of service are listed too (greyed, with the reason),
            # so the desk sees why the second wheelchair is not offered.
            assets=in_mall(selectors.asset_list(user=user)).annotate(on_loan=Exists(open_loans)),
            open_loans=listed.qs,
            overdue_count=in_mall(selectors.loans_overdue(user=user, now=now)).count(),
            recent=in_mall(selectors.loan_list(user=user))
            .filter(returned_at__isnull=False)
            .order_by("-returned_at")[:20],
        )
        return context


class AssetCreateView(ServiceFormView):
    permission_required = perms.ADD_LENDABLEASSET
    template_name = "mailroom/form.html"
    form_class = forms.AssetForm
    extra_context = {"title": _("Add a lendable item")}

    def perform(self, form):
        asset = asset_create(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("%(item)s added; it can be lent.") % {"item": asset})
        return redirect("mailroom:loan_list")


class _AssetView(ServiceFormView):
    template_name = "mailroom/form.html"
    permission_required = perms.SERVICE_LENDABLEASSET

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.asset = get_object_or_404(selectors.asset_list(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class AssetOutOfServiceView(_AssetView):
    """Take a lending item out of service (damaged, repair, lost)."""

    form_class = forms.AssetOutOfServiceForm

    def get_context_data(self, **kwargs):
        title = _("Take %(item)s out of service") % {"item": self.asset}
        return super().get_context_data(title=title, **kwargs)

    def perform(self, form):
        asset_take_out_of_service(actor=self.request.user, asset=self.asset, **form.cleaned_data)
        messages.success(self.request, _("%(item)s is out of service.") % {"item": self.asset})
        return redirect("mailroom:loan_list")


class AssetReturnToServiceView(_AssetView):
    form_class = forms.AssetReturnToServiceForm

    def get_context_data(self, **kwargs):
        title = _("Put %(item)s back into service") % {"item": self.asset}
        return super().get_context_data(title=title, **kwargs)

    def perform(self, form):
        asset_return_to_service(actor=self.request.user, asset=self.asset, **form.cleaned_data)
        messages.success(self.request, _("%(item)s is back in service.") % {"item": self.asset})
        return redirect("mailroom:loan_list")


class LoanLendView(ServiceFormView):
    permission_required = perms.ADD_LOAN
    template_name = "mailroom/form.html"
    form_class = forms.LendForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.asset = get_object_or_404(selectors.asset_list(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        title = _("Lend %(item)s") % {"item": self.asset}
        return super().get_context_data(title=title, **kwargs)

    def get_template_names(self):
        return ["mailroom/loan_lend.html"]

    def perform(self, form):
        data = dict(form.cleaned_data)
        loan = loan_lend(
            actor=self.request.user,
            asset=self.asset,
            signature_png=data.pop("signature"),
            **data,
        )
        if loan.deposit_kind == Loan.DepositKind.CASH:
            # The borrower takes a printed deposit slip for their money.
            messages.success(
                self.request,
                _("%(item)s lent to %(name)s against ¥%(amount)s: print the deposit slip.")
                % {"item": self.asset, "name": loan.borrower_name, "amount": loan.deposit_amount},
            )
            return redirect("mailroom:loan_slip", pk=loan.pk)
        messages.success(
            self.request,
            _("%(item)s lent to %(name)s; ID card ****%(id)s held at the desk.")
            % {"item": self.asset, "name": loan.borrower_name, "id": loan.id_last4},
        )
        return redirect("mailroom:loan_list")


class LoanSlipView(DeskView, DetailView):
    """The cash deposit slip (押金单), printed for the borrower."""

    permission_required = perms.VIEW_LOAN
    template_name = "mailroom/loan_slip.html"
    context_object_name = "loan"

    def get_queryset(self):
        return (
            selectors.loan_list(user=self.request.user)
            .filter(deposit_kind=Loan.DepositKind.CASH)
            .select_related("asset", "lent_by", "mall")
        )


class LoanSignatureView(DeskView, ScopedFileView):
    permission_required = perms.VIEW_LOAN
    field = "borrower_signature"

    def get_queryset(self, request):
        return selectors.loan_list(user=request.user)


class _LoanView(ServiceFormView):
    template_name = "mailroom/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.loan = get_object_or_404(selectors.loan_list(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class LoanReturnView(_LoanView):
    permission_required = perms.CHANGE_LOAN
    form_class = forms.LoanReturnForm

    def get_context_data(self, **kwargs):
        title = _("Check in %(item)s from %(name)s") % {
            "item": self.loan.asset,
            "name": self.loan.borrower_name,
        }
        return super().get_context_data(title=title, loan=self.loan, **kwargs)

    def perform(self, form):
        loan = loan_return(actor=self.request.user, loan=self.loan, **form.cleaned_data)
        if loan.deposit_returned_at:
            message = _("%(item)s checked in from %(name)s; deposit handed back.")
        else:
            message = _("%(item)s checked in from %(name)s; the deposit is kept.")
        messages.success(self.request, message % {"item": loan.asset, "name": loan.borrower_name})
        return redirect("mailroom:loan_list")


class LoanDepositReturnView(ServiceActionView):
    """The "return deposit" button of a loan checked in with its deposit kept."""

    permission_required = perms.CHANGE_LOAN

    def get_queryset(self):
        return selectors.loan_list(user=self.request.user)

    def perform(self, obj, data):
        loan = loan_deposit_return(actor=self.request.user, loan=obj)
        return _("Deposit for %(item)s handed back to %(name)s.") % {
            "item": loan.asset,
            "name": loan.borrower_name,
        }
