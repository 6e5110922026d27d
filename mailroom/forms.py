"""Input shapes of the mailroom screens. Business rules live in services;
their ValidationErrors come back next to the fields (see views)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mailroom import conf
from mailroom.models import (
    Carrier,
    Department,
    FoundItem,
    ItemCategory,
    LendableAsset,
    Loan,
    LostReport,
    Parcel,
    PickupVerification,
)
from mailroom.selectors import found_item_list
from mailroom.services.common import signature_from_data_url
from mallservice.clock import local_date
from mallservice.forms import SubmitOnceFormMixin, UserFormMixin
from mallservice.models import User
from mallservice.selectors import unit_list, user_mall_ids
from mallservice.uploads import PHOTO, upload_check

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ID_LAST4_ATTRS = {
    "inputmode": "numeric",
    "maxlength": "4",
    "autocomplete": "off",
    "pattern": "[0-9]{3}[0-9Xx]",
}


class SignatureField(forms.CharField):
    """The drawn signature, posted by mailroom.js as a PNG data: URL."""

    widget = forms.HiddenInput

    def __init__(self, *, optional: bool = False, **kwargs: Any) -> None:
        # `optional`: an unsigned form is fine here (the service decides
        # when a signature is needed, e.g. only for a cash deposit).
        self.optional = optional
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("signature"))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> bytes:  # type: ignore[override]
        value = super().clean(value)
        if self.optional and not value:
            return b""
        try:
            return signature_from_data_url(value)
        except forms.ValidationError as exc:
            raise exc.error_dict["signature"][0] from exc


def _staff_choices(user: Any):
    return User.objects.filter(is_active=True, mall_id__in=user_mall_ids(user)).order_by(
        "display_name", "username"
    )


class ParcelReceiveForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    tracking_number = forms.CharField(
        label=_("tracking number"),
        max_length=60,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "data-scan-input": "1"}
        ),
        help_text=_("Scan the barcode; Enter moves on to the recipient."),
    )
    carrier = forms.ChoiceField(label=_("carrier"), choices=Carrier.choices)
    recipient_kind = forms.ChoiceField(
        label=_("recipient type"),
        choices=Parcel.RecipientKind.choices,
        widget=forms.Select(attrs={"data-recipient-kind": "1"}),
    )
    recipient_unit = forms.ModelChoiceField(queryset=None, required=False, label=_("shop / unit"))
    recipient_department = forms.ChoiceField(
        choices=[("", "---------"), *Department.choices], required=False, label=_("department")
    )
    recipient_staff = forms.ModelChoiceField(queryset=None, required=False, label=_("staff member"))
    recipient_name = forms.CharField(max_length=50, required=False, label=_("recipient name"))
    recipient_phone = forms.CharField(max_length=20, required=False, label=_("recipient phone"))
    size = forms.ChoiceField(label=pgettext_lazy("parcel", "size"), choices=Parcel.Size.choices)
    shelf = forms.CharField(label=_("shelf"), max_length=20)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_unit"].queryset = unit_list(user=self.user).exclude(
            kind="public_area"
        )
        self.fields["recipient_staff"].queryset = _staff_choices(self.user)


class PickupForm(SubmitOnceFormMixin, forms.Form):
    parcels = forms.ModelMultipleChoiceField(queryset=None, label=_("parcels"))
    collector_name = forms.CharField(label=_("collector's name"), max_length=50)
    verification = forms.ChoiceField(
        label=pgettext_lazy("identity check", "checked"),
        choices=PickupVerification.choices,
        widget=forms.RadioSelect,
        initial=PickupVerification.ID_LAST4,
    )
    id_last4 = forms.CharField(
        label=_("ID last four digits"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs=ID_LAST4_ATTRS),
        help_text=_("Only the last four characters are stored (data minimisation)."),
    )
    staff_badge = forms.CharField(label=_("staff badge number"), max_length=30, required=False)
    signature = SignatureField()

    def __init__(self, *args: Any, parcels_queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parcels"].queryset = parcels_queryset


class ParcelReturnForm(forms.Form):
    reason = forms.CharField(label=_("reason for return"), max_length=200)


class OutgoingForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    sender_department = forms.ChoiceField(label=_("sending department"), choices=Department.choices)
    sender_staff = forms.ModelChoiceField(queryset=None, required=False, label=_("sender"))
    addressee = forms.CharField(label=_("addressee"), max_length=100)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    carrier = forms.ChoiceField(label=_("carrier"), choices=Carrier.choices)
    tracking_number = forms.CharField(label=_("tracking number"), max_length=60, required=False)
    cost = forms.DecimalField(label=_("cost (CNY)"), min_value=0, max_digits=8, decimal_places=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sender_staff"].queryset = _staff_choices(self.user)


class DispatchForm(SubmitOnceFormMixin, forms.Form):
    items = forms.ModelMultipleChoiceField(queryset=None, label=_("items"))
    carrier = forms.ChoiceField(label=_("carrier"), choices=Carrier.choices)
    courier_name = forms.CharField(label=_("courier's name"), max_length=50, required=False)

    def __init__(self, *args: Any, items_queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items_queryset


class FoundItemForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    category = forms.ChoiceField(label=_("category"), choices=ItemCategory.choices)
    description = forms.CharField(
        label=_("description"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    found_at = forms.DateTimeField(label=_("found at"), widget=LOCAL_DATETIME)
    found_unit = forms.ModelChoiceField(queryset=None, required=False, label=_("found in"))
    found_place = forms.CharField(label=_("where found"), max_length=100, required=False)
    finder_name = forms.CharField(label=_("finder"), max_length=50)
    finder_phone = forms.CharField(label=_("finder's phone"), max_length=20, required=False)
    # No default: the desk must judge the value (a phone left on the
    # "low" default went to the open shelf).
    value_band = forms.ChoiceField(
        label=_("value"), choices=[("", _("— choose the value —")), *FoundItem.ValueBand.choices]
    )
    storage_place = forms.CharField(
        label=_("storage place"),
        max_length=30,
        required=False,
        help_text=_("Valuables go to the locked cabinet automatically."),
    )
    broadcast_requested = forms.BooleanField(
        label=_("request a lost-item broadcast"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["found_unit"].queryset = unit_list(user=self.user)
        self.fields["found_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if not photo:
            return None
        # Decoded, not judged by its first bytes or name (issue 16); the
        # service checks again whoever calls it.
        upload_check(photo, rule=PHOTO)
        return photo


class LostReportForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    source = forms.ChoiceField(label=_("reported"), choices=LostReport.Source.choices)
    category = forms.ChoiceField(label=_("category"), choices=ItemCategory.choices)
    description = forms.CharField(
        label=_("description"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )
    lost_on = forms.DateField(label=_("lost on"), widget=forms.DateInput(attrs={"type": "date"}))
    lost_unit = forms.ModelChoiceField(queryset=None, required=False, label=_("lost in"))
    lost_place = forms.CharField(label=_("where lost"), max_length=100, required=False)
    reporter_name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    reporter_phone = forms.CharField(label=_("phone"), max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lost_unit"].queryset = unit_list(user=self.user)
        self.fields["lost_on"].initial = local_date()


class ClaimForm(SubmitOnceFormMixin, forms.Form):
    claimant_name = forms.CharField(label=_("claimant's name"), max_length=50)
    claimant_phone = forms.CharField(label=_("claimant's phone"), max_length=20)
    id_last4 = forms.CharField(
        label=_("ID last four digits"),
        max_length=4,
        widget=forms.TextInput(attrs=ID_LAST4_ATTRS),
        help_text=_("Only the last four characters are stored (data minimisation)."),
    )
    proof_description = forms.CharField(
        label=_("description given as proof"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the claimant says about the item before seeing it."),
    )


class LostReportResolveForm(UserFormMixin, forms.Form):
    """The found item that resolves a lost-item report, from the user's
    scoped list (another mall's item is not a choice)."""

    found_item = forms.ModelChoiceField(queryset=None, label=_("found item"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["found_item"].queryset = found_item_list(user=self.user)


class ClaimVerifyForm(forms.Form):
    approved = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Proof matches: verified")), ("0", _("Proof does not match: reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("verification note"), max_length=200, required=False)


class SignatureForm(forms.Form):
    signature = SignatureField()


class DisposeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (FoundItem.Status.TO_POLICE, _("handed to police")),
            (FoundItem.Status.DISPOSED, _("disposed of")),
        ],
        widget=forms.RadioSelect,
    )
    reference = forms.CharField(label=_("receipt / reference"), max_length=60, required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AssetForm(SubmitOnceFormMixin, UserFormMixin, forms.Form):
    mall = forms.ModelChoiceField(queryset=None, label=_("mall"))
    tag = forms.CharField(label=_("asset tag"), max_length=20)
    kind = forms.ChoiceField(label=_("kind"), choices=LendableAsset.Kind.choices)
    description = forms.CharField(label=_("description"), max_length=100, required=False)


class LendForm(SubmitOnceFormMixin, forms.Form):
    borrower_name = forms.CharField(label=_("borrower"), max_length=50)
    borrower_phone = forms.CharField(label=_("borrower's phone"), max_length=20)
    deposit_kind = forms.ChoiceField(
        label=_("deposit"), choices=Loan.DepositKind.choices, widget=forms.RadioSelect
    )
    deposit_amount = forms.DecimalField(
        label=_("cash deposit (CNY)"), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    id_last4 = forms.CharField(
        label=_("ID last four digits"),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs=ID_LAST4_ATTRS),
        help_text=_("The card is held at the desk; only its last four characters are stored."),
    )
    due_at = forms.DateTimeField(label=_("due back"), widget=LOCAL_DATETIME)
    # For a cash deposit the borrower signs (the service requires it).
    signature = SignatureField(optional=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        due = timezone.localtime() + datetime.timedelta(hours=conf.get("LOAN_HOURS"))
        self.fields["due_at"].initial = due.strftime("%Y-%m-%dT%H:%M")


class LoanReturnForm(forms.Form):
    condition = forms.ChoiceField(
        label=_("condition on return"), choices=Loan.Condition.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("return note"), max_length=200, required=False)
    # Not ticked in advance: the deposit goes back only after the condition
    # check, and a damaged item's deposit may be kept.
    deposit_returned = forms.BooleanField(label=_("deposit handed back"), required=False)
    out_of_service = forms.BooleanField(
        label=_("take the item out of service (damaged)"), required=False
    )


class AssetOutOfServiceForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("out of service because"),
        choices=LendableAsset.OutOfService.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"),
        max_length=200,
        required=False,
        help_text=_("What is wrong, where it went for repair …"),
    )


class AssetReturnToServiceForm(forms.Form):
    note = forms.CharField(
        label=_("note"), max_length=200, help_text=_("What was done: repaired, found …")
    )
