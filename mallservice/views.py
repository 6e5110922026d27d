"""The desk view kit: every app's pages and actions are built from these.

- a page: `DeskView` (login, then the permission, else 403) with a
  `TemplateView`/`ListView`/`DetailView`; a page about one mall adds
  `MallScopedMixin` (`self.mall` from `?mall=`, or the user's home mall;
  a mall the user may not see is a 404);
- a form that saves: `ServiceFormView` (`perform(form)` calls one service;
  its ValidationError lands next to the field);
- a button on a record: `ServiceActionView` (POST only; the record through
  the app's scoped selector, one service, a message, back to the record);
- a phone number shown in full: `RevealPhoneView` (logged).

See docs/app-conventions.md for the file to copy."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from mallservice.forms import SUBMISSION_TOKEN_FIELD, UserFormMixin, add_service_error
from mallservice.models import SubmissionToken
from mallservice.net import client_ip
from mallservice.selectors import mall_list, request_mall
from mallservice.services import sensitive_access_log


def _submission_token(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(SUBMISSION_TOKEN_FIELD, ""))
    except ValueError:
        return None


def _result_url(response: HttpResponse) -> str:
    """Where a successful submit sent the user: a redirect, or HTMX's."""
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return response["Location"]
    return response.headers.get("HX-Redirect", "")


class SubmitOnceMixin:
    """For a view whose POST creates a record from a `SubmitOnceFormMixin`
    form: the POST runs once per form rendering. A second POST carrying the
    same token (a double click, a resubmit after a slow answer, a browser
    retry) is sent to the first one's result page with a note, and the
    service is not called again.

    The POST runs in one transaction that first takes a lock on the token:
    a concurrent second submit waits for the first to commit, then finds
    its `SubmissionToken` row, which the first wrote in the same
    transaction as its record (the two commit or roll back together; the
    unique token is the database's backstop). Only a submit that ends in a
    redirect stores the token: a form shown again with errors can be
    corrected and sent with the same token. A POST without a token (an old
    page, a script) runs as before. Put the mixin first among the bases."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = _submission_token(request) if request.method == "POST" else None
        if token is None or not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Keyed on the token's first 64 bits; a collision would only
                # make two submits wait for each other.
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s)",
                    [int.from_bytes(token.bytes[:8], "big", signed=True)],
                )
            done = SubmissionToken.objects.filter(token=token).first()
            if done is None:
                response = super().dispatch(request, *args, **kwargs)
                result_url = _result_url(response)
                if result_url:
                    SubmissionToken.objects.create(
                        token=token,
                        user=request.user,
                        path=request.path[:300],
                        result_url=result_url[:500],
                    )
                return response
        if done.user_id != request.user.pk:
            raise PermissionDenied
        messages.info(request, _("This form was already submitted; here is the result."))
        if request.htmx:
            return HttpResponse(headers={"HX-Redirect": done.result_url})
        return redirect(done.result_url)


class DeskView(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous visitors go to the login page; staff without the
    permission get a 403. Set `permission_required` to a constant from the
    app's `permissions.py`."""

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied(self.get_permission_denied_message())
        return super().handle_no_permission()


class MallScopedMixin:
    """A page about one mall: `self.mall` is the mall named by `?mall=` (or
    a posted `mall`) when the user may see it, else the user's home mall; a
    mall the user may not see, or none at all, is a 404 (a 403 would tell
    that the mall exists). `mall` and `malls` go into the context."""

    mall_param = "mall"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            value = request.GET.get(self.mall_param) or request.POST.get(self.mall_param)
            self.mall = request_mall(request.user, value)
            if self.mall is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("mall", self.mall)
        context.setdefault("malls", mall_list(user=self.request.user))
        return context


class ServiceFormView(SubmitOnceMixin, DeskView, FormView):
    """A form whose valid data goes to one service; business-rule errors
    come back onto the form instead of a 500. A create form runs once per
    rendering (`SubmitOnceMixin`). Forms built on
    `mallservice.forms.UserFormMixin` get the user."""

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), UserFormMixin):
            kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form) -> HttpResponse:
        """Call the service; return the response (usually a redirect)."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            return self.perform(form)
        except ValidationError as exc:
            add_service_error(form, exc)
            return self.form_invalid(form)


class ServiceActionView(DeskView, View):
    """One button on one record: a POST to its own URL (`<pk>/<verb>/`).

    The record comes through `get_queryset()` — the app's scoped selector —
    so another mall's record is a 404. An optional `form_class` (a note, a
    reason) is bound to the POST; `perform(obj, data)` calls one service and
    may return the message to show (else `success_message`, which may name
    the record as `%(object)s`); either says what was done. A refusal —
    the form's or the service's ValidationError — is shown as an error
    message on the page the user comes back to; nothing is changed. With
    HTMX and a `partial_template_name`, the answer is that partial."""

    http_method_names = ["post"]
    form_class: type | None = None
    success_message = ""
    partial_template_name = ""

    def get_queryset(self):
        raise NotImplementedError

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"data": self.request.POST, "files": self.request.FILES}
        if self.form_class is not None and issubclass(self.form_class, UserFormMixin):
            kwargs["user"] = self.request.user
        return kwargs

    def perform(self, obj: Any, data: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def refused(self, errors: list[str]) -> HttpResponse:
        messages.error(self.request, " ".join(errors))
        return self.answer()

    def answer(self) -> HttpResponse:
        if self.request.htmx and self.partial_template_name:
            return render(self.request, self.partial_template_name, {"object": self.object})
        return redirect(self.get_success_url())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        data: dict[str, Any] = {}
        if self.form_class is not None:
            form = self.form_class(**self.get_form_kwargs())
            if not form.is_valid():
                errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
                return self.refused(errors)
            data = form.cleaned_data
        try:
            message = self.perform(self.object, data)
        except ValidationError as exc:
            return self.refused(exc.messages)
        # The flash says what was done to what ("会员卡 1234 已挂失"), never a
        # bare "done": `success_message` may name the record as %(object)s.
        text = message or str(self.success_message)
        if "%(object)s" in text:
            text = text % {"object": self.object}
        if text:
            messages.success(request, text)
        return self.answer()


class RevealPhoneView(LoginRequiredMixin, View):
    """POST: show the full phone number of one record the user may see, and
    log the read (STYLE: revealing personal data is an explicit, logged
    action). An app subclasses it with `get_queryset(request)` — its scoped
    selector — and `field`; the masked number on the page comes from
    `components/_masked_phone.html` with `reveal_url`, whose button swaps in
    `components/_revealed_phone.html`."""

    http_method_names = ["post"]
    field = "phone"
    template_name = "components/_revealed_phone.html"

    def get_queryset(self, request: HttpRequest):
        raise NotImplementedError

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        obj = get_object_or_404(self.get_queryset(request), pk=kwargs["pk"])
        sensitive_access_log(
            actor=request.user,
            kind="reveal",
            obj=obj,
            field=self.field,
            mall=getattr(obj, "mall", None),
            ip=client_ip(request),
        )
        return render(request, self.template_name, {"phone": getattr(obj, self.field)})
