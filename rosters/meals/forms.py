"""Forms of staff meal orders (员工订餐): input shape only; the cut-off and
roster rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.forms import SubmitOnceFormMixin
from rosters.meals.models import Meal


class MealOrderForm(SubmitOnceFormMixin, forms.Form):
    """Lunch, dinner and a note for one day. A meal that is closed is shown
    but disabled, so the posted form keeps its current value."""

    date = forms.DateField(widget=forms.HiddenInput)
    lunch = forms.BooleanField(label=pgettext_lazy("staff meal", "lunch"), required=False)
    dinner = forms.BooleanField(label=pgettext_lazy("staff meal", "dinner"), required=False)
    note = forms.CharField(
        label=pgettext_lazy("staff meal", "note"),
        max_length=100,
        required=False,
        help_text=_("e.g. no spicy food, vegetarian"),
    )

    def __init__(self, *args, closed: set[str] = frozenset(), note_closed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for meal in Meal.values:
            self.fields[meal].disabled = meal in closed
        self.fields["note"].disabled = note_closed


class MealChangeForm(SubmitOnceFormMixin, forms.Form):
    """A late change: the wanted meals of the day and why."""

    date = forms.DateField(widget=forms.HiddenInput)
    lunch = forms.BooleanField(label=pgettext_lazy("staff meal", "lunch"), required=False)
    dinner = forms.BooleanField(label=pgettext_lazy("staff meal", "dinner"), required=False)
    note = forms.CharField(
        label=pgettext_lazy("staff meal", "note"), max_length=100, required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="change", **kwargs)


class MealSendForm(forms.Form):
    date = forms.DateField()
    meal = forms.ChoiceField(choices=Meal.choices)
