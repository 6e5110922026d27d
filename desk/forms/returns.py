"""Forms of the returns and exchanges register: they check the input's
shape; the services check the rules (a shop of another mall, a time in the
future) and their errors come back next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.selectors import category_list
from desk.forms import DATE, DATETIME, UnitChoiceField, bootstrap
from desk.models import ReturnCase, ReturnStep
from mallservice.forms import SubmitOnceFormMixin, UserFormMixin
from mallservice.selectors import unit_list
from mallservice.validators import normalise_mobile


class ReturnForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    unit = UnitChoiceField(queryset=None, label=_("shop"))
    customer_name = forms.CharField(max_length=50, label=_("customer"))
    customer_phone = forms.CharField(max_length=20, required=False, label=_("customer's phone"))
    goods = forms.CharField(max_length=200, label=_("goods"))
    receipt_number = forms.CharField(max_length=50, required=False, label=_("receipt number"))
    purchased_on = forms.DateField(required=False, widget=DATE, label=_("bought on"))
    reason = forms.ChoiceField(choices=[("", "—"), *ReturnCase.Reason.choices], label=_("reason"))
    customer_request = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("what the customer says and asks")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["unit"].queryset = (
            unit_list(user=user).filter(kind="shop").order_by("mall", "floor__level", "name")
        )
        bootstrap(self)

    def clean_customer_phone(self) -> str:
        value = self.cleaned_data["customer_phone"].strip()
        return normalise_mobile(value) if value else ""


class ReturnStepForm(forms.Form):
    kind = forms.ChoiceField(choices=ReturnStep.Kind.choices, label=_("kind"))
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label=_("note")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReturnSettleForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("", "—"), *ReturnCase.Outcome.choices], label=_("outcome of the case")
    )
    shop_contact_name = forms.CharField(max_length=50, label=_("confirmed by (shop contact)"))
    shop_confirmed_at = forms.DateTimeField(
        widget=DATETIME, required=False, label=_("confirmed at")
    )
    outcome_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        label=_("details of the outcome"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shop_confirmed_at"].initial = lambda: timezone.localtime().replace(
            second=0, microsecond=0
        )
        bootstrap(self)


class ReturnEscalateForm(UserFormMixin, forms.Form):
    """The complaint category of the case's mall (the view narrows it)."""

    category = forms.ModelChoiceField(queryset=None, label=_("complaint category"))

    def __init__(self, *args: Any, user: Any, mall_id: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        categories = category_list(user=user, mall_id=mall_id)
        self.fields["category"].queryset = categories
        # The mall's own "returns and exchanges" category when it has one.
        self.fields["category"].initial = categories.filter(code="returns").first()
        bootstrap(self)
