"""Read-only admin views: every write goes through the desk screens and
their services; the admin is for looking things up and reading history."""

from __future__ import annotations

from django.contrib import admin

from mailroom import models
from mallservice.admin import RecordAdmin, register_records


@admin.register(models.Parcel)
class ParcelAdmin(RecordAdmin):
    list_display = ["tracking_number", "carrier", "recipient_kind", "shelf", "status", "mall"]
    list_filter = ["status", "carrier", "mall"]
    search_fields = ["tracking_number", "pickup_code", "recipient_name"]


@admin.register(models.ParcelPickup)
class ParcelPickupAdmin(RecordAdmin):
    list_display = ["collector_name", "verification", "at", "handed_over_by", "mall"]
    list_filter = ["mall"]


@admin.register(models.OutgoingMail)
class OutgoingMailAdmin(RecordAdmin):
    list_display = ["addressee", "sender_department", "carrier", "cost", "status", "logged_at"]
    list_filter = ["status", "sender_department"]


@admin.register(models.DispatchBatch)
class DispatchBatchAdmin(RecordAdmin):
    list_display = ["carrier", "courier_name", "dispatched_at", "dispatched_by"]
    list_filter = ["mall"]


@admin.register(models.FoundItem)
class FoundItemAdmin(RecordAdmin):
    list_display = ["number", "category", "status", "storage", "retention_until", "mall"]
    list_filter = ["status", "category", "storage"]
    search_fields = ["number", "description"]


@admin.register(models.LostReport)
class LostReportAdmin(RecordAdmin):
    list_display = ["category", "lost_on", "reporter_name", "status"]
    list_filter = ["mall"]


@admin.register(models.ItemClaim)
class ItemClaimAdmin(RecordAdmin):
    list_display = ["item", "claimant_name", "status", "verified_by", "released_at"]
    list_filter = ["mall"]


@admin.register(models.LendableAsset)
class LendableAssetAdmin(RecordAdmin):
    list_display = ["tag", "kind", "description", "is_active", "mall"]
    list_filter = ["mall"]


@admin.register(models.Loan)
class LoanAdmin(RecordAdmin):
    list_display = ["asset", "borrower_name", "deposit_kind", "lent_at", "due_at", "returned_at"]
    list_filter = ["mall"]


register_records("mailroom")
