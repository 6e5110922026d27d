from __future__ import annotations

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from mallservice.forms import SubmitOnceFormMixin
from members.models import CallOutcome, Gift, Member, Tier
from members.services.campaigns import CAMPAIGN_FIELDS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Card number, mobile, last four digits or name"), max_length=40, required=False
    )

    def clean_q(self) -> str:
        # A Chinese input method types full-width digits (１３８…): NFKC
        # makes them the ASCII digits the phone and card indexes hold.
        return unicodedata.normalize("NFKC", self.cleaned_data["q"]).strip()


class MemberRegisterForm(SubmitOnceFormMixin, forms.Form):
    phone = forms.CharField(label=_("Mobile"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=50)
    gender = forms.ChoiceField(label=_("Gender"), choices=Member.Gender.choices, required=False)
    birthday = forms.DateField(
        label=_("Birthday"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (Member.Source.DESK, Member.Source.DESK.label),
            (Member.Source.PHONE, Member.Source.PHONE.label),
        ],
    )
    consent_callback = forms.BooleanField(label=_("Agrees to callbacks"), required=False)
    consent_marketing = forms.BooleanField(label=_("Agrees to marketing"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConsentForm(forms.Form):
    consent_callback = forms.BooleanField(label=_("Agrees to callbacks"), required=False)
    consent_marketing = forms.BooleanField(label=_("Agrees to marketing"), required=False)
    do_not_call = forms.BooleanField(label=_("Do not call"), required=False)


class CardIssueForm(SubmitOnceFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Card number (scan, or leave empty for the next in stock)"),
        max_length=20,
        required=False,
    )


class CardReissueForm(forms.Form):
    """补卡: the new card handed over is scanned (a barcode scanner types
    its number), or the next card in stock is taken."""

    number = forms.CharField(
        label=_("New card number (scan, or leave empty for the next in stock)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        return unicodedata.normalize("NFKC", self.cleaned_data["number"]).strip()


class EarnForm(SubmitOnceFormMixin, forms.Form):
    shop = forms.ModelChoiceField(label=_("Shop"), queryset=None)
    receipt_no = forms.CharField(label=_("Receipt number"), max_length=40)
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), min_value=0, max_digits=10, decimal_places=2
    )

    def __init__(self, *args, shops=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops


class RedeemForm(SubmitOnceFormMixin, forms.Form):
    gift = forms.ModelChoiceField(label=_("Gift"), queryset=Gift.objects.none())

    def __init__(self, *args, gifts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gift"].queryset = gifts


class AdjustForm(SubmitOnceFormMixin, forms.Form):
    points = forms.IntegerField(label=_("Points (+/-)"), min_value=-1_000_000, max_value=1_000_000)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class TierForm(forms.Form):
    tier = forms.ModelChoiceField(label=_("Tier"), queryset=Tier.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, tiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = tiers


class MergeForm(forms.Form):
    other_phone = forms.CharField(
        label=_("Mobile of the duplicate to merge into this member"), max_length=20
    )


class CallOutcomeForm(SubmitOnceFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallOutcome.choices)
    callback_at = forms.DateTimeField(
        label=_("Call back at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ImportUploadForm(SubmitOnceFormMixin, forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))


class CampaignForm(SubmitOnceFormMixin, forms.ModelForm):
    class Meta:
        from members.models import Campaign

        model = Campaign
        # The fields the service accepts (one list).
        fields = list(CAMPAIGN_FIELDS)
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "window_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "window_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "script": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, tiers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_tier"].queryset = tiers
