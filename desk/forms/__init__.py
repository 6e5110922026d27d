"""Forms of the desk registers: they check the input's shape; the services
check the rules (a future time, a shop of another mall) and their errors
come back next to the field."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from desk.models import Incident
from mallservice.forms import SubmitOnceFormMixin, UserFormMixin
from mallservice.selectors import floor_list, unit_list

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def bootstrap(form: forms.BaseForm) -> None:
    """Bootstrap's classes on every visible widget (the fields are laid out
    by `components/_form.html`)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs.setdefault("class", css)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.floor.code} · {obj.name}"


class IncidentForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    kind = forms.ChoiceField(
        choices=[("", "—"), *Incident.Kind.choices], label=_("kind of incident")
    )
    urgent = forms.BooleanField(
        required=False,
        label=_("urgent — report to the duty manager at once"),
    )
    occurred_at = forms.DateTimeField(widget=DATETIME, label=_("occurred at"))
    floor = forms.ModelChoiceField(queryset=None, required=False, label=_("floor"))
    unit = UnitChoiceField(queryset=None, required=False, label=_("shop / counter / area"))
    place = forms.CharField(
        max_length=100,
        required=False,
        label=_("exact place"),
        help_text=_("e.g. east entrance escalator"),
    )
    people_involved = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("people involved"),
        help_text=_("Names, description, contact if given."),
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=pgettext_lazy("incident", "what happened")
    )
    actions_taken = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("actions taken")
    )
    police_called = forms.BooleanField(required=False, label=_("police called (110)"))
    ambulance_called = forms.BooleanField(required=False, label=_("ambulance called (120)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["occurred_at"].initial = lambda: timezone.localtime().replace(
            second=0, microsecond=0
        )
        self.fields["floor"].queryset = floor_list(user=user).order_by("mall", "level")
        self.fields["floor"].label_from_instance = lambda obj: obj.code
        # Shops by floor, then name (the desk looks for the floor first).
        self.fields["unit"].queryset = unit_list(user=user).order_by("mall", "floor__level", "name")
        bootstrap(self)


class FollowUpForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("follow-up")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CloseForm(forms.Form):
    closing_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("outcome")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TallyForm(forms.Form):
    token = forms.CharField(min_length=8, max_length=40)


class LoadForm(forms.Form):
    day = forms.DateField(required=False, widget=DATE, label=_("day"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        # Laid out inline without a label element.
        self.fields["day"].widget.attrs["aria-label"] = str(self.fields["day"].label)

    def chosen_day(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("day"):
            return self.cleaned_data["day"]
        return timezone.localdate()


class PassRequestForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    unit = UnitChoiceField(queryset=None, label=_("shop"))
    contact_name = forms.CharField(max_length=50, label=_("shop contact"))
    items = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label=_("goods"))
    quantity = forms.IntegerField(min_value=1, max_value=100_000, label=_("pieces"))
    vehicle = forms.CharField(max_length=20, required=False, label=_("vehicle plate"))
    valid_from = forms.DateTimeField(widget=DATETIME, label=pgettext_lazy("release pass", "from"))
    valid_until = forms.DateTimeField(widget=DATETIME, label=pgettext_lazy("release pass", "until"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = (
            unit_list(user=user).filter(kind="shop").order_by("mall", "floor__level", "name")
        )
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["valid_from"].initial = now
        self.fields["valid_until"].initial = now + datetime.timedelta(hours=2)
        bootstrap(self)


class RefuseForm(forms.Form):
    reason = forms.CharField(max_length=200, label=_("reason for refusing"))


class PassCheckForm(forms.Form):
    code = forms.CharField(max_length=20, required=False, label=_("check code"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)
        self.fields["code"].widget.attrs.update(
            {
                "autocomplete": "off",
                "autocapitalize": "characters",
                "class": "form-control",
                "aria-label": str(self.fields["code"].label),
            }
        )
