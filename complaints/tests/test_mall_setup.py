"""Desk defaults come with the mall (issue 23: "the SLA asked once; desk
defaults created with the mall, never by GET views or dispatchers"), and a
recorded-only SMS says so (issue 25: "已发送" for a notice only recorded)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from complaints.faults.services import DEFAULT_ROUTES, fault_route
from complaints.models import (
    Category,
    DeskSettings,
    FaultRoute,
    SlaPolicy,
    Status,
)
from complaints.services.intake import complaint_receive
from complaints.services.reports import summaries_dispatch
from complaints.sla import DEFAULT_TARGETS, Targets
from complaints.tests.factories import at, make_complaint
from complaints.timeline import describe
from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch
from mallservice.tests.factories import MallFactory

pytestmark = pytest.mark.django_db


def test_a_new_mall_starts_with_its_desk_defaults():
    # when a mall is created
    mall = MallFactory()
    # then its desk has settings, categories, statuses, an SLA policy per
    # severity with the default targets and the default routing table
    assert DeskSettings.objects.filter(mall=mall).exists()
    assert Category.objects.filter(mall=mall).count() == 8
    assert Status.objects.filter(mall=mall, is_default=True).count() == 4
    policies = {
        p.severity: Targets(p.response_minutes, p.resolution_minutes, p.warn_before_minutes)
        for p in SlaPolicy.objects.filter(mall=mall, tier="")
    }
    assert policies == DEFAULT_TARGETS
    routes = dict(FaultRoute.objects.filter(mall=mall).values_list("fault_type", "department"))
    assert routes == DEFAULT_ROUTES


def test_a_default_route_row_keeps_the_urgencys_due_time(mall):
    # given the mall's default row for lighting (no minutes of its own)
    department, plan = fault_route(
        mall=mall, fault_type="lighting", severity="urgent", start=at(27, 11)
    )
    # then the urgency's target applies, as without a row
    assert department == "engineering"
    assert plan.targets == DEFAULT_TARGETS["urgent"]


def test_pages_and_dispatchers_create_no_desk_defaults(client, desk_user, mall):
    # given a mall whose desk settings are gone (a mall from before the desk)
    DeskSettings.objects.filter(mall=mall).delete()
    client.force_login(desk_user)
    # when the intake and fault pages are opened and the dispatchers run
    assert client.get(reverse("complaints:create")).status_code == 200
    assert client.get(reverse("complaints:fault_create")).status_code == 200
    summaries_dispatch(now=at(29, 18))
    # then nothing was created on the way
    assert not DeskSettings.objects.filter(mall=mall).exists()


def test_a_mall_without_settings_still_takes_complaints(desk_user, mall, shop):
    # given no desk settings row: the defaults apply, unsaved
    DeskSettings.objects.filter(mall=mall).delete()
    complaint = complaint_receive(
        actor=desk_user,
        mall=mall,
        channel="desk",
        complainant_name="王先生",
        unit=shop,
        category=Category.objects.get(mall=mall, code="parking"),
        description="车位被占",
        now=at(27, 11),
    )
    assert complaint.reference == "TS-20261127-001"
    assert not DeskSettings.objects.filter(mall=mall).exists()


def test_a_recorded_only_sms_says_it_was_not_sent(desk_user, mall, shop):
    # given a complaint with a phone number; the desk has no SMS channel
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop)
    messages_dispatch(now=at(27, 11) + datetime.timedelta(minutes=1))
    sms = Message.objects.get(source=f"complaint:{complaint.pk}", channel="sms")
    event = complaint.activities.get(code="sms")
    with translation.override("zh-hans"):
        state = str(sms.get_status_display())
        sentence = describe(event)
    # then neither the message's state nor the timeline says "sent"
    assert state == "仅记录，未发送"
    assert "未发送" in sentence and "已发送" not in sentence
