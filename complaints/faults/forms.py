"""Input shapes of fault reports (故障报修). Business rules live in
`complaints.faults.services`, whose ValidationErrors are attached to these
fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.forms import (
    DATETIME,
    UNIT_ORDER,
    UnitChoiceField,
    floor_narrows_units,
    searchable,
)
from complaints.models import Department, FaultType, ReporterKind, Severity
from mallservice.forms import BootstrapWidgetsMixin, SubmitOnceFormMixin, UserFormMixin
from mallservice.selectors import floor_list, unit_list


class FaultForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    floor = forms.ModelChoiceField(queryset=None, required=False, label=_("floor"))
    unit = UnitChoiceField(queryset=None, required=False, label=_("shop / counter / area"))
    location_note = forms.CharField(max_length=100, required=False, label=_("exactly where"))
    fault_type = forms.ChoiceField(
        choices=FaultType.choices, widget=forms.RadioSelect, label=_("fault type")
    )
    severity = forms.ChoiceField(
        choices=Severity.choices,
        initial=Severity.NORMAL,
        label=_("urgency"),
        help_text=_("A safety fault is handled at once and alerts the supervisors."),
    )
    description = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("what is wrong")
    )
    photo = forms.FileField(
        required=False, label=_("photo"), help_text=_("JPEG, PNG, WebP or PDF, at most 5 MB.")
    )
    reporter_kind = forms.ChoiceField(
        choices=ReporterKind.choices, initial=ReporterKind.STAFF, label=_("reported by")
    )
    reporter_name = forms.CharField(max_length=50, required=False, label=_("reporter's name"))
    reporter_unit = UnitChoiceField(queryset=None, required=False, label=_("reporting shop"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["floor"].queryset = floor_list(user=user).order_by("mall", "level")
        self.fields["floor"].label_from_instance = lambda obj: obj.code
        units = unit_list(user=user).order_by(*UNIT_ORDER)
        self.fields["unit"].queryset = units
        self.fields["reporter_unit"].queryset = units.filter(kind="shop")
        searchable(self.fields["reporter_unit"])
        floor_narrows_units(self)


class AssignForm(BootstrapWidgetsMixin, forms.Form):
    department = forms.ChoiceField(choices=Department.choices, label=_("department"))
    handler_name = forms.CharField(max_length=50, required=False, label=_("handler"))
    due_at = forms.DateTimeField(widget=DATETIME, label=_("due at"))


class FixForm(BootstrapWidgetsMixin, forms.Form):
    fix_text = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("what was done")
    )
    handler_name = forms.CharField(max_length=50, required=False, label=_("fixed by"))


class CloseForm(BootstrapWidgetsMixin, forms.Form):
    note = forms.CharField(max_length=500, required=False, label=_("note"))


class SendBackForm(BootstrapWidgetsMixin, forms.Form):
    reason = forms.CharField(max_length=500, label=_("what is still wrong"))


class NoteForm(BootstrapWidgetsMixin, forms.Form):
    text = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), label=_("text")
    )
