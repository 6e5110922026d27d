"""CCTV footage review (调阅监控): "reviewing CCTV footage needs the
customer-service centre's consent" (source document). Who asks (customer,
shop, police, staff) and why, the time window and cameras, the desk's
decision (a supervisor's), who watched it and when, and a copy released to
the police against their document. Optionally linked to the found item,
complaint or incident it is about."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from desk.models.common import StateMachineMixin
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessagesMixin


@audited()
class FootageReview(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class RequesterKind(models.TextChoices):
        CUSTOMER = "customer", _("customer")
        SHOP = "shop", pgettext_lazy("requester", "shop")
        POLICE = "police", _("police")
        STAFF = "staff", _("mall staff")

    class Reason(models.TextChoices):
        LOST_ITEM = "lost_item", _("lost item")
        COMPLAINT = "complaint", _("complaint")
        INCIDENT = "incident", _("incident")
        OTHER = "other", pgettext_lazy("footage reason", "other")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", pgettext_lazy("footage review", "approved")
        REFUSED = "refused", pgettext_lazy("footage review", "refused")
        VIEWED = "viewed", _("viewed")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.REQUESTED: {Status.APPROVED, Status.REFUSED},
        Status.APPROVED: {Status.VIEWED},
    }
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        Status.REQUESTED: "warning",
        Status.APPROVED: "info",
        Status.REFUSED: "danger",
        Status.VIEWED: "success",
    }
    CONSTRAINT_MESSAGES: ClassVar[dict] = {
        "footagereview_window_in_order": ("window_until", _("The end must be after the start.")),
        "footagereview_refusal_has_reason": (
            "refusal_reason",
            _("Give the reason for refusing."),
        ),
        "footagereview_copy_to_police_with_document": (
            "police_document_number",
            _("A copy goes only to the police, against their document number."),
        ),
        "footagereview_viewed_has_viewers": ("viewers", _("Say who watched the footage.")),
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(pgettext_lazy("footage review", "reference number"), max_length=20)
    requester_kind = models.CharField(
        _("requested by"), max_length=10, choices=RequesterKind.choices
    )
    requester_name = models.CharField(_("requester's name"), max_length=50)
    requester_phone = models.CharField(_("requester's phone"), max_length=20, blank=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    reason_detail = models.TextField(_("what they want to see, and why"))
    window_from = models.DateTimeField(_("footage from"))
    window_until = models.DateTimeField(_("footage until"))
    cameras = models.CharField(
        _("cameras"), max_length=200, help_text=_("Camera numbers or places, e.g. B1-03, 1F east.")
    )
    # What the review is about. desk may point at mailroom and complaints
    # (neither imports desk); all optional.
    found_item = models.ForeignKey(
        "mailroom.FoundItem",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("found item"),
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("complaint"),
    )
    incident = models.ForeignKey(
        "desk.Incident",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="footage_reviews",
        verbose_name=_("incident"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusing"), max_length=200, blank=True)
    # The viewing (调阅): when, who watched, who showed it, what was seen.
    viewed_at = models.DateTimeField(_("viewed at"), null=True, blank=True)
    viewers = models.CharField(_("who watched"), max_length=200, blank=True)
    viewed_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shown by"),
    )
    findings = models.TextField(_("what the footage showed"), blank=True)
    # A copy for the police (调取证据), against their document.
    copy_released_at = models.DateTimeField(_("copy released at"), null=True, blank=True)
    copy_released_to = models.CharField(_("copy received by"), max_length=50, blank=True)
    police_document_number = models.CharField(
        _("police document number"), max_length=50, blank=True
    )
    copy_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("copy released by"),
    )

    class Meta:
        verbose_name = _("CCTV footage review")
        verbose_name_plural = _("CCTV footage reviews")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("decide_footagereview", "Can approve or refuse a CCTV footage review"),
            ("record_footageviewing", "Can record who viewed CCTV footage"),
            ("release_footagecopy", "Can release a copy of CCTV footage to the police"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mall", "reference"], name="footagereview_reference_unique_in_mall"
            ),
            models.CheckConstraint(
                condition=models.Q(window_until__gt=models.F("window_from")),
                name="footagereview_window_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refusal_reason=""),
                name="footagereview_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(status="viewed", viewed_at__isnull=False) & ~models.Q(viewers="")
                | (~models.Q(status="viewed") & models.Q(viewed_at__isnull=True)),
                name="footagereview_viewed_has_viewers",
            ),
            # Copies leave the mall only for the police, with their document.
            models.CheckConstraint(
                condition=models.Q(copy_released_at__isnull=True)
                | (models.Q(requester_kind="police") & ~models.Q(police_document_number="")),
                name="footagereview_copy_to_police_with_document",
            ),
        ]
        indexes = [
            # The list: a mall's reviews, newest first (the bench's 200,000).
            models.Index(fields=["mall", "-created_at", "-id"], name="footagereview_mall_recent"),
            models.Index(
                fields=["mall", "status"],
                condition=models.Q(status="requested"),
                name="footagereview_waiting",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("desk:footage_detail", args=[self.pk])
