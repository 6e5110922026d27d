"""Parking validations: the list, validating a plate (recorded, then sent
to the car park), its page (send again when the car park failed) and the
slip for the driver."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from desk.filters.parking import ParkingFilter
from desk.forms.parking import ParkingValidationForm
from desk.models import ParkingValidation
from desk.permissions import ADD_PARKINGVALIDATION, VIEW_PARKINGVALIDATION
from desk.selectors.parking import parking_list, parking_receipts
from desk.services.parking import parking_send, parking_validate, spend_rules
from mallservice.filters import filter_query
from mallservice.pagination import page_of
from mallservice.views import DeskView, ServiceActionView, ServiceFormView

PAGE_SIZE = 50


def _say(request: Any, validation: ParkingValidation) -> None:
    if validation.status == ParkingValidation.Status.APPLIED:
        messages.success(
            request,
            _("%(plate)s: %(hours)s free hours applied at the car park (%(reference)s).")
            % {
                "plate": validation.plate,
                "hours": validation.hours,
                "reference": validation.reference,
            },
        )
    else:
        messages.error(
            request,
            _(
                "%(reference)s is recorded, but the car park did not accept it (%(answer)s). "
                "Send it again from this page."
            )
            % {"reference": validation.reference, "answer": validation.carpark_message or "—"},
        )


class ParkingListView(DeskView, TemplateView):
    permission_required = VIEW_PARKINGVALIDATION
    template_name = "desk/parking_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = ParkingFilter(self.request.GET or None, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(
            form=listed.form,
            page_obj=page,
            validations=page.object_list,
            query=filter_query(self.request.GET),
        )
        return context


class ParkingCreateView(ServiceFormView):
    permission_required = ADD_PARKINGVALIDATION
    template_name = "desk/parking_form.html"
    form_class = ParkingValidationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rules"] = (
            spend_rules(mall=self.request.user.mall) if self.request.user.mall else []
        )
        return context

    def perform(self, form) -> HttpResponse:
        validation = parking_validate(actor=self.request.user, **form.cleaned_data)
        _say(self.request, validation)
        return redirect(validation.get_absolute_url())


class ParkingDetailView(DeskView, TemplateView):
    permission_required = VIEW_PARKINGVALIDATION
    template_name = "desk/parking_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        validation = get_object_or_404(parking_list(user=self.request.user), pk=kwargs["pk"])
        context.update(validation=validation, receipts=parking_receipts(validation=validation))
        return context


class ParkingSlipView(ParkingDetailView):
    """The validation as printed for the driver (停车减免凭条)."""

    template_name = "desk/parking_slip.html"


class ParkingSendView(ServiceActionView):
    """Send a failed validation to the car park again."""

    permission_required = ADD_PARKINGVALIDATION

    def get_queryset(self):
        return parking_list(user=self.request.user)

    def perform(self, obj: ParkingValidation, data: dict[str, Any]) -> str:
        validation = parking_send(actor=self.request.user, validation=obj)
        _say(self.request, validation)
        return ""
