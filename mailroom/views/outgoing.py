"""Outgoing mail: the waiting list and courier dispatch, logging an item,
the monthly cost by department."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from mailroom import forms, selectors
from mailroom import permissions as perms
from mailroom.models import Department, OutgoingMail
from mailroom.services.outgoing import outgoing_dispatch, outgoing_log
from mallservice.clock import local_date
from mallservice.forms import add_service_error
from mallservice.views import DeskView, ServiceFormView, SubmitOnceMixin


class OutgoingListView(DeskView, TemplateView):
    permission_required = perms.VIEW_OUTGOINGMAIL
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
    permission_required = perms.ADD_OUTGOINGMAIL
    template_name = "mailroom/form.html"
    form_class = forms.OutgoingForm
    extra_context = {"title": _("Log outgoing mail")}

    def perform(self, form):
        item = outgoing_log(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Outgoing item to %(addressee)s logged; it waits for the %(carrier)s courier.")
            % {"addressee": item.addressee, "carrier": item.get_carrier_display()},
        )
        return redirect("mailroom:outgoing_list")


class OutgoingDispatchView(SubmitOnceMixin, DeskView, FormView):
    permission_required = perms.ADD_DISPATCHBATCH
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
            batch = outgoing_dispatch(
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

    permission_required = perms.VIEW_OUTGOINGMAIL
    template_name = "mailroom/outgoing_cost.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            year = local_date().year
        year = min(max(year, 2000), 2100)
        rows = selectors.outgoing_monthly_cost(user=self.request.user, year=year)
        labels = dict(Department.choices)
        for row in rows:
            row["department_label"] = labels.get(row["sender_department"], row["sender_department"])
        context.update(year=year, rows=rows)
        return context
