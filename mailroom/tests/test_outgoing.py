from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from mailroom import services
from mailroom.models import DispatchBatch, OutgoingMail

pytestmark = pytest.mark.django_db


def _log(actor, mall, department, cost, when=None):
    return services.outgoing_log(
        actor=actor,
        mall=mall,
        sender_department=department,
        addressee="总部财务部",
        carrier="sf",
        cost=Decimal(cost),
        now=when,
    )


def test_batch_dispatch_when_the_courier_collects(client, desk_user, mall):
    # given three items waiting, logged through the screen
    client.force_login(desk_user)
    response = client.post(
        reverse("mailroom:outgoing_create"),
        {
            "mall": mall.pk,
            "sender_department": "finance",
            "addressee": "总部财务部",
            "carrier": "sf",
            "tracking_number": "SF 1000 2000 3000",
            "cost": "23.00",
        },
    )
    assert response.status_code == 302
    others = [_log(desk_user, mall, "marketing", "12") for _ in range(2)]
    items = list(OutgoingMail.objects.all())
    # when two are ticked and dispatched with the courier
    response = client.post(
        reverse("mailroom:outgoing_dispatch"),
        {"items": [items[0].pk, others[0].pk], "carrier": "sf", "courier_name": "顺丰 小李"},
    )
    # then one batch holds them and the third still waits
    assert response.status_code == 302
    batch = DispatchBatch.objects.get()
    assert batch.items.count() == 2
    assert batch.dispatched_by == desk_user
    assert OutgoingMail.objects.filter(status="waiting").count() == 1
    # and dispatching an already dispatched item comes back as a form error
    response = client.post(
        reverse("mailroom:outgoing_dispatch"), {"items": [items[0].pk], "carrier": "sf"}
    )
    assert response.status_code == 200
    assert response.context["dispatch_form"].errors["items"]


def test_monthly_cost_by_department(client, desk_user, mall):
    now = timezone.now()
    year = timezone.localdate().year
    _log(desk_user, mall, "finance", "10.50", now)
    _log(desk_user, mall, "finance", "12.00", now)
    _log(desk_user, mall, "marketing", "8.00", now)
    _log(desk_user, mall, "finance", "99.00", now - datetime.timedelta(days=400))
    client.force_login(desk_user)
    response = client.get(reverse("mailroom:outgoing_cost"), {"year": year})
    rows = {(r["sender_department"]): (r["items"], r["total"]) for r in response.context["rows"]}
    assert rows == {"finance": (2, Decimal("22.50")), "marketing": (1, Decimal("8.00"))}
    assert client.get(reverse("mailroom:outgoing_cost"), {"year": "abc"}).status_code == 200
