"""The incident log's pages: the list, recording one, its page (follow-up
and closing, each posted to its own URL) and the printable slip."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from desk import forms, selectors
from desk.filters.incidents import IncidentFilter
from desk.models import Incident
from desk.permissions import ADD_INCIDENT, ADD_INCIDENTFOLLOWUP, CLOSE_INCIDENT, VIEW_INCIDENT
from desk.services.incidents import (
    incident_close,
    incident_follow_up,
    incident_place,
    incident_report,
)
from mallservice.notifications import providers
from mallservice.notifications.models import Message
from mallservice.pagination import page_of
from mallservice.views import DeskView, ServiceActionView, ServiceFormView

PAGE_SIZE = 50


class IncidentListView(DeskView, TemplateView):
    permission_required = VIEW_INCIDENT
    template_name = "desk/incident_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        listed = IncidentFilter(self.request.GET, user=self.request.user)
        page = page_of(listed.qs, self.request.GET.get("page"), PAGE_SIZE)
        context.update(filters=listed, page_obj=page, incidents=page.object_list)
        return context


class IncidentCreateView(ServiceFormView):
    permission_required = ADD_INCIDENT
    template_name = "desk/incident_form.html"
    form_class = forms.IncidentForm

    def perform(self, form) -> HttpResponse:
        incident = incident_report(actor=self.request.user, **form.cleaned_data)
        messages.success(
            self.request, _("Incident %(reference)s recorded.") % {"reference": incident.reference}
        )
        if incident.urgent and providers.records_only(Message.Channel.SMS):
            # Honest about the channel: without an SMS provider nothing
            # reaches a phone.
            messages.warning(
                self.request,
                _(
                    "The duty manager's notice is recorded, not sent: there is no SMS or "
                    "WeCom channel yet. Call the duty manager now."
                ),
            )
        return redirect(incident.get_absolute_url())


def _incident(view: Any, pk: int) -> Incident:
    return get_object_or_404(selectors.incident_list(user=view.request.user), pk=pk)


class IncidentDetailView(DeskView, TemplateView):
    permission_required = VIEW_INCIDENT
    template_name = "desk/incident_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        incident = _incident(self, kwargs["pk"])
        context.update(
            incident=incident,
            place=incident_place(incident),
            follow_ups=selectors.incident_follow_ups(incident=incident),
            notices=selectors.incident_notices(incident=incident),
            sms_records_only=providers.records_only(Message.Channel.SMS),
            follow_up_form=forms.FollowUpForm(),
            close_form=forms.CloseForm(),
        )
        return context


class IncidentSlipView(IncidentDetailView):
    """The incident report as printed for the file (事件报告单)."""

    template_name = "desk/incident_slip.html"


class IncidentFollowUpView(ServiceActionView):
    permission_required = ADD_INCIDENTFOLLOWUP
    form_class = forms.FollowUpForm
    success_message = gettext_lazy("Follow-up recorded.")

    def get_queryset(self):
        return selectors.incident_list(user=self.request.user)

    def perform(self, obj: Incident, data: dict[str, Any]) -> None:
        incident_follow_up(actor=self.request.user, incident=obj, note=data["note"])


class IncidentCloseView(ServiceActionView):
    """结案 (asks first on the page: a closed incident is not reopened)."""

    permission_required = CLOSE_INCIDENT
    form_class = forms.CloseForm
    success_message = gettext_lazy("Incident closed.")

    def get_queryset(self):
        return selectors.incident_list(user=self.request.user)

    def perform(self, obj: Incident, data: dict[str, Any]) -> None:
        incident_close(actor=self.request.user, incident=obj, closing_note=data["closing_note"])
