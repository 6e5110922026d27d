"""The action panels of a detail page (a complaint's, a fault's): one URL
and one view per action, offered only in the steps it fits, one form open
at a time.

An action with a form is a `RecordFormView` (`ServiceFormView`: its
errors land next to the field, on the detail page shown again with that
form open, status 400); a button without a form is a `RecordButtonView`
(`ServiceActionView`: a refusal is the page's error message). The detail
page lists them with `action_panels`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from mallservice.views import ServiceActionView, ServiceFormView


class RecordActionMixin:
    """What the detail page needs to offer an action: its name (the form's
    prefix and the `data-testid`s), its title, its URL name (`<pk>/<verb>/`)
    and the record's steps (`state`) it fits."""

    action = ""
    title: Any = ""
    url_name = ""
    states: frozenset[str] = frozenset()
    # Irreversible: the button asks first (`data-confirm`, static/js/app.js).
    confirm: Any = ""

    @classmethod
    def offered(cls, obj: Any, user: Any) -> bool:
        return obj.state in cls.states and user.has_perm(cls.permission_required)

    @classmethod
    def url_for(cls, obj: Any) -> str:
        return reverse(cls.url_name, args=[obj.pk])


class RecordFormView(RecordActionMixin, ServiceFormView):
    """One form of a record's detail page, posted to its own URL. Subclasses
    set `get_queryset()` (the scoped selector), `detail_url()`,
    `detail_context()` and `act(obj, data)`, which calls one service and may
    return the message to show (else `success_message`)."""

    template_name = ""
    success_message: Any = ""

    def get_queryset(self):
        raise NotImplementedError

    def detail_url(self) -> str:
        raise NotImplementedError

    def detail_context(self, bound: tuple[str, forms.Form]) -> dict[str, Any]:
        raise NotImplementedError

    def act(self, obj: Any, data: dict[str, Any]) -> str | None:
        raise NotImplementedError

    @classmethod
    def form_kwargs_for(cls, obj: Any, user: Any) -> dict[str, Any]:
        """Arguments a form needs besides the data (the record, the user)."""
        return {}

    @classmethod
    def blank_form(cls, obj: Any, user: Any) -> forms.Form:
        return cls.form_class(prefix=cls.action, **cls.form_kwargs_for(obj, user))

    @cached_property
    def object(self) -> Any:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # The form lives on the detail page; a GET here comes from signing in
        # again after an idle logout.
        return redirect(self.detail_url())

    def get_prefix(self) -> str:
        return self.action

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(self.form_kwargs_for(self.object, self.request.user))
        return kwargs

    def perform(self, form: forms.Form) -> HttpResponse:
        message = self.act(self.object, form.cleaned_data)
        messages.success(self.request, message or str(self.success_message))
        return redirect(self.detail_url())

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        context = self.detail_context(bound=(self.action, form))
        return render(self.request, self.template_name, context, status=400)


class BackOnGetMixin:
    """A GET of a button's URL (signing in again after an idle logout sends
    the user there) goes back to the record; nothing is done."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return redirect(self.get_success_url())


class RecordButtonView(RecordActionMixin, BackOnGetMixin, ServiceActionView):
    """A button of a record's detail page without a form."""


@dataclass(frozen=True)
class ActionPanel:
    name: str
    title: Any
    url: str
    form: forms.Form | None  # None: a button
    open: bool
    confirm: Any


def action_panels(
    views: list[type], obj: Any, user: Any, bound: tuple[str, forms.Form] | None = None
) -> list[ActionPanel]:
    """The actions of `views` that fit `obj`'s step and `user`'s
    permissions, in that order; the form sent with errors (`bound`) open,
    even when its action does not fit the step (a page left open while a
    colleague moved the record on: the error says so)."""
    panels = []
    for view in views:
        sent = bound is not None and bound[0] == view.action
        if not sent and not view.offered(obj, user):
            continue
        form = None
        if issubclass(view, RecordFormView):
            form = bound[1] if sent else view.blank_form(obj, user)
        panels.append(
            ActionPanel(
                name=view.action,
                title=view.title,
                url=view.url_for(obj),
                form=form,
                open=sent,
                confirm=view.confirm,
            )
        )
    return panels
