"""Fault reports (故障报修). "A fault report is a case with a different
intake and no customer callback" (issue 10): it shares the reference
counter, the SLA (`complaints.sla.plan`), the timeline, the escalation
ladder and the shared outbox with complaints (`complaints/models/cases.py`)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models.calls import PhoneCall
from complaints.models.complaints import Complaint
from complaints.models.desk import Severity, SlaState
from mallservice.audit import audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin
from mallservice.departments import Department
from mallservice.uploads import RandomName
from mallservice.workflow import StateMachineMixin


class FaultType(models.TextChoices):
    LIGHTING = "lighting", _("lighting")
    LIFT = "lift", _("escalator / lift")
    AIR_CONDITIONING = "air_conditioning", _("air-conditioning")
    WATER = "water", _("water")
    TOILETS = "toilets", _("toilets")
    DOORS = "doors", _("doors")
    SIGNAGE = "signage", _("signage")
    SCREENS = "screens", _("screens")
    OTHER = "other", _("other")


class ReporterKind(models.TextChoices):
    STAFF = "staff", _("staff")
    SHOP = "shop", _("a shop")
    CUSTOMER = "customer", _("a customer")


@audited()
class FaultRoute(ConstraintMessagesMixin, models.Model):
    """The routing table: which department fixes a type of fault in a mall,
    and how many minutes it has (empty: the urgency's SLA target). A new
    mall starts with `faults.services.DEFAULT_ROUTES` (`complaints/mall_setup.py`);
    a type without a row falls back to that table."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    fault_type = models.CharField(_("fault type"), max_length=20, choices=FaultType.choices)
    department = models.CharField(_("department"), max_length=16, choices=Department.choices)
    resolution_minutes = models.PositiveIntegerField(
        _("minutes to fix"),
        null=True,
        blank=True,
        help_text=_("Empty: the SLA target of the fault's urgency."),
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "fault_route_minutes_positive": ("resolution_minutes", _("Must be more than zero.")),
    }

    class Meta:
        verbose_name = _("fault routing rule")
        verbose_name_plural = _("fault routing table")
        ordering = ["mall", "fault_type"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "fault_type"], name="fault_route_unique"),
            models.CheckConstraint(
                condition=Q(resolution_minutes__isnull=True) | Q(resolution_minutes__gt=0),
                name="fault_route_minutes_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.fault_type} → {self.department}"


class FaultReportQuerySet(models.QuerySet):
    def for_list(self) -> FaultReportQuerySet:
        return self.select_related("mall", "floor", "unit")

    def live(self) -> FaultReportQuerySet:
        """Not yet closed: still the desk's work. Named states, not "not
        closed", so that the (mall, state) index serves it."""
        return self.filter(state__in=[FaultReport.State.ASSIGNED, FaultReport.State.FIXED])


@audited()
class FaultReport(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    class State(models.TextChoices):
        ASSIGNED = "assigned", _("with the handler")
        FIXED = "fixed", _("fix recorded")
        CLOSED = "closed", _("confirmed and closed")

    # The workflow table: state → states it may move to. Sending a fix back
    # ("not fixed") returns the fault to its handler.
    TRANSITION_ERROR = _("A fault report in step “%(old)s” cannot move to “%(new)s”.")
    TRANSITIONS: dict[str, frozenset[str]] = {
        State.ASSIGNED: frozenset({State.ASSIGNED, State.FIXED}),
        State.FIXED: frozenset({State.ASSIGNED, State.CLOSED}),
        State.CLOSED: frozenset(),
    }

    # Badge colours for `{% status_badge fault field="state" %}` and
    # `field="sla_state"`.
    BADGE_LEVELS: ClassVar[dict[str, str]] = {
        State.ASSIGNED: "info",
        State.FIXED: "primary",
        State.CLOSED: "success",
        SlaState.ON_TRACK: "success",
        SlaState.WARNED: "warning",
        SlaState.BREACHED: "danger",
        SlaState.ESCALATED: "danger",
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    reference = models.CharField(_("reference number"), max_length=24)
    received_at = models.DateTimeField(pgettext_lazy("fault report", "reported at"))
    floor = models.ForeignKey(
        "mallservice.Floor", models.PROTECT, related_name="+", verbose_name=_("floor")
    )
    unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shop / counter / area"),
    )
    location_note = models.CharField(_("exactly where"), max_length=100, blank=True)
    fault_type = models.CharField(_("fault type"), max_length=20, choices=FaultType.choices)
    severity = models.CharField(
        _("urgency"), max_length=16, choices=Severity.choices, default=Severity.NORMAL
    )
    description = models.TextField(_("what is wrong"))
    photo = models.FileField(_("photo"), upload_to=RandomName("faults"), blank=True)

    reporter_kind = models.CharField(
        _("reported by"), max_length=16, choices=ReporterKind.choices, default=ReporterKind.STAFF
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=50, blank=True)
    reporter_unit = models.ForeignKey(
        "mallservice.Unit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reporting shop"),
    )
    phone_call = models.ForeignKey(
        PhoneCall,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="faults",
        verbose_name=_("from the phone log"),
    )
    complaint = models.ForeignKey(
        Complaint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="faults",
        verbose_name=_("from a complaint"),
    )

    state = models.CharField(
        _("step"), max_length=16, choices=State.choices, default=State.ASSIGNED
    )
    handler_department = models.CharField(
        _("department"), max_length=16, choices=Department.choices
    )
    handler_name = models.CharField(_("handler"), max_length=50, blank=True)
    handler_due_at = models.DateTimeField(_("handler due at"))
    assignment_no = models.PositiveSmallIntegerField(default=1)
    fix_text = models.TextField(_("what was done"), blank=True)
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    sent_back_count = models.PositiveSmallIntegerField(_("times sent back"), default=0)

    # SLA facts on the row, as for complaints.
    resolution_due_at = models.DateTimeField(_("fix due"))
    sla_state = models.CharField(
        _("SLA"), max_length=16, choices=SlaState.choices, default=SlaState.ON_TRACK
    )
    # Faults of this type at this place within the mall's window, this one
    # included; stored at intake so lists need no computation.
    repeat_count = models.PositiveSmallIntegerField(_("faults here in the window"), default=1)
    is_repeat = models.BooleanField(_("repeat fault"), default=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("logged by")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = FaultReportQuerySet.as_manager()

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "fault_shop_reporter_named": ("reporter_unit", _("Choose the shop that reported it.")),
    }

    class Meta:
        verbose_name = _("fault report")
        verbose_name_plural = _("fault reports")
        ordering = ["-received_at", "-pk"]
        permissions = [("route_faultreport", _("Can re-route fault reports"))]
        indexes = [
            models.Index(fields=["mall", "-received_at", "-id"], name="fault_mall_recent"),
            models.Index(fields=["mall", "state", "-received_at"], name="fault_mall_state"),
            models.Index(
                fields=["mall", "fixed_at"],
                condition=Q(fixed_at__isnull=False),
                name="fault_mall_fixed",
            ),
            models.Index(
                fields=["mall", "unit", "fault_type", "received_at"], name="fault_repeat_lookup"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["mall", "reference"], name="fault_reference_unique"),
            models.CheckConstraint(
                condition=~Q(state="assigned") | Q(fixed_at__isnull=True),
                name="fault_assigned_not_fixed",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["fixed", "closed"]) | Q(fixed_at__isnull=False),
                name="fault_fixed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(state="closed", closed_at__isnull=False)
                | (~Q(state="closed") & Q(closed_at__isnull=True)),
                name="fault_closed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(reporter_kind="shop") | Q(reporter_unit__isnull=False),
                name="fault_shop_reporter_named",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_live(self) -> bool:
        return self.state != self.State.CLOSED

    @property
    def minutes_to_fix(self) -> int | None:
        if self.fixed_at is None:
            return None
        return int((self.fixed_at - self.received_at).total_seconds() // 60)
