"""The parking validation form: a plate, an optional member (phone or card
number) and the receipts, one a line as "number amount"."""

from __future__ import annotations

import decimal
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from desk.forms import bootstrap
from desk.validators import normalise_plate
from mallservice.forms import SubmitOnceFormMixin, UserFormMixin
from members.selectors import member_search

_RECEIPT_LINE = re.compile(r"^(\S{1,40})[\s,，]+¥?(\d{1,8}(?:\.\d{1,2})?)$")


def parse_receipts(text: str) -> list[tuple[str, decimal.Decimal]]:
    """Lines of "receipt-number amount" ("R001 320.50"); blank lines skipped."""
    receipts = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        found = _RECEIPT_LINE.match(line)
        if not found or decimal.Decimal(found.group(2)) <= 0:
            raise ValidationError(
                _("Write each receipt on its own line as its number and amount, e.g. R001 320.50."),
                code="receipt_line",
            )
        receipts.append((found.group(1).upper(), decimal.Decimal(found.group(2))))
    return receipts


class ParkingValidationForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    plate = forms.CharField(
        max_length=12, label=_("plate number"), help_text=_("e.g. 沪A3K721, new-energy 沪AD12345")
    )
    member = forms.CharField(
        max_length=20,
        required=False,
        label=_("member's phone or card number"),
        help_text=_("Leave empty for a customer who is not a member."),
    )
    receipts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        label=_("receipts"),
        help_text=_("One a line: receipt number and amount, e.g. R001 320.50"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        bootstrap(self)

    def clean_plate(self) -> str:
        return normalise_plate(self.cleaned_data["plate"])

    def clean_receipts(self) -> list[tuple[str, decimal.Decimal]]:
        return parse_receipts(self.cleaned_data["receipts"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        query = data.get("member", "").strip()
        data["member"] = None
        if query and data.get("mall"):
            mall_id = data["mall"].pk
            found = [
                m for m in member_search(user=self.user, query=query)[:20] if m.mall_id == mall_id
            ]
            if len(found) != 1:
                self.add_error(
                    "member",
                    ValidationError(
                        _("No single member of this mall has this phone or card number."),
                        code="member_not_found",
                    ),
                )
            else:
                data["member"] = found[0]
        if not data.get("member") and not data.get("receipts") and "receipts" not in self.errors:
            self.add_error(
                "receipts",
                ValidationError(_("Give the receipts, or the member's number."), code="nothing"),
            )
        return data
