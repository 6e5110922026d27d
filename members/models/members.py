"""Members of one mall's scheme, their tiers (会员等级), the imports of the
paper VIP register and the merges of duplicates."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice.audit import append_only_triggers, audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


@audited()
class Tier(models.Model):
    """A member tier (会员等级) such as 普通 / 银卡 / 金卡 / 钻石, per mall."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=50)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("Higher is better."))
    # Spend is counted over the last MEMBERS_TIER_SPEND_MONTHS (12) months;
    # members/tiers.py applies the thresholds every night.
    upgrade_threshold = models.PositiveIntegerField(
        _("upgrade threshold"),
        default=0,
        help_text=_(
            "Spend (yuan) in the last 12 months that moves a member up to this tier; "
            "0: only by hand."
        ),
    )
    keep_threshold = models.PositiveIntegerField(
        _("keep threshold"),
        default=0,
        help_text=_(
            "Spend (yuan) in the 12 months before the yearly review needed to stay in this tier."
        ),
    )

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["mall", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="tier_code_unique_in_mall"),
            models.UniqueConstraint(fields=["mall", "rank"], name="tier_rank_unique_in_mall"),
        ]

    def __str__(self) -> str:
        return self.name


@audited()
class Member(ConstraintMessagesMixin, models.Model):
    """A member of one mall's scheme, identified there by a mainland mobile
    number. Membership is per mall (tiers, points and cards are the mall's):
    the same number may be a member of two malls, two separate records, and
    nothing a desk does tells it whether a number is a member elsewhere."""

    class Gender(models.TextChoices):
        UNKNOWN = "", _("not given")
        FEMALE = "f", _("female")
        MALE = "m", _("male")

    class Source(models.TextChoices):
        DESK = "desk", pgettext_lazy("member source", "at the desk")
        PHONE = "phone", pgettext_lazy("member source", "by phone")
        IMPORT = "import", _("imported register")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("member status", "active")
        MERGED = "merged", _("merged into another member")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    phone = models.CharField(_("mobile"), max_length=11)
    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True, default=""
    )
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    tier = models.ForeignKey(Tier, models.PROTECT, null=True, blank=True, verbose_name=_("tier"))
    # The yearly tier review falls on the anniversary of the last tier change
    # (of the registration while the tier never changed).
    tier_changed_at = models.DateTimeField(_("tier since"), null=True, blank=True)
    # A supervisor's manual change: automatic upgrades count only spend after it.
    tier_set_by_hand_at = models.DateTimeField(_("tier set by hand at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("merged into"),
    )
    consent_callback = models.BooleanField(_("agrees to callbacks"), default=False)
    consent_callback_at = models.DateTimeField(null=True, blank=True)
    consent_callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_marketing = models.BooleanField(_("agrees to marketing"), default=False)
    consent_marketing_at = models.DateTimeField(null=True, blank=True)
    consent_marketing_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    do_not_call = models.BooleanField(_("do not call"), default=False)
    do_not_call_at = models.DateTimeField(null=True, blank=True)
    possible_duplicate_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("possible duplicate of"),
    )
    # Cached sum of the ledger, written only by the ledger service under
    # this row's lock; a test checks it always equals the ledger's sum.
    points_balance = models.IntegerField(_("points balance"), default=0)
    last_visit_at = models.DateTimeField(_("last visit"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "member_phone_is_normalised": ("phone", _("Enter an 11-digit mainland mobile number.")),
    }

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["-registered_at"]
        permissions = [
            ("reveal_phone", "Can reveal a member's full phone number"),
            ("merge_member", "Can merge duplicate members"),
        ]
        constraints = [
            # Phone first: the counter's full-number search uses this index.
            models.UniqueConstraint(fields=["phone", "mall"], name="member_phone_unique_in_mall"),
            models.CheckConstraint(
                condition=models.Q(points_balance__gte=0), name="member_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(phone__regex=r"^1[3-9][0-9]{9}$"),
                name="member_phone_is_normalised",
            ),
            models.CheckConstraint(
                condition=(models.Q(status="merged") & models.Q(merged_into__isnull=False))
                | (~models.Q(status="merged") & models.Q(merged_into__isnull=True)),
                name="member_merged_has_survivor",
            ),
        ]
        indexes = [
            # The counter search box: last four digits (within the desk's
            # mall: about 55 of 550,000 members share a tail) and a Chinese name.
            models.Index(Right("phone", 4), "mall", name="member_phone_last4_mall"),
            # fastupdate off: a pending list of new names (up to 4 MB until
            # vacuum) would be scanned by every search; names arrive slowly.
            GinIndex(
                OpClass("name", name="gin_trgm_ops"), name="member_name_trgm", fastupdate=False
            ),
            # Two characters give pg_trgm no trigram: those search by prefix.
            models.Index(
                fields=["name"], name="member_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["mall", "name", "birthday"], name="member_name_birthday"),
            # The supervisor's members registered lately without a card.
            models.Index(
                fields=["mall", "registered_at"], include=["status"], name="member_registered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TierReviewRun(models.Model):
    """What one nightly tier evaluation did in one mall. The day of the last
    run bounds the next one's reviews, so a rerun reviews nobody twice."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("at"))
    upgraded = models.PositiveIntegerField(pgettext_lazy("tier", "moved up"), default=0)
    reviewed = models.PositiveIntegerField(pgettext_lazy("tier", "reviewed"), default=0)
    downgraded = models.PositiveIntegerField(pgettext_lazy("tier", "moved down"), default=0)

    class Meta:
        verbose_name = _("tier review run")
        verbose_name_plural = _("tier review runs")
        ordering = ["-at"]
        triggers = append_only_triggers()
        indexes = [models.Index(fields=["mall", "-day"], name="tierreviewrun_last")]

    def __str__(self) -> str:
        return f"{self.mall_id} {self.day}"


@audited(exclude=["content"])
class MemberImport(models.Model):
    """An upload of the paper register (Excel/CSV): preview, then commit."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    filename = models.CharField(_("file"), max_length=200)
    content = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class MemberMerge(models.Model):
    """A merge of a duplicate into a survivor, with what moved."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    survivor = models.ForeignKey(Member, models.PROTECT, related_name="+")
    absorbed = models.ForeignKey(Member, models.PROTECT, related_name="+")
    points_moved = models.IntegerField(default=0)
    cards_moved = models.PositiveIntegerField(default=0)
    tasks_moved = models.PositiveIntegerField(default=0)
    snapshot = models.JSONField(default=dict)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("member merge")
        verbose_name_plural = _("member merges")
        ordering = ["-at"]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.absorbed_id} → {self.survivor_id}"
