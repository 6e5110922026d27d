"""Input shapes; business rules live in services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from broadcasts.models import (
    SCREEN_MESSAGE_CONTENT,
    SCREEN_PRIORITIES,
    SCRIPT_FIELDS,
    WEEKDAYS,
    AnnouncementKind,
    MissingPersonCase,
    ScriptTemplate,
)
from mallservice.clock import local_date
from mallservice.forms import SubmitOnceFormMixin

REQUEST_KINDS = [c for c in AnnouncementKind.choices if c[0] != AnnouncementKind.ROUTINE]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AnnouncementForm(SubmitOnceFormMixin, forms.Form):
    """A request; with a template, one text field per placeholder of its
    script, otherwise a free script."""

    # No kind is assumed: the first in the list is an evacuation.
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "---------"), *REQUEST_KINDS])
    script = forms.CharField(
        label=_("script"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    wanted_at = forms.DateTimeField(
        label=_("wanted at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for as soon as possible."),
    )
    repetitions = forms.IntegerField(label=_("repetitions"), min_value=1, max_value=20, initial=1)
    interval_minutes = forms.IntegerField(
        label=_("minutes between repeats"), min_value=1, max_value=240, initial=5
    )

    def __init__(self, *args, template: ScriptTemplate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        if template is not None:
            self.fields["kind"].initial = template.kind
            self.fields["kind"].disabled = True
            del self.fields["script"]
            for name in template.placeholders:
                self.fields[name] = forms.CharField(
                    label=SCRIPT_FIELDS[name], max_length=100, required=True
                )
            if template.kind in (AnnouncementKind.CAR_MOVE, AnnouncementKind.MISSING_PERSON):
                self.fields["repetitions"].initial = 3

    def clean_wanted_at(self):
        wanted_at = self.cleaned_data.get("wanted_at")
        # A minute's grace for the time it takes to fill the form in.
        if wanted_at is not None and wanted_at < timezone.now() - datetime.timedelta(minutes=1):
            raise forms.ValidationError(
                _("This time has passed. Leave it empty for as soon as possible."),
                code="wanted_at_past",
            )
        return wanted_at

    @property
    def script_fields(self) -> dict[str, str]:
        if self.template is None:
            return {}
        return {name: self.cleaned_data.get(name, "") for name in self.template.placeholders}


# The small forms beside a button on a record, laid out by components/_form.html.
SMALL_INPUT = {"class": "form-control form-control-sm"}


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("note"), max_length=200, required=False, widget=forms.TextInput(SMALL_INPUT)
    )


class RejectForm(forms.Form):
    # Not required here: the service asks for the reason, in its words.
    note = forms.CharField(
        label=_("reason"), max_length=200, required=False, widget=forms.TextInput(SMALL_INPUT)
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=200,
        required=False,
        widget=forms.TextInput({**SMALL_INPUT, "placeholder": _("e.g. car moved")}),
    )


class ScriptTemplateForm(SubmitOnceFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AnnouncementKind.choices)
    name = forms.CharField(label=_("name"), max_length=80)
    body = forms.CharField(
        label=_("script"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = ", ".join(f"{{{key}}} {label}" for key, label in SCRIPT_FIELDS.items())
        self.fields["body"].help_text = _("Fields you can use: %(fields)s") % {"fields": names}


class RoutineSlotForm(SubmitOnceFormMixin, forms.Form):
    template = forms.ModelChoiceField(
        label=_("script template"), queryset=ScriptTemplate.objects.none()
    )
    at = forms.TimeField(
        label=_("time"), widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"})
    )

    def __init__(self, *args, templates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


class MissingCaseForm(SubmitOnceFormMixin, forms.Form):
    person_kind = forms.ChoiceField(
        label=_("who is missing"), choices=MissingPersonCase.PersonKind.choices
    )
    person_name = forms.CharField(
        label=_("full name"),
        max_length=50,
        required=False,
        help_text=_("For the file only: a child's name is never broadcast."),
    )
    age = forms.IntegerField(label=_("age"), min_value=0, max_value=120, required=False)
    gender = forms.ChoiceField(
        label=_("gender"), required=False, choices=[("", "—"), ("m", _("male")), ("f", _("female"))]
    )
    description = forms.CharField(
        label=pgettext_lazy("missing person", "description"), max_length=200
    )
    clothing = forms.CharField(label=_("clothing and shoes"), max_length=200)
    last_seen_place = forms.CharField(label=_("last seen where"), max_length=100)
    last_seen_at = forms.DateTimeField(label=_("last seen at"), widget=DateTimeInput())
    reporter_name = forms.CharField(label=_("reporter"), max_length=50)
    reporter_phone = forms.CharField(label=_("reporter phone"), max_length=20)
    meeting_point = forms.CharField(
        label=_("meeting point"), max_length=100, initial=_("the service desk on 1F")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_seen_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class ExitForm(forms.Form):
    exit = forms.ModelChoiceField(label=_("exit"), queryset=None)

    def __init__(self, *args, exits=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exit"].queryset = exits


class PoliceCalledForm(forms.Form):
    at = forms.DateTimeField(label=_("police called at"), required=False, widget=DateTimeInput())


class ResolveForm(forms.Form):
    """Closing a case cancels its pages, so nothing is assumed: the desk says
    whether the person was found and how the case ended."""

    found = forms.TypedChoiceField(
        label=_("person found"),
        choices=[("yes", _("found")), ("no", _("not found"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    found_at = forms.DateTimeField(
        label=pgettext_lazy("missing person", "found at"), required=False, widget=DateTimeInput()
    )
    outcome = forms.ChoiceField(
        label=_("outcome"), choices=[("", "---------"), *MissingPersonCase.Outcome.choices]
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ScreenForm(SubmitOnceFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=60)
    location = forms.CharField(label=_("location"), max_length=100, required=False)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)


class ScreenMessageForm(SubmitOnceFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=60)
    text = forms.CharField(
        label=_("text"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    image = forms.FileField(label=_("image"), required=False)
    screens = forms.ModelMultipleChoiceField(
        label=_("screens"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(
        label=_("from"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("until"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("days of the week"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every day."),
    )
    time_from = forms.TimeField(
        label=_("from time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    time_until = forms.TimeField(
        label=_("until time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        help_text=_("Empty: all day. Until earlier than from: runs overnight."),
    )
    duration_seconds = forms.IntegerField(
        label=_("seconds on screen"), min_value=3, max_value=600, initial=10
    )
    priority = forms.TypedChoiceField(
        label=_("priority"), choices=SCREEN_PRIORITIES, coerce=int, initial=0
    )
    is_emergency = forms.BooleanField(label=_("emergency"), required=False)

    def __init__(self, *args, screens=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["screens"].queryset = screens
        self.fields["starts_on"].initial = local_date()
        # A message saved with a number outside the list keeps it on edit.
        current = self.initial.get("priority")
        if current is not None and current not in dict(SCREEN_PRIORITIES):
            self.fields["priority"].choices = [*SCREEN_PRIORITIES, (current, str(current))]


class ScreenMessageEditForm(ScreenMessageForm):
    """The same fields, filled from the message (or the edit waiting)."""

    remove_image = forms.BooleanField(label=_("remove the image"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].help_text = _("Leave empty to keep the current image.")


def screen_message_initial(source) -> dict:
    """Form initial data from a ScreenMessage or a ScreenMessageEdit."""
    # The image is not a form initial: an empty upload keeps it.
    initial = {name: getattr(source, name) for name in SCREEN_MESSAGE_CONTENT if name != "image"}
    if hasattr(source, "screen_ids"):
        initial["screens"] = list(source.screen_ids)
    else:
        initial["screens"] = [p.screen_id for p in source.placements.all()]
    return initial
