"""The complaints panels of the supervisor dashboard against a known data
set, their links to the filtered list, and the handover hook."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from complaints.dashboard import panels
from complaints.handover import open_items
from complaints.models import Category, Complaint, Status
from complaints.services.closing import complaint_callback, complaint_close
from complaints.services.compensation import compensation_request
from complaints.services.workflow import complaint_set_status, complaint_verify
from complaints.tests.factories import at, make_complaint
from mallservice.tests.factories import FloorFactory

pytestmark = pytest.mark.django_db

NOW = at(27, 16)


def _figures(panel_list, title):
    panel = next(p for p in panel_list if p.title == title)
    return {f.label: f for f in panel.figures}


@pytest.fixture
def known(desk_user, supervisor_user, mall, other_mall):
    """Own mall: 5 complaints — on 2F one warned and one overdue; on 3F one
    paused with a compensation waiting; one closed after a satisfied
    callback, one verified awaiting callback. The other mall: 1 open."""
    f2 = FloorFactory(mall=mall, code="2F", level=2)
    f3 = FloorFactory(mall=mall, code="3F", level=3)
    warned = make_complaint(actor=desk_user, mall=mall, floor=f2, now=at(26, 10))
    overdue = make_complaint(actor=desk_user, mall=mall, floor=f2, now=at(25, 10))
    paused = make_complaint(actor=desk_user, mall=mall, floor=f3, now=at(27, 9))
    closed = make_complaint(actor=desk_user, mall=mall, now=at(20, 10))
    verified = make_complaint(actor=desk_user, mall=mall, now=at(27, 10))
    make_complaint(actor=desk_user, mall=other_mall, now=at(27, 10))
    # SLA states are the escalation dispatcher's job; set them as given.
    Complaint.objects.filter(pk=warned.pk).update(sla_state="warned")
    Complaint.objects.filter(pk=overdue.pk).update(sla_state="escalated")
    pause = Status.objects.get(mall=mall, category="paused", is_default=True)
    complaint_set_status(actor=desk_user, complaint=paused, status=pause, now=at(27, 9, 30))
    compensation_request(
        actor=desk_user, complaint=paused, kind="coupon", amount=Decimal("50"), now=at(27, 9, 40)
    )
    complaint_verify(actor=desk_user, complaint=closed, now=at(21, 10))
    complaint_callback(actor=desk_user, complaint=closed, satisfaction="satisfied", now=at(22, 10))
    complaint_close(actor=desk_user, complaint=closed, now=at(22, 11))
    complaint_verify(actor=desk_user, complaint=verified, now=at(27, 11))
    return {"f2": f2, "f3": f3, "paused_status": pause}


def test_complaint_figures_count_the_supervisors_mall_only(supervisor_user, mall, known):
    # when the supervisor's dashboard is built
    result = panels(user=supervisor_user, malls=[mall], now=NOW)
    figures = _figures(result, "投诉")
    # then the figures are those of the known data set in their mall
    assert figures["未结投诉"].value == 3  # warned, overdue, paused
    assert figures["待回访"].value == 1
    assert figures["即将超时"].value == 1
    assert figures["已超时"].value == 1
    assert figures["待审批的补偿"].value == 1
    assert figures["已暂停"].value == 1


def test_open_complaints_by_status_and_by_floor(supervisor_user, mall, known):
    result = panels(user=supervisor_user, malls=[mall], now=NOW)
    by_floor = _figures(result, "未结投诉（按楼层）")
    assert {k: f.value for k, f in by_floor.items()} == {"2F": 2, "3F": 1}
    by_status = _figures(result, "未结投诉（按状态）")
    assert by_status[known["paused_status"].name].value == 1
    assert sum(f.value for f in by_status.values()) == 3


def test_every_figure_links_to_the_list_that_shows_the_same_number(
    client, supervisor_user, mall, known
):
    client.force_login(supervisor_user)
    result = panels(user=supervisor_user, malls=[mall], now=NOW)
    for panel in result:
        for figure in panel.figures:
            # when the supervisor follows the figure's link
            response = client.get(figure.url)
            # then the list shows as many complaints as the figure said
            assert response.status_code == 200, figure.url
            # (on one page: the list does not count beyond it)
            page = response.context["page_obj"]
            assert not page.has_next() and len(page) == figure.value, figure.label


def test_trend_charts_count_complaints_per_day_by_category_and_callbacks(
    supervisor_user, mall, known
):
    panel = panels(user=supervisor_user, malls=[mall], now=NOW)[0]
    categories, satisfaction = panel.charts
    assert len(categories.labels) == 30 and categories.labels[-1] == "11-27"
    total = sum(sum(ds["data"]) for ds in categories.datasets)
    assert total == 5
    satisfied = next(ds for ds in satisfaction.datasets if ds["label"] == "满意")
    assert satisfied["data"][categories.labels.index("11-22")] == 1
    assert sum(satisfied["data"]) == 1


def test_desk_staff_get_no_complaint_panels_without_the_permission(broadcaster_user, mall, known):
    assert panels(user=broadcaster_user, malls=[mall], now=NOW) == []


def test_handover_lists_open_overdue_and_callbacks_due(desk_user, mall, known):
    items = {i.kind: i for i in open_items(user=desk_user, mall=mall, now=NOW)}
    assert items["complaints.open"].count == 3
    assert items["complaints.overdue"].count == 1
    assert items["complaints.callbacks"].count == 1
    assert items["complaints.compensation"].count == 1
    assert items["complaints.open"].url.startswith(reverse("complaints:list"))


def test_list_filters_compensation_and_overdue(client, supervisor_user, mall, known):
    client.force_login(supervisor_user)
    url = reverse("complaints:list")
    response = client.get(url, {"compensation": "requested", "mall": mall.pk})
    assert [c.state for c in response.context["page_obj"]] == ["new"]
    response = client.get(url, {"sla_state": "overdue", "live": "on"})
    assert len(response.context["page_obj"]) == 1
    assert Category.objects.filter(mall=mall).exists()
