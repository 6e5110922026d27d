"""Daily inspections (日常检查, 考核) and their monthly summary."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from mallservice.views import MallScopedMixin, ServiceFormView
from rosters import permissions as perms
from rosters.forms import InspectionForm
from rosters.selectors.inspections import inspection_list, inspection_summary
from rosters.selectors.roster import staff_of_mall
from rosters.services.inspections import inspection_record
from rosters.views.common import mall_url, parse_month


class InspectionView(MallScopedMixin, ServiceFormView):
    permission_required = perms.ADD_INSPECTION
    template_name = "rosters/inspections.html"
    form_class = InspectionForm

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["staff"] = staff_of_mall(self.mall).exclude(pk=self.request.user.pk)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        month = parse_month(self.request.GET.get("month"))
        user = self.request.user
        context["month"] = month
        context["summary"] = inspection_summary(user=user, mall=self.mall, month=month)
        context["recent"] = inspection_list(user=user).filter(mall=self.mall)[:30]
        return context

    def perform(self, form):
        inspection_record(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(self.request, _("Inspection recorded."))
        return redirect(mall_url("rosters:inspections", self.mall))
