"""The working calendar's forms: shape only; the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mallservice.forms import BootstrapWidgetsMixin


class CalendarYearForm(BootstrapWidgetsMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2099)
    days = forms.CharField(
        label=_("holidays and make-up workdays"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "One line a day or a range, as published: “2027-02-06~2027-02-12 休 春节”, "
            "“2027-02-14 班 春节”. 休 is a holiday, 班 a make-up workday. Paste or import "
            "the whole year; saving replaces the year's table."
        ),
    )
    note = forms.CharField(
        label=_("source"),
        max_length=200,
        required=False,
        help_text=_("E.g. the State Council notice's number."),
    )
    upload = forms.FileField(
        label=_("or import a text file"),
        required=False,
        help_text=_("UTF-8 text, the same lines as above."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A file may stand in for the typed lines.
        self.fields["days"].required = False

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("upload")
        if upload is not None:
            if upload.size > 64 * 1024:
                self.add_error("upload", _("The file is too large for a holiday table."))
                return data
            try:
                data["days"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("upload", _("The file is not UTF-8 text."))
                return data
        if not (data.get("days") or "").strip() and "days" not in self.errors:
            self.add_error("days", _("Enter the year's holidays and make-up workdays."))
        return data


class MallDayHoursForm(BootstrapWidgetsMixin, forms.Form):
    day = forms.DateField(label=_("date"), widget=forms.DateInput(attrs={"type": "date"}))
    closed = forms.BooleanField(label=_("closed all day"), required=False)
    opens_at = forms.TimeField(
        label=_("opens at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    closes_at = forms.TimeField(
        label=_("closes at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("At or before the opening time: closes after midnight."),
    )
    reason = forms.CharField(label=_("reason"), max_length=100)
