from __future__ import annotations

import datetime

import factory

from members.models import Campaign, Gift, Member, Tier


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ["mall", "code"]

    code = factory.Sequence(lambda n: f"tier{n}")
    name = factory.Sequence(lambda n: f"等级{n}")
    rank = factory.Sequence(lambda n: n + 1)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    phone = factory.Sequence(lambda n: f"139{n:08d}")
    name = factory.Sequence(lambda n: f"会员{n}")
    source = Member.Source.DESK
    consent_callback = True


class GiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gift

    name = "保温杯"
    points_cost = 100
    stock = 5


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = "金卡定期回访"
    kind = Campaign.Kind.PERIODIC
    script = "您好，这里是星河广场客服中心……"
    starts_on = datetime.date(2026, 11, 1)
    period_days = 90
    window_start = datetime.time(10, 0)
    window_end = datetime.time(20, 0)
    max_attempts = 3
    retry_minutes = 60
