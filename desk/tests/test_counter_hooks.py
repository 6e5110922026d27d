"""Invoice requests, parking validations and group purchases on the shared
pages: daily report, dashboard, handover, header search, home."""

from __future__ import annotations

import decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from desk import daily, handover, home, search
from desk.services.group_purchases import group_purchase_order, group_purchase_quote
from desk.services.parking import parking_validate
from desk.tests.carpark_server import carpark_server
from desk.tests.factories import make_group_purchase, make_invoice
from mallservice.clock import today_bounds
from mallservice.testing import dashboard_figures, in_chinese

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter_day(settings, desk_user, mall):
    """Two invoice requests waiting, one parking validation applied and one
    the car park refused (no car park answers: a 401 from a wrong
    secret), one group purchase ordered and one enquiry."""
    make_invoice(actor=desk_user, mall=mall)
    make_invoice(actor=desk_user, mall=mall, receipts="R100")
    settings.DESK_CARPARK_URL = ""
    parking_validate(
        actor=desk_user, mall=mall, plate="沪A3K721", receipts=[("P1", decimal.Decimal(300))]
    )
    with carpark_server() as server:
        host, port = server.server_address
        settings.DESK_CARPARK_URL = f"http://{host}:{port}/api"
        settings.DESK_CARPARK_SECRET = "wrong"
        parking_validate(
            actor=desk_user, mall=mall, plate="沪AD12345", receipts=[("P2", decimal.Decimal(600))]
        )
    ordered = make_group_purchase(actor=desk_user, mall=mall)
    group_purchase_quote(actor=desk_user, purchase=ordered, total=decimal.Decimal(48000))
    group_purchase_order(actor=desk_user, purchase=ordered)
    make_group_purchase(actor=desk_user, mall=mall)


def test_the_daily_report_counts_the_counter_registers(counter_day, mall):
    start, _ = today_bounds()
    section = daily.section(mall=mall, start=start, end=timezone.now())
    lines = {line.label: line.value for line in section.lines}
    assert lines["Invoice requests recorded"] == 2
    assert lines["Invoice requests awaiting finance"] == 2
    assert lines["Parking validations"] == 2
    assert lines["Free parking hours given"] == 6
    assert lines["Parking validations the car park did not accept"] == 1
    assert lines["Group purchase enquiries"] == 2
    assert lines["Group purchases handed to marketing"] == 1


def test_the_dashboard_figures_open_the_lists_they_count(client, counter_day, supervisor_user):
    figures = dashboard_figures(client, supervisor_user)
    assert figures[in_chinese("Invoice requests awaiting finance")].value == 2
    assert figures[in_chinese("Parking validations today")].value == 2
    failed = figures[in_chinese("Parking validations the car park did not accept")]
    assert failed.value == 1
    assert figures[in_chinese("Group purchases to deliver")].value == 1
    assert figures[in_chinese("Group purchases not finished")].value == 2
    response = client.get(failed.url)
    assert response.status_code == 200 and len(response.context["validations"]) == 1


def test_the_handover_and_home_show_what_is_left(
    client, counter_day, desk_user, supervisor_user, mall
):
    found = handover.open_items(user=supervisor_user, mall=mall, now=timezone.now())
    items = {i.kind: i.count for i in found}
    # each item links to the list of exactly what it counts
    client.force_login(supervisor_user)
    to_deliver = next(i for i in found if i.kind == "desk.groups_to_deliver")
    assert len(client.get(to_deliver.url).context["purchases"]) == to_deliver.count
    assert items["desk.invoices_waiting"] == 2
    assert items["desk.parking_failed"] == 1
    assert items["desk.groups_to_deliver"] == 1
    # desk staff hand over the failed send, not finance's or marketing's queues
    kinds = {i.kind for i in handover.open_items(user=desk_user, mall=mall, now=timezone.now())}
    assert "desk.parking_failed" in kinds and "desk.invoices_waiting" not in kinds
    counts = {item.label: item.count for item in home.today(supervisor_user)}
    assert counts[in_chinese("Invoice requests awaiting finance")] == 2
    assert counts[in_chinese("Group purchases to deliver or collect payment for")] == 1


def test_the_search_jumps_to_a_reference_and_finds_a_plate(
    client, desk_user, manager_user, mall, other_mall
):
    invoice = make_invoice(actor=desk_user, mall=mall)
    purchase = make_group_purchase(actor=desk_user, mall=mall)
    validation = parking_validate(
        actor=desk_user, mall=mall, plate="沪A3K721", receipts=[("P1", decimal.Decimal(300))]
    )
    for record in (invoice, purchase, validation):
        hits = search.search(desk_user, record.reference.lower())
        assert [hit.url for hit in hits if hit.exact] == [record.get_absolute_url()]
    hits = search.search(desk_user, "沪a·3k721")
    assert [hit.url for hit in hits] == [validation.get_absolute_url()]
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": invoice.reference})
    assert response.status_code == 302 and response.url == invoice.get_absolute_url()
    # another mall's record is not found (numbers run per mall: their second)
    make_invoice(actor=manager_user, mall=other_mall)
    theirs = make_invoice(actor=manager_user, mall=other_mall, receipts="X1")
    assert search.search(desk_user, theirs.reference) == []
