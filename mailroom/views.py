"""Mailroom screens. Each view: check permission → one selector or
service → render. Objects are fetched through the user's scoped selectors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from mailroom import forms, selectors, services
from mailroom.models import (
    Department,
    FoundItem,
    ItemClaim,
    Loan,
    LostReport,
    OutgoingMail,
    Parcel,
)
from mallservice.files import ScopedFileView
from mallservice.forms import add_service_error
from mallservice.pagination import Page, page_of
from mallservice.selectors import filter_mall_param
from mallservice.views import RevealPhoneView, ServiceActionView, SubmitOnceMixin


class DeskView(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous visitors go to the login page; staff without the
    permission get a 403."""

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(self.get_permission_denied_message())
        return super().handle_no_permission()


class ServiceFormView(SubmitOnceMixin, DeskView, FormView):
    """A form whose valid data goes to one service; business-rule errors
    come back onto the form instead of a 500. A create form runs once per
    rendering (`SubmitOnceMixin`)."""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), forms.UserFormMixin):
            kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form) -> HttpResponseRedirect:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            return self.perform(form)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)


def _page(request, qs, per_page: int = 50) -> Page:
    return page_of(qs, request.GET.get("page"), per_page)


# ------------------------------------------------------------------ parcels


class ParcelListView(DeskView, TemplateView):
    permission_required = "mailroom.view_parcel"
    template_name = "mailroom/parcel_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")
        status = self.request.GET.get("status", Parcel.Status.WAITING)
        qs = filter_mall_param(
            selectors.parcel_search(user=self.request.user, query=query, waiting_only=False),
            user=self.request.user,
            value=self.request.GET.get("mall", ""),
        )
        if status in Parcel.Status.values:
            qs = qs.filter(status=status)
        overdue = self.request.GET.get("overdue", "")
        if overdue in selectors.PARCEL_OVERDUE_STAGES:
            qs = qs.filter(selectors.parcel_overdue_q(overdue))
        else:
            overdue = ""
        context.update(
            query=query,
            status=status,
            overdue=overdue,
            statuses=Parcel.Status.choices,
            page_obj=_page(self.request, qs.order_by("-received_at")),
        )
        return context


class ParcelReceiveView(ServiceFormView):
    permission_required = "mailroom.add_parcel"
    template_name = "mailroom/parcel_receive.html"
    form_class = forms.ParcelReceiveForm

    def get_initial(self):
        # Keep carrier, shelf and size from the last parcel: a courier drops
        # a stack of the same kind.
        return self.request.session.get("mailroom_last_receive", {})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent"] = (
            selectors.parcel_list(user=self.request.user)
            .filter(received_by=self.request.user)
            .order_by("-received_at")[:10]
        )
        return context

    def perform(self, form):
        data = form.cleaned_data
        parcel = services.parcel_receive(actor=self.request.user, **data)
        last = {
            "carrier": data["carrier"],
            "shelf": data["shelf"],
            "size": data["size"],
            "recipient_kind": data["recipient_kind"],
        }
        # Written only when it changes: a stack of the same kind costs no
        # session write per parcel.
        if self.request.session.get("mailroom_last_receive") != last:
            self.request.session["mailroom_last_receive"] = last
        messages.success(
            self.request,
            _("Logged %(parcel)s for %(recipient)s on shelf %(shelf)s. Pick-up code %(code)s.")
            % {
                "parcel": parcel,
                "recipient": parcel.recipient_label,
                "shelf": parcel.shelf,
                "code": parcel.pickup_code,
            },
        )
        return redirect("mailroom:parcel_receive")


class ParcelDetailView(DeskView, DetailView):
    permission_required = "mailroom.view_parcel"
    template_name = "mailroom/parcel_detail.html"
    context_object_name = "parcel"

    def get_queryset(self):
        return selectors.parcel_list(user=self.request.user).select_related(
            "pickup__handed_over_by", "returned_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = self.object.notifications.all()
        context["return_form"] = forms.ParcelReturnForm()
        return context


class ParcelReturnView(ServiceFormView):
    permission_required = "mailroom.change_parcel"
    template_name = "mailroom/parcel_return.html"
    form_class = forms.ParcelReturnForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.parcel = get_object_or_404(
                selectors.parcel_list(user=request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(parcel=self.parcel, **kwargs)

    def perform(self, form):
        services.parcel_return(
            actor=self.request.user, parcel=self.parcel, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, _("The return to sender is recorded."))
        return redirect("mailroom:parcel_detail", pk=self.parcel.pk)


class PickupView(ServiceFormView):
    """Find waiting parcels (code, tracking number or recipient), tick
    several, check the collector and take the signature."""

    permission_required = "mailroom.add_parcelpickup"
    template_name = "mailroom/pickup.html"
    form_class = forms.PickupForm

    def waiting(self):
        return selectors.parcel_list(user=self.request.user).filter(status=Parcel.Status.WAITING)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["parcels_queryset"] = self.waiting()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "") or self.request.POST.get("q", "")
        found = []
        if query:
            found = list(
                selectors.parcel_search(user=self.request.user, query=query).order_by(
                    "received_at"
                )[:50]
            )
        ticked = set(self.request.POST.getlist("parcels"))
        if self.request.method == "POST":
            # Keep ticked parcels on the page when the form comes back with errors.
            found_ids = {p.pk for p in found}
            found += [p for p in self.waiting().filter(pk__in=ticked) if p.pk not in found_ids]
        context.update(query=query, found=found, ticked=ticked)
        return context

    def perform(self, form):
        data = form.cleaned_data
        parcels = list(data["parcels"])
        mall_ids = {p.mall_id for p in parcels}
        if len(mall_ids) != 1:
            raise ValidationError({"parcels": _("Collect parcels of one mall at a time.")})
        pickup = services.parcel_pickup(
            actor=self.request.user,
            mall=parcels[0].mall,
            parcel_ids=[p.pk for p in parcels],
            collector_name=data["collector_name"],
            verification=data["verification"],
            id_last4=data["id_last4"],
            staff_badge=data["staff_badge"],
            signature_png=data["signature"],
        )
        messages.success(
            self.request,
            _("%(count)s parcel(s) handed to %(name)s.")
            % {"count": len(parcels), "name": pickup.collector_name},
        )
        return redirect("mailroom:pickup_detail", pk=pickup.pk)


class PickupDetailView(DeskView, DetailView):
    permission_required = "mailroom.view_parcelpickup"
    template_name = "mailroom/pickup_detail.html"
    context_object_name = "pickup"

    def get_queryset(self):
        return selectors.pickup_list(user=self.request.user).prefetch_related("parcels")


class PickupSignatureView(DeskView, ScopedFileView):
    """The signature image, served only to staff who may see the pick-up."""

    permission_required = "mailroom.view_parcelpickup"
    field = "signature"

    def get_queryset(self, request):
        return selectors.pickup_list(user=request.user)


class RegisterView(DeskView, TemplateView):
    """The daily register (邮件领取登记本), printed on A4."""

    permission_required = "mailroom.view_parcel"
    template_name = "mailroom/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            day = parse_date(self.request.GET.get("date", "") or "") or timezone.localdate()
        except ValueError:  # well-formed but impossible, e.g. 2026-02-30
            day = timezone.localdate()
        context.update(day=day, **selectors.register_for_day(user=self.request.user, day=day))
        return context


# ------------------------------------------------------------ outgoing mail


class OutgoingListView(DeskView, TemplateView):
    permission_required = "mailroom.view_outgoingmail"
    template_name = "mailroom/outgoing_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        waiting = selectors.outgoing_list(user=self.request.user).filter(
            status=OutgoingMail.Status.WAITING
        )
        context["dispatch_form"] = kwargs.get("dispatch_form") or forms.DispatchForm(
            items_queryset=waiting
        )
        context["waiting"] = waiting.order_by("carrier", "logged_at")
        context["dispatched"] = (
            selectors.outgoing_list(user=self.request.user)
            .filter(status=OutgoingMail.Status.DISPATCHED)
            .order_by("-logged_at")[:30]
        )
        return context


class OutgoingCreateView(ServiceFormView):
    permission_required = "mailroom.add_outgoingmail"
    template_name = "mailroom/form.html"
    form_class = forms.OutgoingForm
    extra_context = {"title": _("Log outgoing mail")}

    def perform(self, form):
        item = services.outgoing_log(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Outgoing item to %(addressee)s logged; it waits for the %(carrier)s courier.")
            % {"addressee": item.addressee, "carrier": item.get_carrier_display()},
        )
        return redirect("mailroom:outgoing_list")


class OutgoingDispatchView(SubmitOnceMixin, DeskView, FormView):
    permission_required = "mailroom.add_dispatchbatch"
    form_class = forms.DispatchForm
    http_method_names = ["post"]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["items_queryset"] = selectors.outgoing_list(user=self.request.user).filter(
            status=OutgoingMail.Status.WAITING
        )
        return kwargs

    def form_valid(self, form):
        items = list(form.cleaned_data["items"])
        try:
            if len({i.mall_id for i in items}) != 1:
                raise ValidationError({"items": _("Dispatch items of one mall at a time.")})
            batch = services.outgoing_dispatch(
                actor=self.request.user,
                mall=items[0].mall,
                item_ids=[i.pk for i in items],
                carrier=form.cleaned_data["carrier"],
                courier_name=form.cleaned_data["courier_name"],
            )
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(count)s item(s) handed to the courier.") % {"count": len(items)}
        )
        del batch
        return redirect("mailroom:outgoing_list")

    def form_invalid(self, form):
        view = OutgoingListView()
        view.setup(self.request)
        context = view.get_context_data(dispatch_form=form)
        return self.response_class(
            request=self.request, template=[OutgoingListView.template_name], context=context
        )


class OutgoingCostView(DeskView, TemplateView):
    """Monthly cost of outgoing mail by department."""

    permission_required = "mailroom.view_outgoingmail"
    template_name = "mailroom/outgoing_cost.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        year = min(max(year, 2000), 2100)
        rows = selectors.outgoing_monthly_cost(user=self.request.user, year=year)
        labels = dict(Department.choices)
        for row in rows:
            row["department_label"] = labels.get(row["sender_department"], row["sender_department"])
        context.update(year=year, rows=rows)
        return context


# ----------------------------------------------------------- lost and found


class FoundListView(DeskView, TemplateView):
    permission_required = "mailroom.view_founditem"
    template_name = "mailroom/found_list.html"
    VIEWS = ("open", "nearing", "expired", "closed", "broadcast")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        view = self.request.GET.get("view", "open")
        view = view if view in self.VIEWS else "open"
        if view == "nearing":
            qs = selectors.found_items_nearing_limit(user=user).order_by("retention_until")
        else:
            qs = selectors.found_item_list(user=user)
            qs = {
                "open": qs.filter(status=FoundItem.Status.HELD),
                "expired": qs.filter(status=FoundItem.Status.EXPIRED),
                "closed": qs.exclude(status__in=[FoundItem.Status.HELD, FoundItem.Status.EXPIRED]),
                "broadcast": qs.filter(broadcast_requested=True, status=FoundItem.Status.HELD),
            }[view]
        qs = filter_mall_param(qs, user=user, value=self.request.GET.get("mall", ""))
        query = self.request.GET.get("q", "").strip()
        if query:
            qs = qs.filter(description__icontains=query) | qs.filter(number=query.upper())
        context.update(
            view=view,
            query=query,
            page_obj=_page(self.request, qs),
            open_reports=selectors.lost_report_list(user=user)
            .filter(status=LostReport.Status.OPEN)
            .order_by("-logged_at")[:20],
        )
        return context


class FoundCreateView(ServiceFormView):
    permission_required = "mailroom.add_founditem"
    template_name = "mailroom/form.html"
    form_class = forms.FoundItemForm
    extra_context = {"title": _("Log a found item"), "multipart": True}

    def perform(self, form):
        item = services.found_item_log(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Found item %(number)s logged; store it in the %(storage)s.")
            % {"number": item.number, "storage": item.get_storage_display()},
        )
        return redirect("mailroom:found_detail", pk=item.pk)


class FoundDetailView(DeskView, DetailView):
    permission_required = "mailroom.view_founditem"
    template_name = "mailroom/found_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return selectors.found_item_list(user=self.request.user).select_related(
            "disposal_by", "announcement"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["claims"] = selectors.claim_list(user=user).filter(item=self.object)
        context["claim_form"] = forms.ClaimForm()
        context["dispose_form"] = forms.DisposeForm()
        context["can_dispose"] = user.has_perm("mailroom.dispose_founditem")
        context["can_broadcast"] = user.has_perms(FoundBroadcastView.permission_required)
        return context


class FoundBroadcastView(DeskView, View):
    """POST from the found item page: ask the broadcast room to announce it."""

    permission_required = ("mailroom.change_founditem", "broadcasts.add_announcement")

    def post(self, request, pk: int):
        item = get_object_or_404(selectors.found_item_list(user=request.user), pk=pk)
        try:
            services.found_item_broadcast_request(actor=request.user, item=item)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The broadcast room will announce the item."))
        return redirect("mailroom:found_detail", pk=item.pk)


class FoundPhotoView(DeskView, ScopedFileView):
    permission_required = "mailroom.view_founditem"
    field = "photo"

    def get_queryset(self, request):
        return selectors.found_item_list(user=request.user)


class _ItemFormView(ServiceFormView):
    template_name = "mailroom/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.item = get_object_or_404(
                selectors.found_item_list(user=request.user), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)


class ClaimCreateView(_ItemFormView):
    permission_required = "mailroom.add_itemclaim"
    form_class = forms.ClaimForm
    extra_context = {"title": _("Record a claim")}

    def perform(self, form):
        claim = services.claim_log(actor=self.request.user, item=self.item, **form.cleaned_data)
        messages.success(
            self.request,
            _("Claim by %(name)s recorded; verify it before release.")
            % {"name": claim.claimant_name},
        )
        return redirect("mailroom:found_detail", pk=self.item.pk)


class FoundDisposeView(_ItemFormView):
    permission_required = "mailroom.dispose_founditem"
    form_class = forms.DisposeForm
    extra_context = {"title": _("Hand to police or dispose of")}

    def perform(self, form):
        item = services.found_item_dispose(
            actor=self.request.user, item=self.item, **form.cleaned_data
        )
        if item.status == FoundItem.Status.TO_POLICE:
            message = _("Item %(number)s handed to the police (receipt %(reference)s).")
        else:
            message = _("Item %(number)s recorded as disposed of.")
        messages.success(
            self.request, message % {"number": item.number, "reference": item.disposal_reference}
        )
        return redirect("mailroom:found_detail", pk=self.item.pk)


class _ClaimFormView(ServiceFormView):
    template_name = "mailroom/claim_action.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.claim = get_object_or_404(selectors.claim_list(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(claim=self.claim, item=self.claim.item, **kwargs)


class ClaimVerifyView(_ClaimFormView):
    permission_required = "mailroom.change_itemclaim"
    form_class = forms.ClaimVerifyForm
    extra_context = {"title": _("Verify the claim"), "action": "verify"}

    def perform(self, form):
        claim = services.claim_verify(
            actor=self.request.user,
            claim=self.claim,
            approved=form.cleaned_data["approved"],
            note=form.cleaned_data["note"],
        )
        if claim.status == ItemClaim.Status.VERIFIED:
            messages.success(self.request, _("Claim verified: take the signature and release."))
            return redirect("mailroom:claim_release", pk=claim.pk)
        messages.info(
            self.request, _("Claim by %(name)s rejected.") % {"name": claim.claimant_name}
        )
        return redirect("mailroom:found_detail", pk=claim.item_id)


class ClaimReleaseView(_ClaimFormView):
    permission_required = "mailroom.change_itemclaim"
    form_class = forms.SignatureForm
    extra_context = {"title": _("Release to the claimant"), "action": "release"}

    def perform(self, form):
        services.claim_release(
            actor=self.request.user,
            claim=self.claim,
            signature_png=form.cleaned_data["signature"],
        )
        messages.success(
            self.request,
            _("Item %(number)s released to %(name)s.")
            % {"number": self.claim.item.number, "name": self.claim.claimant_name},
        )
        return redirect("mailroom:found_detail", pk=self.claim.item_id)


class ClaimSignatureView(DeskView, ScopedFileView):
    permission_required = "mailroom.view_itemclaim"
    field = "signature"

    def get_queryset(self, request):
        return selectors.claim_list(user=request.user)


class LostReportCreateView(ServiceFormView):
    permission_required = "mailroom.add_lostreport"
    template_name = "mailroom/form.html"
    form_class = forms.LostReportForm
    extra_context = {"title": _("Report a lost item")}

    def perform(self, form):
        report = services.lost_report_log(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Lost-item report recorded: %(category)s, %(name)s. Possible matches are listed.")
            % {"category": report.get_category_display(), "name": report.reporter_name},
        )
        return redirect("mailroom:lost_detail", pk=report.pk)


class LostReportDetailView(DeskView, DetailView):
    permission_required = "mailroom.view_lostreport"
    template_name = "mailroom/lost_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return selectors.lost_report_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["matches"] = selectors.found_item_matches(
            user=self.request.user, report=self.object
        )[:20]
        return context


class LostReportCloseView(ServiceActionView):
    """ "Close as not found"."""

    permission_required = "mailroom.change_lostreport"

    def get_queryset(self):
        return selectors.lost_report_list(user=self.request.user)

    def perform(self, obj, data):
        services.lost_report_close(actor=self.request.user, report=obj)
        return _("Report closed as not found.")


class LostReportResolveView(ServiceActionView):
    """ "This is it": the report is resolved by one of the found items."""

    permission_required = "mailroom.change_lostreport"
    form_class = forms.LostReportResolveForm

    def get_queryset(self):
        return selectors.lost_report_list(user=self.request.user)

    def perform(self, obj, data):
        item = data["found_item"]
        services.lost_report_close(actor=self.request.user, report=obj, found_item=item)
        return _("Report resolved: the item is %(number)s.") % {"number": item.number}


# ------------------------------------------------------------- lending desk


class LoanListView(DeskView, TemplateView):
    permission_required = "mailroom.view_loan"
    template_name = "mailroom/loan_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        now = timezone.now()
        open_loans = Loan.objects.filter(asset=OuterRef("pk"), returned_at__isnull=True)
        only_overdue = self.request.GET.get("show") == "overdue"
        mall = self.request.GET.get("mall", "")

        def in_mall(qs):
            return filter_mall_param(qs, user=user, value=mall)

        overdue = in_mall(selectors.loans_overdue(user=user, now=now))
        context.update(
            now=now,
            only_overdue=only_overdue,
            # Items out of service are listed too (greyed, with the reason),
            # so the desk sees why the second wheelchair is not offered.
            assets=in_mall(selectors.asset_list(user=user)).annotate(on_loan=Exists(open_loans)),
            can_service=user.has_perm("mailroom.service_lendableasset"),
            open_loans=overdue if only_overdue else in_mall(selectors.loans_open(user=user)),
            overdue_count=overdue.count(),
            recent=in_mall(selectors.loan_list(user=user))
            .filter(returned_at__isnull=False)
            .order_by("-returned_at")[:20],
            can_add_asset=user.has_perm("mailroom.add_lendableasset"),
        )
        return context


class AssetCreateView(ServiceFormView):
    permission_required = "mailroom.add_lendableasset"
    template_name = "mailroom/form.html"
    form_class = forms.AssetForm
    extra_context = {"title": _("Add a lendable item")}

    def perform(self, form):
        asset = services.asset_create(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("%(item)s added; it can be lent.") % {"item": asset})
        return redirect("mailroom:loan_list")


class _AssetView(ServiceFormView):
    template_name = "mailroom/form.html"
    permission_required = "mailroom.service_lendableasset"

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
        services.asset_take_out_of_service(
            actor=self.request.user, asset=self.asset, **form.cleaned_data
        )
        messages.success(self.request, _("%(item)s is out of service.") % {"item": self.asset})
        return redirect("mailroom:loan_list")


class AssetReturnToServiceView(_AssetView):
    form_class = forms.AssetReturnToServiceForm

    def get_context_data(self, **kwargs):
        title = _("Put %(item)s back into service") % {"item": self.asset}
        return super().get_context_data(title=title, **kwargs)

    def perform(self, form):
        services.asset_return_to_service(
            actor=self.request.user, asset=self.asset, **form.cleaned_data
        )
        messages.success(self.request, _("%(item)s is back in service.") % {"item": self.asset})
        return redirect("mailroom:loan_list")


class LoanLendView(ServiceFormView):
    permission_required = "mailroom.add_loan"
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
        loan = services.loan_lend(
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

    permission_required = "mailroom.view_loan"
    template_name = "mailroom/loan_slip.html"
    context_object_name = "loan"

    def get_queryset(self):
        return (
            selectors.loan_list(user=self.request.user)
            .filter(deposit_kind=Loan.DepositKind.CASH)
            .select_related("asset", "lent_by", "mall")
        )


class LoanSignatureView(DeskView, ScopedFileView):
    permission_required = "mailroom.view_loan"
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
    permission_required = "mailroom.change_loan"
    form_class = forms.LoanReturnForm

    def get_context_data(self, **kwargs):
        title = _("Check in %(item)s from %(name)s") % {
            "item": self.loan.asset,
            "name": self.loan.borrower_name,
        }
        return super().get_context_data(title=title, loan=self.loan, **kwargs)

    def perform(self, form):
        loan = services.loan_return(actor=self.request.user, loan=self.loan, **form.cleaned_data)
        if loan.deposit_returned_at:
            message = _("%(item)s checked in from %(name)s; deposit handed back.")
        else:
            message = _("%(item)s checked in from %(name)s; the deposit is kept.")
        messages.success(self.request, message % {"item": loan.asset, "name": loan.borrower_name})
        return redirect("mailroom:loan_list")


class LoanDepositReturnView(DeskView, DetailView):
    permission_required = "mailroom.change_loan"
    http_method_names = ["post"]

    def get_queryset(self):
        return selectors.loan_list(user=self.request.user)

    def post(self, request, *args, **kwargs):
        try:
            loan = services.loan_deposit_return(actor=request.user, loan=self.get_object())
            messages.success(
                request,
                _("Deposit for %(item)s handed back to %(name)s.")
                % {"item": loan.asset, "name": loan.borrower_name},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("mailroom:loan_list")


# ------------------------------------------------------------ personal data

# Every masked phone the mailroom shows: the record's scoped selector, its
# phone field and the permission to see the record.
REVEALABLE_PHONES = {
    "parcel": (selectors.parcel_list, "recipient_phone", "mailroom.view_parcel"),
    "notification": (selectors.notification_list, "to_phone", "mailroom.view_notification"),
    "finder": (selectors.found_item_list, "finder_phone", "mailroom.view_founditem"),
    "claim": (selectors.claim_list, "claimant_phone", "mailroom.view_itemclaim"),
    "lost": (selectors.lost_report_list, "reporter_phone", "mailroom.view_lostreport"),
    "loan": (selectors.loan_list, "borrower_phone", "mailroom.view_loan"),
}


class PhoneRevealView(DeskView, RevealPhoneView):
    """The project's logged reveal (mallservice.views.RevealPhoneView) for
    the mailroom's records, one URL per kind of record."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["kind"] not in REVEALABLE_PHONES:
            raise Http404
        self.selector, self.field, self.permission_required = REVEALABLE_PHONES[kwargs["kind"]]

    def get_queryset(self, request):
        return self.selector(user=request.user)
