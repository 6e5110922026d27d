"""Ad-hoc announcements: the list, the request form, the detail page and
one URL per action on it (approve, reject, air, cancel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from broadcasts import forms, selectors
from broadcasts.filters import AnnouncementFilter
from broadcasts.models import Announcement, ScriptTemplate
from broadcasts.permissions import (
    ADD_ANNOUNCEMENT,
    AIR_ANNOUNCEMENT,
    APPROVE_ANNOUNCEMENT,
    CHANGE_ANNOUNCEMENT,
    VIEW_ANNOUNCEMENT,
)
from broadcasts.services.announcements import (
    announcement_air,
    announcement_approve,
    announcement_cancel,
    announcement_reject,
    announcement_request,
)
from mallservice.pagination import page_of
from mallservice.views import DeskView, MallScopedMixin, ServiceActionView, ServiceFormView


class AnnouncementListView(DeskView, TemplateView):
    permission_required = VIEW_ANNOUNCEMENT
    template_name = "broadcasts/announcement_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request = self.request
        listed = AnnouncementFilter(request.GET, user=request.user)
        return super().get_context_data(
            page_obj=page_of(listed.qs, request.GET.get("page"), 30), filters=listed, **kwargs
        )


class AnnouncementCreateView(MallScopedMixin, ServiceFormView):
    """A request from a script template (`?template=`) or a free script;
    it goes to the template's mall, else the page's."""

    permission_required = ADD_ANNOUNCEMENT
    form_class = forms.AnnouncementForm
    template_name = "broadcasts/announcement_form.html"

    def script_template(self) -> ScriptTemplate | None:
        pk = self.request.GET.get("template") or self.request.POST.get("template")
        if not pk:
            return None
        if not str(pk).isdigit():
            raise Http404
        return get_object_or_404(
            selectors.template_list(user=self.request.user).filter(is_active=True), pk=pk
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "template": self.script_template()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["template"] = context["form"].template
        context["templates"] = (
            selectors.template_list(user=self.request.user)
            .filter(is_active=True)
            .exclude(kind="routine")
        )
        return context

    def perform(self, form: forms.AnnouncementForm) -> HttpResponse:
        data, template = form.cleaned_data, form.template
        announcement = announcement_request(
            actor=self.request.user,
            mall=template.mall if template else self.mall,
            kind=template.kind if template else data["kind"],
            template=template,
            fields=form.script_fields,
            script=data.get("script", ""),
            wanted_at=data["wanted_at"],
            repetitions=data["repetitions"],
            interval_minutes=data["interval_minutes"],
        )
        if announcement.state == Announcement.State.PENDING_APPROVAL:
            messages.info(self.request, _("Requested; it waits for a supervisor's approval."))
        else:
            messages.success(self.request, _("In the broadcaster's queue."))
        return redirect(announcement)


class AnnouncementDetailView(DeskView, DetailView):
    permission_required = VIEW_ANNOUNCEMENT
    template_name = "broadcasts/announcement_detail.html"
    context_object_name = "announcement"

    def get_queryset(self):
        return selectors.announcement_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, announcement = self.request.user, self.object
        State = Announcement.State
        return super().get_context_data(
            airings=announcement.airings.select_related("aired_by").order_by("sequence"),
            can_approve=user.has_perm(APPROVE_ANNOUNCEMENT)
            and announcement.state == State.PENDING_APPROVAL,
            can_air=user.has_perm(AIR_ANNOUNCEMENT) and announcement.state == State.QUEUED,
            can_cancel=user.has_perm(CHANGE_ANNOUNCEMENT)
            and announcement.state in (State.QUEUED, State.PENDING_APPROVAL),
            # Two forms with a `note` each: their own ids for the labels.
            approve_form=forms.NoteForm(auto_id="approve-%s"),
            reject_form=forms.RejectForm(auto_id="reject-%s"),
            cancel_form=forms.CancelForm(),
            **kwargs,
        )


class AnnouncementActionView(ServiceActionView):
    """A button on an announcement; from the queue (`next=queue`) the
    broadcaster goes back to the queue."""

    def get_queryset(self):
        return selectors.announcement_list(user=self.request.user)

    def get_success_url(self) -> str:
        if self.request.POST.get("next") == "queue":
            return reverse("broadcasts:queue")
        return super().get_success_url()


class AnnouncementApproveView(AnnouncementActionView):
    permission_required = APPROVE_ANNOUNCEMENT
    form_class = forms.NoteForm

    def perform(self, obj: Announcement, data: dict[str, Any]) -> str:
        announcement_approve(actor=self.request.user, announcement=obj, note=data["note"])
        return _("Approved: it is in the broadcaster's queue.")


class AnnouncementRejectView(AnnouncementActionView):
    permission_required = APPROVE_ANNOUNCEMENT
    form_class = forms.RejectForm

    def perform(self, obj: Announcement, data: dict[str, Any]) -> str:
        announcement_reject(actor=self.request.user, announcement=obj, note=data["note"])
        return _("Rejected.")


class AnnouncementCancelView(AnnouncementActionView):
    permission_required = CHANGE_ANNOUNCEMENT
    form_class = forms.CancelForm

    def perform(self, obj: Announcement, data: dict[str, Any]) -> str:
        announcement_cancel(actor=self.request.user, announcement=obj, reason=data["reason"])
        return _("Cancelled; the remaining repeats are dropped.")


class AnnouncementAirView(AnnouncementActionView):
    permission_required = AIR_ANNOUNCEMENT

    def perform(self, obj: Announcement, data: dict[str, Any]) -> str:
        airing = announcement_air(actor=self.request.user, announcement=obj)
        return _("Aired (%(n)s of %(total)s).") % {"n": airing.sequence, "total": obj.repetitions}
