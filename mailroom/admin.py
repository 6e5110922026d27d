"""Read-only admin views: every write goes through the desk screens and
their services; the admin is for looking things up and reading history."""

from __future__ import annotations

from django.contrib import admin

from mailroom import models
from mallservice.admin import AuditedAdminMixin


class ReadOnlyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Parcel)
class ParcelAdmin(ReadOnlyAdmin):
    list_display = ["tracking_number", "carrier", "recipient_kind", "shelf", "status", "mall"]
    list_filter = ["status", "carrier", "mall"]
    search_fields = ["tracking_number", "pickup_code", "recipient_name"]


@admin.register(models.ParcelPickup)
class ParcelPickupAdmin(ReadOnlyAdmin):
    list_display = ["collector_name", "verification", "at", "handed_over_by", "mall"]


@admin.register(models.Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["kind", "parcel", "status", "created_at", "sent_at", "attempts"]
    list_filter = ["kind", "status"]


@admin.register(models.OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ["addressee", "sender_department", "carrier", "cost", "status", "logged_at"]
    list_filter = ["status", "sender_department"]


@admin.register(models.DispatchBatch)
class DispatchBatchAdmin(ReadOnlyAdmin):
    list_display = ["carrier", "courier_name", "dispatched_at", "dispatched_by"]


@admin.register(models.FoundItem)
class FoundItemAdmin(ReadOnlyAdmin):
    list_display = ["number", "category", "status", "storage", "retention_until", "mall"]
    list_filter = ["status", "category", "storage"]
    search_fields = ["number", "description"]


@admin.register(models.LostReport)
class LostReportAdmin(ReadOnlyAdmin):
    list_display = ["category", "lost_on", "reporter_name", "status"]


@admin.register(models.ItemClaim)
class ItemClaimAdmin(ReadOnlyAdmin):
    list_display = ["item", "claimant_name", "status", "verified_by", "released_at"]


@admin.register(models.LendableAsset)
class LendableAssetAdmin(ReadOnlyAdmin):
    list_display = ["tag", "kind", "description", "is_active", "mall"]


@admin.register(models.Loan)
class LoanAdmin(ReadOnlyAdmin):
    list_display = ["asset", "borrower_name", "deposit_kind", "lent_at", "due_at", "returned_at"]
