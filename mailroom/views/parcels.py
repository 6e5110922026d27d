"""Incoming parcels: the list, check-in, the parcel page, return to sender,
the pick-up counter and the daily register."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from mailroom import forms, selectors
from mailroom import permissions as perms
from mailroom.filters import ParcelFilter
from mailroom.models import NoticeKind, Parcel
from mailroom.services.parcels import parcel_pickup, parcel_receive, parcel_return
from mallservice.clock import local_date
from mallservice.files import ScopedFileView
from mallservice.pagination import page_of
from mallservice.views import DeskView, ServiceFormView

# A list page shows this many rows.
PER_PAGE = 50


class ParcelListView(DeskView, TemplateView):
    permission_required = perms.VIEW_PARCEL
    template_name = "mailroom/parcel_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = ParcelFilter(self.request.GET, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PER_PAGE)
        valid = listed.form.cleaned_data if listed.is_valid() else {}
        context.update(
            form=listed.form,
            page_obj=page,
            query=valid.get("q", ""),
            overdue=valid.get("overdue", ""),
        )
        return context


class ParcelReceiveView(ServiceFormView):
    permission_required = perms.ADD_PARCEL
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
        parcel = parcel_receive(actor=self.request.user, **data)
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
    permission_required = perms.VIEW_PARCEL
    template_name = "mailroom/parcel_detail.html"
    context_object_name = "parcel"

    def get_queryset(self):
        return selectors.parcel_list(user=self.request.user).select_related(
            "pickup__handed_over_by", "returned_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notifications"] = [
            (NoticeKind(message.kind).label, message) for message in self.object.notifications
        ]
        context["return_form"] = forms.ParcelReturnForm()
        return context


class ParcelReturnView(ServiceFormView):
    permission_required = perms.CHANGE_PARCEL
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
        parcel_return(
            actor=self.request.user, parcel=self.parcel, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, _("The return to sender is recorded."))
        return redirect("mailroom:parcel_detail", pk=self.parcel.pk)


class PickupView(ServiceFormView):
    """Find waiting parcels (code, tracking number or recipient), tick
    several, check the collector and take the signature."""

    permission_required = perms.ADD_PARCELPICKUP
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
        pickup = parcel_pickup(
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
    permission_required = perms.VIEW_PARCELPICKUP
    template_name = "mailroom/pickup_detail.html"
    context_object_name = "pickup"

    def get_queryset(self):
        return selectors.pickup_list(user=self.request.user).prefetch_related("parcels")


class PickupSignatureView(DeskView, ScopedFileView):
    """The signature image, served only to staff who may see the pick-up."""

    permission_required = perms.VIEW_PARCELPICKUP
    field = "signature"

    def get_queryset(self, request):
        return selectors.pickup_list(user=request.user)


class RegisterView(DeskView, TemplateView):
    """The daily register (邮件领取登记本), printed on A4."""

    permission_required = perms.VIEW_PARCEL
    template_name = "mailroom/register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            day = parse_date(self.request.GET.get("date", "") or "") or local_date()
        except ValueError:  # well-formed but impossible, e.g. 2026-02-30
            day = local_date()
        context.update(day=day, **selectors.register_for_day(user=self.request.user, day=day))
        return context
