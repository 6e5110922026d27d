"""Training sessions (培训) of a month against the target."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from mallservice.clock import month_days
from mallservice.views import MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.forms import TrainingForm
from rosters.selectors.roster import staff_of_mall
from rosters.selectors.training import TRAINING_TARGET_PER_MONTH, training_list
from rosters.services.training import training_session_record
from rosters.views.common import mall_url, parse_month


class TrainingView(MallScopedMixin, ServiceFormView):
    permission_required = perms.ADD_TRAININGSESSION
    template_name = "rosters/training.html"
    form_class = TrainingForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["staff"] = staff_of_mall(self.mall)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = parse_month(self.request.GET.get("month"))
        first, last = month_days(month)
        sessions = training_list(user=self.request.user).filter(
            mall=self.mall, date__gte=first, date__lte=last
        )
        context.update(
            month=month,
            sessions=sessions,
            target=TRAINING_TARGET_PER_MONTH,
            target_met=len(sessions) >= TRAINING_TARGET_PER_MONTH,
        )
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["attendees"] = list(data["attendees"])
        training_session_record(actor=self.request.user, mall=self.mall, **data)
        messages.success(self.request, _("Training session recorded."))
        return redirect(mall_url("rosters:training", self.mall))
