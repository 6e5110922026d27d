"""Forms of the CCTV footage review register. The found item, complaint or
incident a request is about is typed by its number (the lists are far too
long for a menu) and found through the owning app's scoped selector."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.selectors import complaint_list
from desk.forms import DATETIME, bootstrap
from desk.models import FootageReview
from desk.selectors import incident_list
from mailroom.selectors import found_item_list
from mallservice.forms import SubmitOnceFormMixin, UserFormMixin
from mallservice.validators import normalise_mobile


class FootageRequestForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    requester_kind = forms.ChoiceField(
        choices=[("", "—"), *FootageReview.RequesterKind.choices], label=_("requested by")
    )
    requester_name = forms.CharField(max_length=50, label=_("requester's name"))
    requester_phone = forms.CharField(max_length=20, required=False, label=_("requester's phone"))
    reason = forms.ChoiceField(
        choices=[("", "—"), *FootageReview.Reason.choices], label=_("reason")
    )
    reason_detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("what they want to see, and why")
    )
    window_from = forms.DateTimeField(widget=DATETIME, label=_("footage from"))
    window_until = forms.DateTimeField(widget=DATETIME, label=_("footage until"))
    cameras = forms.CharField(
        max_length=200,
        label=_("cameras"),
        help_text=_("Camera numbers or places, e.g. B1-03, 1F east."),
    )
    found_item = forms.CharField(max_length=20, required=False, label=_("found item number"))
    complaint = forms.CharField(
        max_length=24, required=False, label=_("complaint reference number")
    )
    incident = forms.CharField(max_length=20, required=False, label=_("incident reference number"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["window_from"].initial = now - datetime.timedelta(hours=1)
        self.fields["window_until"].initial = now
        bootstrap(self)

    def clean_requester_phone(self) -> str:
        value = self.cleaned_data["requester_phone"].strip()
        return normalise_mobile(value) if value else ""

    def _find(self, name: str, queryset: Any, field: str) -> Any:
        text = "".join(self.cleaned_data[name].split()).upper()
        if not text:
            return None
        found = queryset.filter(**{field: text}).first()
        if found is None:
            raise forms.ValidationError(_("Not found at your malls."), code="not_found")
        return found

    def clean_found_item(self):
        return self._find("found_item", found_item_list(user=self.user), "number")

    def clean_complaint(self):
        return self._find("complaint", complaint_list(user=self.user), "reference")

    def clean_incident(self):
        return self._find("incident", incident_list(user=self.user), "reference")


class FootageViewingForm(forms.Form):
    viewers = forms.CharField(
        max_length=200,
        label=_("who watched"),
        help_text=_("Names, and the police or shop they are from."),
    )
    viewed_at = forms.DateTimeField(widget=DATETIME, required=False, label=_("viewed at"))
    findings = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        label=_("what the footage showed"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["viewed_at"].initial = lambda: timezone.localtime().replace(
            second=0, microsecond=0
        )
        bootstrap(self)


class FootageCopyForm(forms.Form):
    received_by = forms.CharField(max_length=50, label=_("copy received by"))
    police_document_number = forms.CharField(max_length=50, label=_("police document number"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
