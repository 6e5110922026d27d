from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mailroom.models import FoundItem, ItemClaim, Loan, Parcel, ParcelPickup
from mailroom.tests.factories import make_parcel

pytestmark = pytest.mark.django_db


def test_home_lists_waiting_parcels_and_overdue_loans(client, desk_user, broadcaster_user, mall):
    make_parcel(actor=desk_user, mall=mall, now=timezone.now() - datetime.timedelta(days=1))
    client.force_login(desk_user)
    labels = [item.label for item in client.get(reverse("home")).context["today"]]
    assert "待领取包裹" in labels
    client.force_login(broadcaster_user)
    labels = [item.label for item in client.get(reverse("home")).context["today"]]
    assert "待领取包裹" not in labels


def test_demo_data_covers_every_desk_workflow(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    assert Parcel.objects.filter(status="waiting").exists()
    assert ParcelPickup.objects.exists()
    assert FoundItem.objects.filter(storage="cabinet").exists()
    assert ItemClaim.objects.filter(status="released").exists()
    assert Loan.objects.filter(returned_at__isnull=True).exists()
