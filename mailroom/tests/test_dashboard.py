"""The mailroom figures on the supervisor dashboard and the counter search."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mailroom import services
from mailroom.tests.factories import SIGNATURE_PNG, make_asset, make_found_item, make_parcel
from mallservice.testing import dashboard_figures, in_chinese

NOW = timezone.make_aware(datetime.datetime(2026, 11, 27, 14, 0))
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _parcels(actor, mall, *, n, age):
    return [make_parcel(actor=actor, mall=mall, now=NOW - age) for _ in range(n)]


def _world(desk_user, mall, n):
    parcels = {
        "fresh": _parcels(desk_user, mall, n=n, age=HOUR),
        "reminded": _parcels(desk_user, mall, n=n, age=4 * DAY),
        "escalated": _parcels(desk_user, mall, n=n, age=8 * DAY),
    }
    services.parcel_reminders_dispatch(now=NOW)
    nearing = [make_found_item(actor=desk_user, mall=mall, now=NOW - 340 * DAY) for _ in range(n)]
    make_found_item(actor=desk_user, mall=mall, now=NOW - DAY)
    loans = {"overdue": [], "out": []}
    for kind, due in (("overdue", NOW - HOUR), ("out", NOW + HOUR)):
        for _ in range(n):
            loans[kind].append(
                services.loan_lend(
                    actor=desk_user,
                    asset=make_asset(actor=desk_user, mall=mall),
                    borrower_name="张女士",
                    borrower_phone="13800138000",
                    deposit_kind="cash",
                    deposit_amount=Decimal("100"),
                    signature_png=SIGNATURE_PNG,
                    due_at=due,
                    now=NOW - 3 * HOUR,
                )
            )
    return parcels, nearing, loans


def _listed(client, url, key="page_obj") -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {obj.pk for obj in response.context[key]}


def test_each_mailroom_figure_counts_its_records_and_links_to_them(
    client, supervisor_user, desk_user, mall, other_mall
):
    # given 2 parcels of each age, 2 found items near their limit, 2 loans
    # overdue and 2 not yet due here, and the same in another mall
    parcels, nearing, loans = _world(desk_user, mall, 2)
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    _world(make_staff(role=Role.DESK, mall=other_mall, username="desk-2"), other_mall, 2)
    # when the supervisor opens the dashboard
    figures = dashboard_figures(client, supervisor_user)
    # then each figure counts this mall's records only
    waiting = figures[in_chinese("Parcels waiting for pick-up")]
    reminded = figures[in_chinese("Parcels overdue, recipient reminded")]
    escalated = figures[in_chinese("Parcels overdue, escalated")]
    found = figures[in_chinese("Found items nearing the retention limit")]
    out = figures[in_chinese("Items lent out")]
    overdue = figures[in_chinese("Lent items overdue")]
    assert (waiting.value, reminded.value, escalated.value) == (6, 2, 2)
    assert (found.value, out.value, overdue.value) == (2, 4, 2)
    # and its link lists exactly those records
    assert _listed(client, waiting.url) == {p.pk for group in parcels.values() for p in group}
    assert _listed(client, reminded.url) == {p.pk for p in parcels["reminded"]}
    assert _listed(client, escalated.url) == {p.pk for p in parcels["escalated"]}
    assert _listed(client, found.url) == {i.pk for i in nearing}
    assert _listed(client, out.url, "open_loans") == {
        loan.pk for group in loans.values() for loan in group
    }
    assert _listed(client, overdue.url, "open_loans") == {loan.pk for loan in loans["overdue"]}


def test_the_dashboard_query_count_does_not_grow_with_mailroom_records(
    client, supervisor_user, desk_user, mall
):
    client.force_login(supervisor_user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboard")).status_code == 200
        return len(queries)

    _world(desk_user, mall, 1)
    count()  # warm caches (permissions, session)
    one = count()
    _world(desk_user, mall, 19)
    assert count() == one


# ------------------------------------------------------------------ search


def test_a_tracking_number_jumps_to_the_parcel(client, desk_user, mall):
    parcel = make_parcel(actor=desk_user, mall=mall, tracking_number="SF1234567890")
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": "sf 1234 567890"})
    assert response.status_code == 302
    assert response.url == reverse("mailroom:parcel_detail", args=[parcel.pk])


def test_a_pickup_code_jumps_to_the_waiting_parcel(client, desk_user, mall):
    parcel = make_parcel(actor=desk_user, mall=mall)
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": parcel.pickup_code})
    assert response.status_code == 302
    assert response.url == reverse("mailroom:parcel_detail", args=[parcel.pk])


def test_a_found_item_number_jumps_to_the_item(client, desk_user, mall):
    item = make_found_item(actor=desk_user, mall=mall, now=NOW)
    assert item.number.startswith("LF")
    client.force_login(desk_user)
    response = client.get(reverse("search"), {"q": item.number.lower()})
    assert response.status_code == 302
    assert response.url == reverse("mailroom:found_detail", args=[item.pk])


def test_desk_staff_find_nothing_of_another_mall(client, desk_user, other_mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="desk-2")
    parcel = make_parcel(actor=other_desk, mall=other_mall, tracking_number="YT9988776655")
    item = make_found_item(actor=other_desk, mall=other_mall, now=NOW)
    client.force_login(desk_user)
    for query in (parcel.tracking_number, parcel.pickup_code, item.number):
        response = client.get(reverse("search"), {"q": query})
        assert response.status_code == 200, query
        kinds = set(response.context["grouped"])
        assert not kinds & {in_chinese("Parcels"), in_chinese("Found items")}
