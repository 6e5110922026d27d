from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mallservice.validators import normalise_mobile


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
