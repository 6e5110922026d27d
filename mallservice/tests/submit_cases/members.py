"""The members app's create forms in the double-submit test."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mallservice.audit import Source, actor_context
from mallservice.tests.submit_cases.case import Case, at
from members import services as member_services
from members.models import CallAttempt, CallTask, Campaign, Card, Member, MemberImport, PointsEntry
from members.tests.factories import CampaignFactory, GiftFactory, MemberFactory, TierFactory


def _with_member(w) -> None:
    tier = TierFactory(mall=w.mall, code="normal", name="普通", rank=1)
    w.member = MemberFactory(mall=w.mall, registered_by=w.desk_user, tier=tier)


def _with_points_and_gift(w) -> None:
    _with_member(w)
    member_services.points_earn(
        actor=w.desk_user, member=w.member, shop=w.shop, receipt_no="R-1", amount=500
    )
    w.gift = GiftFactory(mall=w.mall, points_cost=100, stock=5)


def _with_card_stock(w) -> None:
    _with_member(w)
    with actor_context(actor_id=w.desk_user.pk, source=Source.WEB):
        member_services.card_batch_receive(
            actor=w.desk_user, mall=w.mall, code="B1", first_number=8800000001, count=5
        )


def _with_call(w) -> None:
    _with_member(w)
    campaign = CampaignFactory(mall=w.mall)  # calls between 10:00 and 20:00
    w.task = CallTask.objects.create(
        mall=w.mall,
        campaign=campaign,
        member=w.member,
        period=datetime.date(2026, 1, 1),
        due_at=timezone.now(),
        assignee=w.desk_user,
    )


CASES = [
    Case(
        "member registration (held by the mobile number)",
        "desk_user",
        url=lambda w: reverse("members:register"),
        data=lambda w: {"phone": "13812345678", "name": "王小明", "source": "desk"},
        count=lambda w: Member.objects.count(),
    ),
    Case(
        "points from a receipt (held by the receipt number)",
        "desk_user",
        setup=_with_member,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:earn", args=[w.member.pk]),
        data=lambda w: {"shop": w.shop.pk, "receipt_no": "R-2", "amount": "200"},
        count=lambda w: PointsEntry.objects.count(),
    ),
    Case(
        "gift redemption",
        "desk_user",
        setup=_with_points_and_gift,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:redeem", args=[w.member.pk]),
        data=lambda w: {"gift": w.gift.pk},
        count=lambda w: PointsEntry.objects.count(),
    ),
    Case(
        "points adjustment",
        "supervisor_user",
        setup=_with_member,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:adjust", args=[w.member.pk]),
        data=lambda w: {"points": "10", "reason": "补录"},
        count=lambda w: PointsEntry.objects.count(),
    ),
    Case(
        "card issue (held by the member's current card)",
        "desk_user",
        setup=_with_card_stock,
        page=lambda w: reverse("members:detail", args=[w.member.pk]),
        url=lambda w: reverse("members:card_issue", args=[w.member.pk]),
        data=lambda w: {"number": ""},
        count=lambda w: Card.objects.filter(member__isnull=False).count(),
    ),
    Case(
        "call outcome",
        "desk_user",
        setup=_with_call,
        clock=lambda w: at(timezone.localdate(), 14),
        url=lambda w: reverse("members:call_detail", args=[w.task.pk]),
        data=lambda w: {"outcome": "no_answer"},
        count=lambda w: CallAttempt.objects.count(),
    ),
    Case(
        "member import",
        "supervisor_user",
        url=lambda w: reverse("members:imports"),
        data=lambda w: {},
        files=lambda w: {
            "file": SimpleUploadedFile("members.csv", "手机号,姓名\n13812345678,王小明\n".encode())
        },
        count=lambda w: MemberImport.objects.count(),
    ),
    Case(
        "campaign",
        "supervisor_user",
        url=lambda w: reverse("members:campaign_new"),
        data=lambda w: {
            "name": "双十二大型促销通知",
            "kind": "promotion",
            "script": "您好……",
            "min_balance": 0,
            "period_days": 30,
            "window_start": "10:00",
            "window_end": "20:00",
            "max_attempts": 2,
            "retry_minutes": 30,
            "starts_on": "2026-12-01",
            "is_active": "on",
        },
        count=lambda w: Campaign.objects.count(),
    ),
    # -- broadcasts,
]
