"""The group purchase's forms: the enquiry, a quote, the month for
marketing's list."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.forms import DATE, bootstrap
from desk.models import GroupPurchase
from mallservice.forms import SubmitOnceFormMixin, UserFormMixin
from mallservice.validators import normalise_mobile


class GroupPurchaseForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    company = forms.CharField(max_length=100, label=_("company"))
    contact_name = forms.CharField(max_length=50, label=_("contact"))
    contact_phone = forms.CharField(max_length=20, label=_("contact's phone"))
    product = forms.ChoiceField(
        choices=[("", "—"), *GroupPurchase.Product.choices], label=_("product")
    )
    face_value = forms.IntegerField(
        min_value=1, max_value=100_000, label=_("face value each (yuan)")
    )
    quantity = forms.IntegerField(min_value=1, max_value=1_000_000, label=_("quantity"))
    budget = forms.DecimalField(
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        label=_("budget (yuan)"),
    )
    wanted_on = forms.DateField(widget=DATE, label=_("wanted on"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False, label=_("note")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        bootstrap(self)

    def clean_contact_phone(self) -> str:
        return normalise_mobile(self.cleaned_data["contact_phone"])

    def clean_budget(self) -> decimal.Decimal:
        return self.cleaned_data["budget"] or decimal.Decimal(0)


class QuoteForm(forms.Form):
    total = forms.DecimalField(
        min_value=decimal.Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        label=_("quoted total (yuan)"),
    )
    terms = forms.CharField(max_length=200, required=False, label=_("terms"))


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, label=_("reason for cancelling"))


class MonthForm(forms.Form):
    month = forms.DateField(
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        label=_("month"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def chosen_month(self) -> datetime.date:
        if self.is_valid() and self.cleaned_data.get("month"):
            return self.cleaned_data["month"].replace(day=1)
        return timezone.localdate().replace(day=1)
