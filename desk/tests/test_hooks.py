"""The registers on the shared pages: daily report, dashboard, handover,
header search, home."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from desk import daily, handover, home, search
from desk.models import WalkInCategory
from desk.services.incidents import incident_close
from desk.services.walkins import walkin_record
from desk.tests.factories import make_incident
from mallservice.clock import today_bounds
from mallservice.testing import dashboard_figures, in_chinese

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(desk_user, supervisor_user, mall):
    """Three incidents today (one urgent, one closed) and five services."""
    make_incident(actor=desk_user, mall=mall, urgent=True, police_called=True)
    make_incident(actor=desk_user, mall=mall, ambulance_called=True)
    incident_close(
        actor=supervisor_user,
        incident=make_incident(actor=desk_user, mall=mall),
        closing_note="已处理",
    )
    enquiry = WalkInCategory.objects.get(mall=mall, code="enquiry")
    wrap = WalkInCategory.objects.get(mall=mall, code="gift_wrap")
    for category in [enquiry, enquiry, enquiry, wrap, wrap]:
        walkin_record(actor=desk_user, category=category, token=str(uuid.uuid4()))


def test_the_daily_report_counts_incidents_and_lists_top_services(busy_day, mall):
    start, _ = today_bounds()
    section = daily.section(mall=mall, start=start, end=timezone.now())
    lines = {line.label: line.value for line in section.lines}
    assert lines["Incidents recorded"] == 3
    assert lines["Urgent incidents"] == 1
    assert lines["Incidents with police called"] == 1
    assert lines["Incidents with an ambulance called"] == 1
    assert lines["Incidents not closed"] == 2
    assert lines["Walk-in services"] == 5
    # the top categories, busiest first
    assert [line.label for line in section.lines[-2:]] == ["问询", "礼品包装"]


def test_the_dashboard_shows_the_figures_with_their_lists(client, busy_day, supervisor_user):
    figures = dashboard_figures(client, supervisor_user)
    assert figures[in_chinese("Incidents today")].value == 3
    assert figures[in_chinese("Urgent incidents today")].value == 1
    assert figures[in_chinese("Incidents not closed")].value == 2
    assert figures[in_chinese("Walk-in services today")].value == 5
    # and the urgent figure opens the list it counts
    response = client.get(figures[in_chinese("Urgent incidents today")].url)
    assert response.status_code == 200 and len(response.context["incidents"]) == 1


def test_the_handover_lists_open_incidents(busy_day, desk_user, mall):
    found = handover.open_items(user=desk_user, mall=mall, now=timezone.now())
    items = {i.kind: i.count for i in found if i.count}
    assert items == {"desk.incidents_open": 2, "desk.incidents_urgent_open": 1}


def test_the_header_search_jumps_to_a_reference(client, desk_user, mall):
    incident = make_incident(actor=desk_user, mall=mall)
    hits = search.search(desk_user, incident.reference.lower())
    assert [hit.url for hit in hits if hit.exact] == [incident.get_absolute_url()]
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": incident.reference})
    assert response.status_code == 302 and response.url == incident.get_absolute_url()


def test_the_search_does_not_find_another_malls_incident(desk_user, manager_user, other_mall):
    theirs = make_incident(actor=manager_user, mall=other_mall, description="扶梯故障")
    assert search.search(desk_user, theirs.reference) == []
    assert search.search(desk_user, "扶梯故障") == []


def test_home_shows_open_incidents_as_urgent_when_one_is(busy_day, desk_user, broadcaster_user):
    (item,) = home.today(desk_user)
    assert item.count == 2 and item.urgent
    assert home.today(broadcaster_user) == []


def test_an_old_open_incident_still_counts_in_the_report(desk_user, mall):
    earlier = timezone.now() - datetime.timedelta(days=3)
    make_incident(actor=desk_user, mall=mall, occurred_at=earlier)
    start, _ = today_bounds()
    lines = {
        line.label: line.value
        for line in daily.section(mall=mall, start=start, end=timezone.now()).lines
    }
    assert lines["Incidents recorded"] == 0 and lines["Incidents not closed"] == 1


def test_a_pass_waiting_shows_on_home_handover_dashboard_and_is_found_by_code(
    client, desk_user, supervisor_user, mall, shop
):
    from desk.tests.factories import make_pass

    release = make_pass(actor=desk_user, mall=mall, unit=shop)
    assert any(item.count == 1 and item.urgent for item in home.today(desk_user))
    items = {
        i.kind: i.count for i in handover.open_items(user=desk_user, mall=mall, now=timezone.now())
    }
    assert items["desk.passes_waiting"] == 1
    figures = dashboard_figures(client, supervisor_user)
    assert figures[in_chinese("Goods release passes to approve")].value == 1
    hits = search.search(desk_user, release.code.lower())
    assert [hit.url for hit in hits if hit.exact] == [release.get_absolute_url()]
    hits = search.search(desk_user, release.reference)
    assert [hit.url for hit in hits] == [release.get_absolute_url()]
