"""Admin for management: tiers, gift catalogue, campaigns, card stock.
Workflow records (members, cards, ledger, calls) are read-only here: their
writes go through the services and the desk pages."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mallservice.admin import ProjectAdmin, RecordAdmin, register_records
from members.models import (
    Campaign,
    Card,
    CardBatch,
    Gift,
    Member,
    PointsEntry,
    PointsPolicy,
    Tier,
    TierReviewRun,
)
from members.services.cards import card_batch_receive


@admin.register(Tier)
class TierAdmin(ProjectAdmin):
    list_display = ["name", "code", "mall", "rank", "upgrade_threshold", "keep_threshold"]
    list_filter = ["mall"]


@admin.register(PointsPolicy)
class PointsPolicyAdmin(ProjectAdmin):
    list_display = ["mall", "receipt_max_amount", "daily_max_points"]


@admin.register(Gift)
class GiftAdmin(ProjectAdmin):
    list_display = ["name", "mall", "points_cost", "stock", "is_active"]
    list_filter = ["mall", "is_active"]


@admin.register(Campaign)
class CampaignAdmin(ProjectAdmin):
    list_display = ["name", "mall", "kind", "starts_on", "ends_on", "is_active"]
    list_filter = ["mall", "kind", "is_active"]


class CardBatchForm(forms.ModelForm):
    first_number = forms.IntegerField(label=_("first card number"), min_value=1)
    count = forms.IntegerField(label=_("number of cards"), min_value=1, max_value=100_000)
    width = forms.IntegerField(label=_("digits"), min_value=4, max_value=20, initial=10)

    class Meta:
        model = CardBatch
        fields = ["mall", "code", "received_on", "note"]

    def clean(self):
        data = super().clean()
        if data.get("first_number") and data.get("count") and data.get("width"):
            numbers = [
                str(data["first_number"] + i).zfill(data["width"]) for i in range(data["count"])
            ]
            if Card.objects.filter(number__in=numbers).exists():
                raise ValidationError(_("Some of these card numbers already exist."))
        return data


@admin.register(CardBatch)
class CardBatchAdmin(ProjectAdmin):
    """Card stock: receiving a batch from the printer creates its blank cards
    through the same service the desk uses."""

    list_display = ["code", "mall", "received_on"]
    form = CardBatchForm

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        batch = card_batch_receive(
            actor=request.user,
            mall=data["mall"],
            code=data["code"],
            first_number=data["first_number"],
            count=data["count"],
            width=data["width"],
            received_on=data["received_on"],
        )
        obj.pk = batch.pk


@admin.register(Card)
class CardAdmin(RecordAdmin):
    list_display = ["number", "mall", "status", "batch"]
    list_filter = ["mall", "status"]
    search_fields = ["number"]


@admin.register(Member)
class MemberAdmin(RecordAdmin):
    list_display = ["name", "mall", "tier", "points_balance", "status"]
    list_filter = ["mall", "tier"]
    exclude = ["phone"]


@admin.register(PointsEntry)
class PointsEntryAdmin(RecordAdmin):
    list_display = ["member", "kind", "points", "balance_after", "at"]
    list_filter = ["kind"]


@admin.register(TierReviewRun)
class TierReviewRunAdmin(RecordAdmin):
    """The nightly tier evaluations, written by the beat task."""

    list_display = ["day", "mall", "upgraded", "reviewed", "downgraded", "at"]
    list_filter = ["mall"]


register_records("members")
