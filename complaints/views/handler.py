"""The handler's own page: a shop or a floor supervisor without an account
answers a complaint through a signed link per assignment."""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views import View

from complaints import forms
from complaints.models import Complaint
from complaints.services.workflow import complaint_respond
from mallservice.audit import Source, actor_context
from mallservice.forms import add_service_error
from mallservice.models import User
from mallservice.services import system_actor_id

RESPOND_SALT = "complaints.respond"
RESPOND_MAX_AGE = 30 * 24 * 3600


class HandlerRespondView(View):
    """No login: the signed link, valid 30 days, is the permission; a link
    of an earlier assignment only shows the complaint."""

    template_name = "complaints/handler_respond.html"

    def _complaint(self, token: str) -> tuple[Complaint, int]:
        try:
            payload = signing.loads(token, salt=RESPOND_SALT, max_age=RESPOND_MAX_AGE)
        except signing.BadSignature as exc:
            raise Http404 from exc
        complaint = get_object_or_404(Complaint.objects.for_list(), pk=payload.get("c"))
        return complaint, int(payload.get("n", -1))

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        complaint, number = self._complaint(token)
        return render(
            request,
            self.template_name,
            {
                "complaint": complaint,
                "form": forms.RespondForm(),
                "stale": number != complaint.assignment_no,
            },
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        complaint, number = self._complaint(token)
        form = forms.RespondForm(request.POST)
        if form.is_valid():
            actor_id = system_actor_id()
            try:
                # Attributed to the system actor, marked as coming from the
                # handler's link (the handler has no account).
                with actor_context(actor_id=actor_id, source=Source.WEB, via="handler_link"):
                    complaint_respond(
                        actor=User.objects.get(pk=actor_id),
                        complaint=complaint,
                        response=form.cleaned_data["response"],
                        assignment_no=number,
                    )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                return render(request, self.template_name, {"complaint": complaint, "done": True})
        return render(
            request, self.template_name, {"complaint": complaint, "form": form}, status=400
        )
