"""Admin for management: tiers, gift catalogue, campaigns, card stock.
Workflow records (members, cards, ledger, calls) are read-only here: their
writes go through the services and the desk pages."""

from __future__ import annotations

from django.contrib import admin

from members.models import Campaign, Card, CardBatch, Gift, Member, PointsEntry, Tier


@admin.register(Tier)
class TierAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "mall", "rank", "upgrade_threshold", "keep_threshold"]
    list_filter = ["mall"]


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ["name", "mall", "points_cost", "stock", "is_active"]
    list_filter = ["mall", "is_active"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "mall", "kind", "starts_on", "ends_on", "is_active"]
    list_filter = ["mall", "kind", "is_active"]


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CardBatch)
class CardBatchAdmin(_ReadOnly):
    list_display = ["code", "mall", "received_on"]


@admin.register(Card)
class CardAdmin(_ReadOnly):
    list_display = ["number", "mall", "status", "batch"]
    list_filter = ["mall", "status"]
    search_fields = ["number"]


@admin.register(Member)
class MemberAdmin(_ReadOnly):
    list_display = ["name", "mall", "tier", "points_balance", "status"]
    list_filter = ["mall", "tier"]
    exclude = ["phone"]


@admin.register(PointsEntry)
class PointsEntryAdmin(_ReadOnly):
    list_display = ["member", "kind", "points", "balance_after", "at"]
    list_filter = ["kind"]
