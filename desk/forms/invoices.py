"""The invoice request's forms: the shape of the input (the taxpayer
number's), the service checks the receipts against earlier requests."""

from __future__ import annotations

import decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from desk.forms import bootstrap
from desk.validators import normalise_taxpayer_number
from mallservice.forms import SubmitOnceFormMixin, UserFormMixin


class InvoiceRequestForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    title = forms.CharField(
        max_length=100,
        label=_("invoice title"),
        help_text=_("The company's full name, or the customer's name for a personal invoice."),
    )
    taxpayer_number = forms.CharField(
        max_length=30,
        required=False,
        label=_("taxpayer number"),
        help_text=_("Required for a company: the 18-character unified social credit code."),
    )
    amount = forms.DecimalField(
        min_value=decimal.Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        label=_("amount (yuan)"),
    )
    receipts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        label=_("receipt numbers"),
        help_text=_("One per line, or separated by commas."),
    )
    email = forms.EmailField(label=_("e-mail for the e-invoice"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        bootstrap(self)

    def clean_taxpayer_number(self) -> str:
        value = self.cleaned_data["taxpayer_number"]
        return normalise_taxpayer_number(value) if value.strip() else ""
