"""What every app shares: staff accounts, the mall directory and the logs
that are not row history (reads of sensitive data, the beat heartbeat)."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import SYSTEM_USERNAME, append_only_triggers, audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin

# The outbox's model lives in its own package; imported so Django finds it.
from mallservice.notifications.models import Message as Message
from mallservice.validators import email_lines, validate_email_lines


@audited()
class Mall(ConstraintMessagesMixin, models.Model):
    """One site (商场) of the company; every record belongs to one."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The complaint channels' legal clocks may differ by city (12345 hotlines).
    city = models.CharField(_("city"), max_length=50, blank=True)
    phone = models.CharField(_("service desk phone"), max_length=32, blank=True)
    opens_at = models.TimeField(_("opens at"), default=datetime.time(10, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(22, 0))
    report_time = models.TimeField(
        _("daily report time"),
        default=datetime.time(17, 45),
        help_text=_("The desk's daily report is built and e-mailed at this time (before 18:00)."),
    )
    report_recipients = models.TextField(
        _("daily report recipients"),
        blank=True,
        help_text=_("E-mail addresses, one per line."),
        validators=[validate_email_lines],
    )
    is_active = models.BooleanField(_("active"), default=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "mall_opens_before_closing": ("closes_at", _("Closing time must be after opening time.")),
    }

    class Meta:
        verbose_name = _("mall")
        verbose_name_plural = _("malls")
        ordering = ["code"]
        permissions = [
            ("view_dashboard", _("Can see the dashboard of their malls")),
            ("view_history", _("Can see the operation history of their malls' records")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__lt=models.F("closes_at")),
                name="mall_opens_before_closing",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def report_recipient_list(self) -> list[str]:
        return email_lines(self.report_recipients)


@audited()
class Floor(models.Model):
    mall = models.ForeignKey(Mall, models.PROTECT, related_name="floors", verbose_name=_("mall"))
    code = models.CharField(_("code"), max_length=8, help_text=_("e.g. B1, 1F"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    level = models.SmallIntegerField(_("level"), help_text=_("Sort order; basements negative."))

    class Meta:
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        ordering = ["mall", "level"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="floor_code_unique_in_mall")
        ]

    def __str__(self) -> str:
        return self.name or self.code


@audited()
class Unit(ConstraintMessagesMixin, models.Model):
    """A place in the mall directory: a shop, a service counter or a public area."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("shop")
        COUNTER = "counter", _("service counter")
        PUBLIC_AREA = "public_area", _("public area")

    class AreaKind(models.TextChoices):
        ENTRANCE = "entrance", _("entrance")
        LIFT = "lift", _("lift / escalator")
        WASHROOM = "washroom", _("washroom")
        CAR_PARK = "car_park", _("car park")
        CORRIDOR = "corridor", _("corridor / atrium")
        OTHER = "other", _("other")

    mall = models.ForeignKey(Mall, models.PROTECT, related_name="units", verbose_name=_("mall"))
    floor = models.ForeignKey(Floor, models.PROTECT, related_name="units", verbose_name=_("floor"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SHOP)
    area_kind = models.CharField(
        _("area kind"), max_length=16, choices=AreaKind.choices, blank=True
    )
    code = models.CharField(_("unit number"), max_length=20)
    name = models.CharField(_("name"), max_length=100)
    tenant_name = models.CharField(_("tenant"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # 企业微信 UserID of the contact, for WeCom application messages.
    contact_wecom_user_id = models.CharField(
        _("contact WeCom user id"), max_length=64, blank=True, db_default=""
    )
    is_active = models.BooleanField(_("active"), default=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "unit_area_kind_only_for_public_areas": (
            "area_kind",
            _("Public areas need an area kind; shops have none."),
        ),
    }

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["mall", "floor__level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="unit_code_unique_in_mall"),
            # A public area says which kind it is; shops and counters do not.
            models.CheckConstraint(
                condition=(models.Q(kind="public_area") & ~models.Q(area_kind=""))
                | (~models.Q(kind="public_area") & models.Q(area_kind="")),
                name="unit_area_kind_only_for_public_areas",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.floor.code} {self.name}" if "floor" in self.__dict__ else self.name


@audited(exclude=["password", "last_login"])
class User(AbstractUser):
    """A staff account. Role comes from group membership (see `roles.py`)."""

    mall = models.ForeignKey(
        Mall,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("home mall"),
    )
    extra_malls = models.ManyToManyField(
        Mall, blank=True, related_name="+", verbose_name=_("other malls")
    )
    all_malls = models.BooleanField(
        _("all malls"), default=False, help_text=_("Managers who oversee every site.")
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    staff_no = models.CharField(_("staff number"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # 企业微信 UserID: WeCom application messages reach the person by it.
    wecom_user_id = models.CharField(_("WeCom user id"), max_length=64, blank=True, db_default="")

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        swappable = "AUTH_USER_MODEL"
        permissions = [("rename_staff", _("Can set the names colleagues see"))]

    def __str__(self) -> str:
        if self.username == SYSTEM_USERNAME:
            # The actor of scheduled work, named in the reader's language
            # in every timeline ("系统"), not by its stored "system".
            return str(_("system"))
        return self.display_name or self.get_full_name() or self.username

    def get_short_name(self) -> str:
        return str(self)


class SensitiveAccess(models.Model):
    """A read of sensitive data (a full phone number revealed, an export).

    Triggers only see writes, so reads are logged here explicitly; the table
    is append-only like the row history."""

    class Kind(models.TextChoices):
        REVEAL = "reveal", _("revealed personal data")
        EXPORT = "export", _("exported a list")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("by"))
    mall = models.ForeignKey(
        Mall, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("mall")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("record type"),
    )
    object_id = models.CharField(_("record"), max_length=64, blank=True)
    field = models.CharField(_("field"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data accesses")
        ordering = ["-at"]
        triggers = append_only_triggers()
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        # Read by people (the admin's title): names, labels and local time.
        return f"{self.actor} · {self.get_kind_display()} · {timezone.localtime(self.at):%Y-%m-%d %H:%M}"


@audited()
class DailyReport(models.Model):
    """The desk's day (每日工作汇总) for one mall, stored as figures the apps
    contributed (`mallservice.daily_report`): message ids and numbers, so it
    reads in the reader's language. E-mailed once; `emailed_at` stays empty
    until the mail went out, and the dispatcher retries until it does."""

    mall = models.ForeignKey(Mall, models.PROTECT, related_name="+", verbose_name=_("mall"))
    day = models.DateField(_("day"))
    generated_at = models.DateTimeField(_("generated at"))
    data = models.JSONField(_("figures"), default=list)
    emailed_to = models.JSONField(_("e-mailed to"), default=list, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    # The send is claimed here first (committed), so two dispatchers never
    # both mail it; a claim older than OUTBOX_SENDING_STALE_SECONDS without
    # `emailed_at` (the worker died mid-send) is sent again, same Message-ID.
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "mall"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "day"], name="daily_report_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.mall} {self.day}"

    @property
    def message_id(self) -> str:
        """The e-mail's Message-ID, the same on a retry: a receiver can drop a copy."""
        return f"<daily-report-{self.pk}@mallservice>"


class Heartbeat(models.Model):
    """When a periodic job last ran; /healthz reads the beat's."""

    audit_exempt = "infrastructure liveness row, rewritten every minute, not business data"

    name = models.CharField(max_length=64, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {timezone.localtime(self.at):%Y-%m-%d %H:%M:%S}"


class SubmissionToken(models.Model):
    """One create form that went through: the token the form carried (one
    per rendering of the form) and the page its result is on.

    Written in the same transaction as the record the form created, so a
    second submit of the same rendering (a double click, a resubmit after a
    timeout) finds it and is shown the first result instead of creating the
    record again (`mallservice.views.SubmitOnceMixin`). Append-only: a token
    is used once and never changes."""

    token = models.UUIDField(_("form token"), unique=True)
    user = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    path = models.CharField(_("page"), max_length=300)
    result_url = models.CharField(_("result page"), max_length=500)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.token} -> {self.result_url}"


# Role and mall assignments live in many-to-many tables; track them too, so
# "who made this person a supervisor" has an answer. pghistory tracks an
# auto-created through table by way of a proxy model.
@audited(obj_field=None, model_name="UserRoleEvent")
class UserRole(User.groups.through):
    class Meta:
        proxy = True


@audited(obj_field=None, model_name="UserMallEvent")
class UserMall(User.extra_malls.through):
    class Meta:
        proxy = True


class JobRun(models.Model):
    """One run of a background job: a daily job for one day, or a job for
    one record (a member import). Recovery reads these rows, not the broker:
    a dispatcher claims a pending run, or a running one whose heartbeat went
    stale because its worker died, with select_for_update(skip_locked=True);
    the unique (job, key) makes a day's run or an import's check happen once."""

    audit_exempt = "infrastructure bookkeeping, its heartbeat rewritten every few seconds"

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("job run", "pending")
        RUNNING = "running", pgettext_lazy("job run", "running")
        DONE = "done", pgettext_lazy("job run", "done")
        FAILED = "failed", pgettext_lazy("job run", "failed")

    job = models.CharField(max_length=100)
    key = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="job_run_once_per_key")]
        indexes = [
            models.Index(
                fields=["heartbeat_at"], name="job_run_unfinished", condition=Q(status="running")
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.key} {self.status}"


# The working calendar's rows live beside its code (mallservice/workdays/).
from mallservice.workdays.models import CalendarYear, MallDayHours, StatutoryDay  # noqa: E402

__all__ = ["CalendarYear", "MallDayHours", "StatutoryDay"]
