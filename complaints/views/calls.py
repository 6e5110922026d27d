"""电话接待记录: the phone log, a list with the form to log a call on top."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from complaints import forms, selectors
from complaints.models import PhoneCall
from complaints.permissions import ADD_PHONECALL, VIEW_PHONECALL
from complaints.services.phone_log import phone_call_log
from mallservice.pagination import page_of
from mallservice.views import ServiceFormView

PAGE_SIZE = 50


class PhoneCallListView(ServiceFormView):
    template_name = "complaints/phonecall_list.html"
    form_class = forms.PhoneCallForm
    paginate_by = PAGE_SIZE

    def get_permission_required(self) -> tuple[str, ...]:
        if self.request.method == "POST":
            return (VIEW_PHONECALL, ADD_PHONECALL)
        return (VIEW_PHONECALL,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        qs = selectors.phone_call_list(user=self.request.user)
        page = page_of(qs, self.request.GET.get("page"), self.paginate_by)
        context.update(page_obj=page, calls=page.object_list)
        return context

    def form_invalid(self, form: forms.PhoneCallForm) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def perform(self, form: forms.PhoneCallForm) -> HttpResponse:
        call = phone_call_log(actor=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Call logged."))
        if call.topic == PhoneCall.Topic.COMPLAINT:
            # A complaint call goes on to the intake, filled in from the call.
            return redirect(f"{reverse('complaints:create')}?call={call.pk}")
        return redirect("complaints:calls")
