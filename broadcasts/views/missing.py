"""Missing-person cases: the list, the report form, the case page and the
forms on it (exit watched, police called, close the case), each posting
to its own URL and shown again on the case page with its errors."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from broadcasts import forms, selectors
from broadcasts.filters import MissingCaseFilter
from broadcasts.models import MissingPersonCase
from broadcasts.permissions import (
    ADD_MISSINGPERSONCASE,
    CHANGE_MISSINGPERSONCASE,
    VIEW_MISSINGPERSONCASE,
)
from broadcasts.services.missing import (
    missing_case_open,
    missing_case_police_called,
    missing_case_resolve,
    missing_case_watch_exit,
)
from mallservice.pagination import page_of
from mallservice.views import DeskView, MallScopedMixin, RevealPhoneView, ServiceFormView


class CaseListView(DeskView, TemplateView):
    permission_required = VIEW_MISSINGPERSONCASE
    template_name = "broadcasts/case_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request = self.request
        now = timezone.now()
        listed = MissingCaseFilter(request.GET, user=request.user, now=now)
        return super().get_context_data(
            page_obj=page_of(listed.qs, request.GET.get("page"), 30),
            filters=listed,
            now=now,
            **kwargs,
        )


class CaseCreateView(MallScopedMixin, ServiceFormView):
    permission_required = ADD_MISSINGPERSONCASE
    form_class = forms.MissingCaseForm
    template_name = "broadcasts/case_form.html"

    def perform(self, form: forms.MissingCaseForm) -> HttpResponse:
        case = missing_case_open(actor=self.request.user, mall=self.mall, **form.cleaned_data)
        messages.success(self.request, _("Case opened; the page is in the broadcaster's queue."))
        return redirect(case)


def case_context(request: HttpRequest, case: MissingPersonCase, **bound: Any) -> dict[str, Any]:
    """The case page's context; `bound` replaces an empty form with the one
    just posted (and its errors)."""
    now = timezone.now()
    exits = selectors.exit_choices(case=case).exclude(
        pk__in=case.exits.values_list("exit_id", flat=True)
    )
    return {
        "case": case,
        "object": case,
        "now": now,
        "overdue": case.police_overdue(now),
        "exits": case.exits.select_related("exit", "watched_by"),
        "announcements": case.announcements.order_by("-requested_at"),
        "exit_form": forms.ExitForm(exits=exits),
        "police_form": forms.PoliceCalledForm(),
        "resolve_form": forms.ResolveForm(),
        "can_change": request.user.has_perm(CHANGE_MISSINGPERSONCASE),
        **bound,
    }


class CaseDetailView(DeskView, DetailView):
    permission_required = VIEW_MISSINGPERSONCASE
    template_name = "broadcasts/case_detail.html"

    def get_queryset(self):
        return selectors.missing_case_list(user=self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return case_context(self.request, self.object)


class CaseFormActionView(ServiceFormView):
    """A form on the case page, posted to its own URL: done, back to the
    case with a message; refused, the case page again with the form's
    errors next to its fields (`form_name` in the page's context)."""

    http_method_names = ["post"]
    permission_required = CHANGE_MISSINGPERSONCASE
    template_name = "broadcasts/case_detail.html"
    form_name = ""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.case = get_object_or_404(
            selectors.missing_case_list(user=request.user), pk=kwargs["pk"]
        )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return case_context(self.request, self.case, **{self.form_name: kwargs["form"]})

    def done(self, message: str) -> HttpResponse:
        messages.success(self.request, message)
        return redirect(self.case)


class CaseWatchExitView(CaseFormActionView):
    form_class = forms.ExitForm
    form_name = "exit_form"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "exits": selectors.exit_choices(case=self.case)}

    def perform(self, form: forms.ExitForm) -> HttpResponse:
        watch = missing_case_watch_exit(
            actor=self.request.user, case=self.case, exit=form.cleaned_data["exit"]
        )
        return self.done(_("%(exit)s marked watched.") % {"exit": watch.exit.name})


class CasePoliceCalledView(CaseFormActionView):
    form_class = forms.PoliceCalledForm
    form_name = "police_form"

    def perform(self, form: forms.PoliceCalledForm) -> HttpResponse:
        missing_case_police_called(
            actor=self.request.user, case=self.case, at=form.cleaned_data["at"]
        )
        return self.done(_("The call to the police is recorded."))


class CaseResolveView(CaseFormActionView):
    form_class = forms.ResolveForm
    form_name = "resolve_form"

    def perform(self, form: forms.ResolveForm) -> HttpResponse:
        case = missing_case_resolve(actor=self.request.user, case=self.case, **form.cleaned_data)
        return self.done(
            _("Case closed (%(outcome)s); its pages not yet aired are cancelled.")
            % {"outcome": case.get_outcome_display()}
        )


class CaseRevealPhoneView(DeskView, RevealPhoneView):
    """Show the reporter's full number: an explicit, logged read."""

    permission_required = VIEW_MISSINGPERSONCASE
    field = "reporter_phone"

    def get_queryset(self, request):
        return selectors.missing_case_list(user=request.user)
