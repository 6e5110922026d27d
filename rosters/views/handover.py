"""Shift handover (交接班): hand over my post (the checklist is generated
now and shown before it is saved), take over a colleague's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from mallservice.handover import HandoverItem, open_items
from mallservice.views import DeskView, MallScopedMixin, ServiceActionView, ServiceFormView
from rosters import permissions as perms
from rosters.filters import HandoverFilter
from rosters.forms import HandoverForm
from rosters.selectors.handover import current_post, handover_list
from rosters.selectors.roster import post_list
from rosters.services.handover import handover_acknowledge, handover_create


class HandoverListView(MallScopedMixin, ServiceFormView):
    permission_required = perms.VIEW_HANDOVER
    template_name = "rosters/handover_list.html"
    form_class = HandoverForm

    def get_initial(self):
        return {"post": current_post(user=self.request.user, mall=self.mall, now=timezone.now())}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["posts"] = post_list(user=self.request.user, mall=self.mall)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        handovers = handover_list(user=user).filter(mall=self.mall)
        listed = HandoverFilter(
            self.request.GET, queryset=handovers, user=user, page={"mall": self.mall.pk}
        )
        context["waiting"] = handovers.filter(acknowledged_at__isnull=True)[:50]
        context.update(filters=listed, pending=listed.applied("pending"), handovers=listed.qs[:50])
        context["can_hand_over"] = user.has_perm(perms.ADD_HANDOVER)
        if context["can_hand_over"]:
            context["preview"] = open_items(user=user, mall=self.mall, now=timezone.now())
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(perms.ADD_HANDOVER):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        handover = handover_create(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(self.request, _("Handed over; your colleague acknowledges it."))
        return redirect("rosters:handover", pk=handover.pk)


class HandoverDetailView(DeskView, TemplateView):
    permission_required = perms.VIEW_HANDOVER
    template_name = "rosters/handover_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        handover = get_object_or_404(handover_list(user=self.request.user), pk=kwargs["pk"])
        context["handover"] = handover
        context["mall"] = handover.mall
        context["items"] = [HandoverItem.from_json(i) for i in handover.items or []]
        context["can_acknowledge"] = (
            handover.acknowledged_at is None
            and handover.outgoing_staff_id != self.request.user.pk
            and self.request.user.has_perm(perms.ADD_HANDOVER)
        )
        return context


class HandoverAcknowledgeView(ServiceActionView):
    permission_required = perms.ADD_HANDOVER
    success_message = gettext_lazy("Handover acknowledged.")

    def get_queryset(self):
        return handover_list(user=self.request.user)

    def get_success_url(self) -> str:
        return reverse("rosters:handover", args=[self.object.pk])

    def perform(self, obj, data):
        handover_acknowledge(actor=self.request.user, handover=obj)
