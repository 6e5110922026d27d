from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mallservice.selectors import mall_list, user_mall_ids
from mallservice.validators import normalise_mobile


class BootstrapWidgetsMixin:
    """Bootstrap's classes on the widgets, for forms rendered field by field
    by `components/_form.html`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if widget.is_hidden:
                continue
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs.setdefault("class", css)


class UserFormMixin:
    """A form that offers choices from the user's malls takes `user`
    (`ServiceFormView` and `ServiceActionView` pass it). A `mall` field
    lists the user's malls, starts at their home mall, and is hidden when
    they have only one."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        if "mall" in self.fields:
            malls = mall_list(user=user)
            self.fields["mall"].queryset = malls
            home = user.mall if user.mall_id in user_mall_ids(user) else malls.first()
            self.fields["mall"].initial = home
            if len(user_mall_ids(user)) <= 1:
                self.fields["mall"].widget = forms.HiddenInput()


class ProfileForm(forms.Form):
    # No display name: the name colleagues see is set by a supervisor
    # (StaffRenameForm), so nobody can take another person's name.
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return normalise_mobile(value) if value else ""


class StaffRenameForm(forms.Form):
    display_name = forms.CharField(label=_("display name"), max_length=50)


def add_service_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the field it names, or at
    the top of the form when the form has no such field (``add_error``
    refuses a field the form lacks)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


SUBMISSION_TOKEN_FIELD = "submission_token"


class SubmitOnceFormMixin:
    """For a form that creates a record: a hidden token, new at every
    rendering of the empty form, that `mallservice.views.SubmitOnceMixin`
    reads so a second submit of the same rendering shows the first result
    instead of creating the record twice. Put it first among the bases.

    Crispy forms and `rosters/_form.html` render hidden fields by
    themselves; a template that lays fields out one by one adds
    `{{ form.submission_token }}`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A callable initial: a fresh token each time the form is rendered
        # (a bound form re-rendered with errors keeps the submitted one).
        self.fields[SUBMISSION_TOKEN_FIELD] = forms.UUIDField(
            required=False, initial=uuid.uuid4, widget=forms.HiddenInput
        )

    def add_prefix(self, field_name: str) -> str:
        # One name whatever the form's prefix: the view reads it before it
        # knows which of a page's forms was sent.
        if field_name == SUBMISSION_TOKEN_FIELD:
            return field_name
        return super().add_prefix(field_name)

    def full_clean(self) -> None:
        super().full_clean()
        # The token is the view's business (read from the POST data), not
        # the service's: keep it out of `cleaned_data`, which views pass on
        # as keyword arguments.
        if hasattr(self, "cleaned_data"):
            self.cleaned_data.pop(SUBMISSION_TOKEN_FIELD, None)
