from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.forms import SubmitOnceFormMixin
from mallservice.uploads import PHOTO_OR_PDF, upload_check
from rosters.models import Assignment, LeaveRequest, Post, ShiftType


class DateInput(forms.DateInput):
    input_type = "date"


class AssignForm(SubmitOnceFormMixin, forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label=_("Staff member"))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    shift_type = forms.ModelChoiceField(queryset=ShiftType.objects.none(), label=_("Shift"))
    post = forms.ModelChoiceField(queryset=Post.objects.none(), label=_("Post"))
    replace = forms.BooleanField(label=_("Replace their shift of that day"), required=False)

    def __init__(self, *args, staff, shift_types, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["shift_type"].queryset = shift_types
        self.fields["post"].queryset = posts


class ClearForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=None)
    date = forms.DateField()

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Assignment) -> str:
        return f"{obj.date:%m-%d} {obj.shift_type.code} {timezone.localtime(obj.starts_at):%H:%M}–{timezone.localtime(obj.ends_at):%H:%M} · {obj.post} · {obj.staff}"


class SwapForm(SubmitOnceFormMixin, forms.Form):
    mine = AssignmentChoiceField(queryset=None, label=_("My shift"))
    theirs = AssignmentChoiceField(queryset=None, label=_("Colleague's shift"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, mine, theirs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mine"].queryset = mine
        self.fields["theirs"].queryset = theirs


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class LeaveForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        model = LeaveRequest
        fields = ["kind", "start_date", "end_date", "reason", "sick_note"]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def clean_sick_note(self):
        note = self.cleaned_data.get("sick_note")
        if note:
            # By its content, not its name (issue 16); the service checks again.
            upload_check(note, rule=PHOTO_OR_PDF)
        return note


class PinClockForm(SubmitOnceFormMixin, forms.Form):
    username = forms.CharField(label=_("Staff number or login"), max_length=150)
    pin = forms.CharField(label=_("PIN"), max_length=8, widget=forms.PasswordInput)
    kind = forms.ChoiceField(
        label=pgettext_lazy("clock", "Clock in or out"),
        choices=[("in", _("Clock in")), ("out", _("Clock out"))],
    )


class PinSetForm(forms.Form):
    pin = forms.CharField(label=_("New PIN"), max_length=8, widget=forms.PasswordInput)


class OffPostForm(SubmitOnceFormMixin, forms.Form):
    post = forms.ModelChoiceField(queryset=None, label=_("Post"))
    reason = forms.CharField(label=_("Reason"), max_length=200)
    covered_by = forms.ModelChoiceField(
        queryset=None, label=_("Covering colleague"), required=False
    )

    def __init__(self, *args, posts, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields["covered_by"].queryset = colleagues


def _score(label):
    return forms.IntegerField(label=label, min_value=1, max_value=5)


class InspectionForm(SubmitOnceFormMixin, forms.Form):
    staff = forms.ModelChoiceField(queryset=None, label=_("Staff member"))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    discipline = _score(_("discipline"))
    attitude = _score(_("attitude"))
    appearance = _score(_("appearance"))
    skills = _score(_("skills"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff


class TrainingForm(SubmitOnceFormMixin, forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    trainer = forms.CharField(label=_("Trainer"), max_length=50)
    attendees = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Attendees"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff


class HandoverForm(SubmitOnceFormMixin, forms.Form):
    post = forms.ModelChoiceField(queryset=None, label=_("Post"))
    note = forms.CharField(
        label=_("Note for the incoming colleague"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class SupplyRequisitionForm(SubmitOnceFormMixin, forms.Form):
    post = forms.ModelChoiceField(queryset=None, label=_("Post"))
    item = forms.ModelChoiceField(queryset=None, label=_("Item"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10000)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, posts, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields["item"].queryset = items


class SpotCheckForm(SubmitOnceFormMixin, forms.Form):
    """Who was found. `present` is drawn by the page as one checkbox per
    rostered person, grouped by post; both lists accept any of the mall's
    staff, so a shift that ends while the form is open does not refuse it.
    `also_found` offers only `offered` (the staff not rostered now)."""

    present = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("Found at post")
    )
    also_found = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Also found at a post (not on the roster now)"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, staff: QuerySet, offered: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = staff
        also_found = self.fields["also_found"]
        also_found.queryset = staff
        # Validated against every staff member, offered from the others.
        also_found.widget.choices = [(p.pk, str(p)) for p in offered]
        also_found.widget.attrs["class"] = "form-select"
        self.fields["note"].widget.attrs["class"] = "form-control"


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
