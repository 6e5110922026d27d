"""The mailroom lists' filters (`mailroom.filters`): the links of the
dashboard, the home page and the handover checklist still narrow their
list, and a hand-edited invalid value filters nothing and says why next to
its field."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from mailroom import services
from mailroom.tests.factories import make_asset, make_found_item, make_parcel

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 11, 27, 14, 0))
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _listed(response, key="page_obj") -> set[int]:
    assert response.status_code == 200
    return {obj.pk for obj in response.context[key]}


@pytest.fixture
def parcels(desk_user, manager_user, mall, other_mall):
    """Waiting, reminded and returned parcels here, a waiting one there."""
    world = {
        "waiting": make_parcel(actor=desk_user, mall=mall, now=NOW - HOUR),
        "reminded": make_parcel(actor=desk_user, mall=mall, now=NOW - 4 * DAY),
        "returned": make_parcel(actor=desk_user, mall=mall, now=NOW - HOUR),
        "there": make_parcel(actor=manager_user, mall=other_mall, now=NOW - 4 * DAY),
    }
    services.parcel_return(actor=desk_user, parcel=world["returned"], reason="拒收")
    services.parcel_reminders_dispatch(now=NOW)
    return world


def test_the_dashboards_links_still_narrow_the_parcel_list(client, manager_user, mall, parcels):
    client.force_login(manager_user)
    url = reverse("mailroom:parcel_list")
    # the menu's list is the waiting parcels of every mall
    assert _listed(client.get(url)) == {
        parcels[name].pk for name in ("waiting", "reminded", "there")
    }
    # a mall's "reminded" figure lists that mall's reminded parcels
    response = client.get(url, {"status": "waiting", "overdue": "reminded", "mall": mall.pk})
    assert _listed(response) == {parcels["reminded"].pk}
    # and its badge drops the overdue filter, keeping the others
    page = response.content.decode()
    assert 'data-testid="overdue-filter"' in page
    assert f'href="?status=waiting&amp;mall={mall.pk}"' in page
    # the handover's link lists the mall's waiting parcels; "all" any status
    assert _listed(client.get(url, {"status": "waiting", "mall": mall.pk})) == {
        parcels["waiting"].pk,
        parcels["reminded"].pk,
    }
    assert parcels["returned"].pk in _listed(client.get(url, {"status": "all"}))


@pytest.mark.parametrize(
    "params, field",
    [
        ({"mall": "abc"}, "mall"),
        ({"status": "nonsense", "overdue": "reminded"}, "status"),
        ({"overdue": "late"}, "overdue"),
    ],
)
def test_an_invalid_parcel_filter_filters_nothing_and_says_so(
    client, manager_user, parcels, params, field
):
    client.force_login(manager_user)
    response = client.get(reverse("mailroom:parcel_list"), params)
    # every parcel, returned ones too: not even the usual "waiting" applies
    assert _listed(response) == {parcel.pk for parcel in parcels.values()}
    assert f'data-testid="error-{field}"' in response.content.decode()
    assert 'data-testid="overdue-filter"' not in response.content.decode()


@pytest.fixture
def found(desk_user, manager_user, mall, other_mall):
    """Held items here (one near the end of its keeping), one handed to the
    police, and one near its end there."""
    world = {
        "nearing": make_found_item(actor=desk_user, mall=mall, now=NOW - 340 * DAY),
        "held": make_found_item(actor=desk_user, mall=mall, now=NOW - DAY),
        "to_police": make_found_item(actor=desk_user, mall=mall, now=NOW - DAY),
        "there": make_found_item(actor=manager_user, mall=other_mall, now=NOW - 340 * DAY),
    }
    services.found_item_dispose(
        actor=desk_user, item=world["to_police"], outcome="to_police", reference="J-1"
    )
    return world


def test_the_home_and_dashboard_links_still_narrow_the_found_list(
    client, manager_user, mall, found
):
    client.force_login(manager_user)
    url = reverse("mailroom:found_list")
    held = {found[name].pk for name in ("nearing", "held", "there")}
    assert _listed(client.get(url)) == held
    assert _listed(client.get(url, {"view": "nearing"})) == {
        found["nearing"].pk,
        found["there"].pk,
    }
    assert _listed(client.get(url, {"view": "nearing", "mall": mall.pk})) == {found["nearing"].pk}
    assert _listed(client.get(url, {"view": "closed"})) == {found["to_police"].pk}
    # a search keeps the tab it was typed on
    response = client.get(url, {"view": "closed", "q": "钱包"})
    assert _listed(response) == {found["to_police"].pk}
    assert 'name="view" value="closed"' in response.content.decode()


@pytest.mark.parametrize("params, field", [({"mall": "abc"}, "mall"), ({"view": "lost"}, "view")])
def test_an_invalid_found_list_filter_filters_nothing_and_says_so(
    client, manager_user, found, params, field
):
    client.force_login(manager_user)
    response = client.get(reverse("mailroom:found_list"), params)
    assert _listed(response) == {item.pk for item in found.values()}
    assert f'data-testid="error-{field}"' in response.content.decode()


@pytest.fixture
def loans(desk_user, manager_user, mall, other_mall):
    def lend(actor, in_mall, due_at):
        return services.loan_lend(
            actor=actor,
            asset=make_asset(actor=actor, mall=in_mall),
            borrower_name="张女士",
            borrower_phone="13800138000",
            deposit_kind="id_card",
            id_last4="1234",
            due_at=due_at,
            now=NOW - 3 * HOUR,
        )

    return {
        "overdue": lend(desk_user, mall, NOW - HOUR),
        "out": lend(desk_user, mall, NOW + HOUR),
        "there": lend(manager_user, other_mall, NOW - HOUR),
    }


def test_the_handover_links_still_narrow_the_lending_page(client, manager_user, mall, loans):
    client.force_login(manager_user)
    url = reverse("mailroom:loan_list")
    assert _listed(client.get(url), "open_loans") == {loan.pk for loan in loans.values()}
    response = client.get(url, {"mall": mall.pk, "show": "overdue"})
    assert _listed(response, "open_loans") == {loans["overdue"].pk}
    # the mall narrows the items and their overdue count too
    assert {asset.mall_id for asset in response.context["assets"]} == {mall.pk}
    assert response.context["overdue_count"] == 1
    assert response.context["only_overdue"]


@pytest.mark.parametrize("params, field", [({"mall": "abc"}, "mall"), ({"show": "late"}, "show")])
def test_an_invalid_lending_filter_filters_nothing_and_says_so(
    client, manager_user, loans, params, field
):
    client.force_login(manager_user)
    response = client.get(reverse("mailroom:loan_list"), params)
    assert _listed(response, "open_loans") == {loan.pk for loan in loans.values()}
    assert response.context["overdue_count"] == 2
    assert f'data-testid="error-{field}"' in response.content.decode()


def test_the_found_lists_tabs_keep_the_chosen_mall(client, manager_user, mall):
    # given a manager looking at one mall's found items, on page 2
    client.force_login(manager_user)
    page = client.get(reverse("mailroom:found_list"), {"mall": mall.pk, "page": 2})
    # then the "nearing the limit" tab keeps that mall and starts at page 1
    html = page.content.decode()
    assert f'href="?mall={mall.pk}&amp;view=nearing"' in html
    tabs = html.split('class="nav nav-pills', 1)[1].split("</ul>", 1)[0]
    assert "page=" not in tabs
