from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from mallservice.audit import Source, actor_context
from members.services.cards import card_batch_receive
from members.tests.factories import MemberFactory, TierFactory

# 2026-11-27 14:00 in Shanghai: inside the usual 10:00–20:00 calling window.
NOON = timezone.make_aware(datetime.datetime(2026, 11, 27, 14, 0))


@pytest.fixture
def tiers(mall):
    return {
        "normal": TierFactory(mall=mall, code="normal", name="普通", rank=1),
        "silver": TierFactory(mall=mall, code="silver", name="银卡", rank=2),
        "gold": TierFactory(mall=mall, code="gold", name="金卡", rank=3),
        "diamond": TierFactory(mall=mall, code="diamond", name="钻石", rank=4),
    }


@pytest.fixture
def member(mall, desk_user, tiers):
    return MemberFactory(
        mall=mall, registered_by=desk_user, tier=tiers["gold"], name="王小明", phone="13812345678"
    )


@pytest.fixture
def stock(mall, desk_user):
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        return card_batch_receive(
            actor=desk_user, mall=mall, code="B2026-01", first_number=8800000001, count=20
        )
