"""Members, their membership cards, tiers, the points ledger and the VIP
follow-up calls of the front desk (会员 / 会员卡 / 积分 / 电话回访)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Right
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mallservice import workflow
from mallservice.audit import append_only_triggers, audited
from mallservice.constraints import ConstraintMessages, ConstraintMessagesMixin


class StateMachineMixin(workflow.StateMachineMixin):
    """The project's state machine over this app's `status` fields."""

    STATE_FIELD = "status"


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


@audited()
class CardBatch(models.Model):
    """A batch of blank cards received from the printer (card stock)."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    code = models.CharField(_("batch code"), max_length=32)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("card batch")
        verbose_name_plural = _("card batches")
        ordering = ["-received_on"]
        constraints = [
            models.UniqueConstraint(fields=["mall", "code"], name="cardbatch_code_unique_in_mall")
        ]

    def __str__(self) -> str:
        return self.code


@audited()
class Card(StateMachineMixin, models.Model):
    """A membership card (会员卡). The desk's stages: 申请/登记 is the member's
    registration, 发卡 is `issued`, 录入系统 is `active`."""

    class Status(models.TextChoices):
        STOCK = "stock", _("in stock")
        ISSUED = "issued", _("issued, not yet entered")
        ACTIVE = "active", pgettext_lazy("card status", "active")
        LOST = "lost", _("reported lost")
        FROZEN = "frozen", _("frozen")
        REPLACED = "replaced", _("replaced")
        VOID = "void", _("void")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.STOCK: {Status.ISSUED, Status.VOID},
        Status.ISSUED: {Status.ACTIVE, Status.LOST, Status.VOID},
        Status.ACTIVE: {Status.LOST, Status.FROZEN},
        Status.LOST: {Status.FROZEN},
        Status.FROZEN: {Status.ACTIVE, Status.REPLACED},
    }
    # A member holds at most one card in these states.
    CURRENT = (Status.ISSUED, Status.ACTIVE, Status.LOST, Status.FROZEN)

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    batch = models.ForeignKey(CardBatch, models.PROTECT, related_name="cards")
    number = models.CharField(_("card number"), max_length=20, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STOCK
    )
    member = models.ForeignKey(
        Member,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("member"),
    )
    replaces = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership card")
        verbose_name_plural = _("membership cards")
        ordering = ["number"]
        constraints = [
            # A card in stock belongs to nobody; an issued one to somebody.
            models.CheckConstraint(
                condition=models.Q(status="stock", member__isnull=True)
                | models.Q(status="void", member__isnull=True)
                | (~models.Q(status__in=["stock"]) & models.Q(member__isnull=False)),
                name="card_member_matches_status",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status__in=["issued", "active", "lost", "frozen"]),
                name="card_one_current_per_member",
            ),
        ]
        indexes = [
            models.Index(fields=["mall", "status", "number"], name="card_stock_pick"),
            # Cards stuck at a stage (issued not entered, lost not frozen).
            models.Index(fields=["mall", "status", "status_changed_at"], name="card_stuck"),
        ]

    def __str__(self) -> str:
        return self.number


@audited()
class Gift(ConstraintMessagesMixin, models.Model):
    """A gift of the points catalogue (积分换购) with its stock."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    name = models.CharField(_("name"), max_length=100)
    points_cost = models.PositiveIntegerField(_("points"))
    stock = models.IntegerField(_("stock"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "gift_stock_not_negative": ("stock", _("Must not be negative.")),
        "gift_cost_positive": ("points_cost", _("Must be more than zero.")),
    }

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["mall", "points_cost"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="gift_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(points_cost__gt=0), name="gift_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PointsEntry(models.Model):
    """One line of the append-only points ledger; the balance is its sum."""

    class Kind(models.TextChoices):
        EARN = "earn", _("earned from a receipt")
        REDEEM = "redeem", _("redeemed for a gift")
        ADJUST = "adjust", _("adjustment")
        EXPIRE = "expire", _("expired")
        MERGE_IN = "merge_in", _("moved in by a merge")
        MERGE_OUT = "merge_out", _("moved out by a merge")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    member = models.ForeignKey(Member, models.PROTECT, related_name="points_entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    points = models.IntegerField(_("points"))
    balance_after = models.IntegerField(_("balance after"))
    shop = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, null=True, blank=True, verbose_name=_("shop")
    )
    receipt_no = models.CharField(_("receipt number"), max_length=40, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    gift = models.ForeignKey(Gift, models.PROTECT, null=True, blank=True, verbose_name=_("gift"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        ordering = ["-at", "-pk"]
        triggers = append_only_triggers()
        constraints = [
            # "shop + receipt number can earn only once"
            models.UniqueConstraint(
                fields=["shop", "receipt_no"],
                condition=models.Q(kind="earn"),
                name="points_receipt_earns_once",
            ),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0), name="points_balance_after_not_negative"
            ),
            models.CheckConstraint(condition=~models.Q(points=0), name="points_not_zero"),
        ]
        indexes = [models.Index(fields=["member", "-at"], name="points_member_at")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.points:+d}"


@audited()
class PointsPolicy(models.Model):
    """One mall's limits on receipt points (小票积分); a mall without a row
    uses the defaults. A receipt above a limit, or whose number another shop
    of the mall already took, waits for a supervisor when desk staff enter it."""

    mall = models.OneToOneField(
        "mallservice.Mall", models.PROTECT, related_name="points_policy", verbose_name=_("mall")
    )
    receipt_max_amount = models.DecimalField(
        _("largest receipt without approval (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("20000"),
        validators=[MinValueValidator(Decimal("1"))],
    )
    daily_max_points = models.PositiveIntegerField(
        _("most receipt points a member earns a day without approval"),
        default=50000,
        validators=[MinValueValidator(1)],
    )

    class Meta:
        verbose_name = _("points policy")
        verbose_name_plural = _("points policies")

    def __str__(self) -> str:
        return str(self.mall)

    @classmethod
    def for_mall(cls, mall_id: int) -> PointsPolicy:
        return cls.objects.filter(mall_id=mall_id).first() or cls(mall_id=mall_id)


@audited()
class PointsAdjustment(ConstraintMessagesMixin, StateMachineMixin, models.Model):
    """A manual adjustment above the approval size, or a receipt the mall's
    points policy holds back (shop, receipt number and amount filled in),
    waiting for a supervisor."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    class Hold(models.TextChoices):
        """Why a receipt waits (stored as its reason)."""

        AMOUNT = "receipt_over_amount", _("the receipt is above the mall's limit")
        DAILY = "over_daily_points", _("over the member's receipt points for the day")
        OTHER_SHOP = (
            "receipt_no_at_another_shop",
            _("the receipt number already earned at another shop"),
        )

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PENDING: {Status.APPROVED, Status.REJECTED},
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    member = models.ForeignKey(Member, models.PROTECT, related_name="adjustments")
    points = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    shop = models.ForeignKey(
        "mallservice.Unit", models.PROTECT, null=True, blank=True, verbose_name=_("shop")
    )
    receipt_no = models.CharField(_("receipt number"), max_length=40, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "adjustment_not_zero": ("points", _("Must not be zero.")),
    }

    class Meta:
        verbose_name = _("points adjustment")
        verbose_name_plural = _("points adjustments")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(points=0), name="adjustment_not_zero"),
            # A receipt waits for approval once.
            models.UniqueConstraint(
                fields=["shop", "receipt_no"],
                condition=models.Q(status="pending") & ~models.Q(receipt_no=""),
                name="adjustment_receipt_pending_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.points:+d} {self.status}"

    @property
    def reason_label(self) -> str:
        if self.receipt_no and self.reason in self.Hold.values:
            return str(self.Hold(self.reason).label)
        return self.reason


@audited()
class Campaign(ConstraintMessagesMixin, models.Model):
    """A VIP follow-up campaign (回访活动) planned daily by beat."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("periodic callback")
        PROMOTION = "promotion", _("big-promotion notice")
        POINTS = "points", _("points-redemption reminder")
        BIRTHDAY = "birthday", _("birthday greeting")

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    script = models.TextField(pgettext_lazy("call", "script"), help_text=_("Shown to the caller."))
    min_tier = models.ForeignKey(
        Tier, models.PROTECT, null=True, blank=True, verbose_name=_("minimum tier")
    )
    min_balance = models.PositiveIntegerField(_("minimum points balance"), default=0)
    birthday_month = models.PositiveSmallIntegerField(
        _("birthday month"),
        null=True,
        blank=True,
        help_text=_(
            "Only members born in this month (1–12); birthday greetings use the current month."
        ),
    )
    visited_within_days = models.PositiveSmallIntegerField(
        _("visited within (days)"),
        null=True,
        blank=True,
        help_text=_("Only members whose last visit is this recent."),
    )
    expiring_within_days = models.PositiveSmallIntegerField(
        _("points expiring within (days)"),
        null=True,
        blank=True,
        help_text=_("Only members with points that expire within this many days."),
    )
    period_days = models.PositiveSmallIntegerField(
        _("period (days)"), default=90, help_text=_("A member is called once per period.")
    )
    window_start = models.TimeField(_("calls from"), default=datetime.time(10, 0))
    window_end = models.TimeField(_("calls until"), default=datetime.time(20, 0))
    max_attempts = models.PositiveSmallIntegerField(_("maximum attempts"), default=3)
    retry_minutes = models.PositiveSmallIntegerField(_("retry after (minutes)"), default=60)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {
        "campaign_window_ordered": ("window_end", _("The end must be after the start.")),
        "campaign_at_least_one_attempt": ("max_attempts", _("At least one attempt.")),
        "campaign_period_positive": ("period_days", _("At least one day.")),
        "campaign_birthday_month_valid": ("birthday_month", _("Choose a month from 1 to 12.")),
    }

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_start__lt=models.F("window_end")),
                name="campaign_window_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(max_attempts__gte=1), name="campaign_at_least_one_attempt"
            ),
            models.CheckConstraint(
                condition=models.Q(period_days__gte=1), name="campaign_period_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(birthday_month__isnull=True)
                | models.Q(birthday_month__gte=1, birthday_month__lte=12),
                name="campaign_birthday_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def period_start(self, day: datetime.date) -> datetime.date:
        """The first day of the period containing `day` (periods start on
        `starts_on` and last `period_days`)."""
        offset = (day - self.starts_on).days // self.period_days
        return self.starts_on + datetime.timedelta(days=offset * self.period_days)


@audited()
class CallTask(StateMachineMixin, models.Model):
    """One member to call for one campaign in one period."""

    class Status(models.TextChoices):
        PENDING = "pending", _("to call")
        DONE = "done", _("done")
        GAVE_UP = "gave_up", _("gave up")
        CANCELLED = "cancelled", _("cancelled")

    class Origin(models.TextChoices):
        PLANNED = "planned", _("planned")
        CALLBACK = "callback", _("call back requested")

    TRANSITIONS: ClassVar[dict[str, set[str]]] = {
        Status.PENDING: {Status.DONE, Status.GAVE_UP, Status.CANCELLED},
    }

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="tasks")
    member = models.ForeignKey(Member, models.PROTECT, related_name="call_tasks")
    period = models.DateField(_("period"))
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PLANNED)
    due_at = models.DateTimeField(pgettext_lazy("call", "due at"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="member_call_tasks",
        verbose_name=_("assignee"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(pgettext_lazy("call", "attempts"), default=0)
    last_outcome = models.CharField(_("last outcome"), max_length=16, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("call task")
        verbose_name_plural = _("call tasks")
        ordering = ["due_at"]
        constraints = [
            # The planner's idempotency: one planned call per campaign, member
            # and period, whatever runs twice or at once.
            models.UniqueConstraint(
                fields=["campaign", "member", "period"],
                condition=models.Q(origin="planned"),
                name="calltask_once_per_period",
            )
        ]
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"], name="calltask_mine"),
            models.Index(fields=["mall", "status", "due_at"], name="calltask_due"),
            # The dashboard: calls closed today, and 30 days of completion.
            models.Index(
                fields=["mall", "closed_at"],
                name="calltask_closed",
                condition=models.Q(closed_at__isnull=False),
            ),
            models.Index(
                fields=["mall", "due_at"], include=["status"], name="calltask_mall_due_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.member_id}/{self.period}"


class CallOutcome(models.TextChoices):
    CONNECTED = "connected", _("connected")
    NO_ANSWER = "no_answer", _("no answer")
    BUSY = "busy", _("busy")
    WRONG_NUMBER = "wrong_number", _("wrong number")
    REFUSED = "refused", _("refused")
    CALL_BACK = "call_back", _("call back at …")
    OPTED_OUT = "opted_out", _("opted out")


class CallAttempt(models.Model):
    """One call made: append-only log of outcomes."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    task = models.ForeignKey(CallTask, models.PROTECT, related_name="call_attempts")
    caller = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices)
    callback_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        ordering = ["-at"]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.task_id} {self.outcome}"


class PlannerRun(models.Model):
    """What one planner run did for one campaign: created, skipped, counted."""

    mall = models.ForeignKey("mallservice.Mall", models.PROTECT, verbose_name=_("mall"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="planner_runs")
    day = models.DateField(_("day"))
    at = models.DateTimeField(_("at"))
    created = models.PositiveIntegerField(_("created"), default=0)
    already_planned = models.PositiveIntegerField(_("already planned"), default=0)
    skipped_no_consent = models.PositiveIntegerField(_("skipped: no consent"), default=0)
    skipped_do_not_call = models.PositiveIntegerField(_("skipped: do not call"), default=0)

    class Meta:
        verbose_name = _("planner run")
        verbose_name_plural = _("planner runs")
        ordering = ["-at"]
        triggers = append_only_triggers()

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


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
