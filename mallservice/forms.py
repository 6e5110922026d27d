from __future__ import annotations

from django import forms
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
