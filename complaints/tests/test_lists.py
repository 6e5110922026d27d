"""The desk's long lists (complaints, phone log, fault reports): pages
without counting the list, the same number of queries whatever the page
size or depth, and date filters in local days."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.faults.views import FaultListView
from complaints.services.phone_log import phone_call_log
from complaints.tests.factories import at, make_complaint, make_fault
from complaints.views.calls import PhoneCallListView
from complaints.views.cases import ComplaintListView


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def _page_size(monkeypatch, size):
    for view in (ComplaintListView, PhoneCallListView, FaultListView):
        monkeypatch.setattr(view, "paginate_by", size)


@pytest.fixture
def twelve_complaints(desk_user, mall, shop):
    return [
        make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(20 + i // 4, 11 + i % 4))
        for i in range(12)
    ]


def test_pages_follow_each_other_without_gaps_or_a_count(
    client, desk_user, twelve_complaints, monkeypatch
):
    # given twelve complaints and five to a page
    _page_size(monkeypatch, 5)
    client.force_login(desk_user)
    url = reverse("complaints:list")
    # when the desk pages through the list
    pages = [_get(client, f"{url}?page={n}")[0] for n in (1, 2, 3)]
    # then the pages hold every complaint once, newest first
    seen = [c.reference for page in pages for c in page.context["complaints"]]
    newest_first = sorted(twelve_complaints, key=lambda c: c.received_at, reverse=True)
    assert seen == [c.reference for c in newest_first]
    # and only the last page has no next link; none of them counted the list
    assert [page.context["page_obj"].has_next() for page in pages] == [True, True, False]
    assert b"page=2" in pages[0].content and b"page=4" not in pages[2].content
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    # and a page past the end is empty, with a way back
    past, _n = _get(client, f"{url}?page=9")
    assert list(past.context["complaints"]) == [] and b"page=8" in past.content
    assert _get(client, f"{url}?page=x")[0].context["page_obj"].number == 1


@pytest.mark.parametrize("name", ["complaints:list", "complaints:calls", "complaints:fault_list"])
def test_a_list_runs_the_same_queries_whatever_the_page_size_or_depth(
    client, desk_user, mall, shop, monkeypatch, name
):
    # given twelve records of each list
    for i in range(12):
        now = at(20 + i // 4, 11 + i % 4)
        make_complaint(actor=desk_user, mall=mall, unit=shop, now=now)
        phone_call_log(actor=desk_user, mall=mall, topic="inquiry", phone="13812345678", now=now)
        make_fault(actor=desk_user, mall=mall, unit=shop, now=now)
    client.force_login(desk_user)
    url = reverse(name)
    client.get(url)  # warm caches (content types, session)
    # when the list is read with pages of 5 (full, partial, past the end)
    # and of 50 (everything on one page)
    counts = []
    for size, page in [(5, 1), (5, 3), (5, 9), (50, 1)]:
        _page_size(monkeypatch, size)
        response, n = _get(client, f"{url}?page={page}")
        counts.append(n)
    # then every read ran the same number of queries
    assert len(set(counts)) == 1, counts


def test_date_filter_counts_local_days(client, desk_user, mall, shop):
    # given a complaint at 23:30 on the 27th and one at 00:30 on the 28th
    # (local time; 15:30 and 16:30 UTC on the 27th)
    late = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(27, 23, 30))
    early = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(28, 0, 30))
    client.force_login(desk_user)
    url = reverse("complaints:list")

    def listed(query):
        return [c.pk for c in _get(client, f"{url}?{query}")[0].context["complaints"]]

    # then each falls on its own local day
    assert listed("received_from=2026-11-27&received_to=2026-11-27") == [late.pk]
    assert listed("received_from=2026-11-28&received_to=2026-11-28") == [early.pk]
    assert listed("received_from=2026-11-27") == [early.pk, late.pk]


def test_free_text_finds_a_name_or_a_reference(client, desk_user, mall, shop):
    # given complaints by 王芳, 李王芳 and 王芳芳
    wang = make_complaint(actor=desk_user, mall=mall, unit=shop, complainant_name="王芳")
    li = make_complaint(actor=desk_user, mall=mall, unit=shop, complainant_name="李王芳")
    wang2 = make_complaint(actor=desk_user, mall=mall, unit=shop, complainant_name="王芳芳")
    client.force_login(desk_user)
    url = reverse("complaints:list")

    def found(text):
        response = _get(client, f"{url}?q={text}")[0]
        return {c.pk for c in response.context["complaints"]}

    # then two characters are the start of a name (a surname and one more)
    assert found("王芳") == {wang.pk, wang2.pk}
    # three or more are anywhere in it
    assert found("李王芳") == {li.pk} and found("王芳芳") == {wang2.pk}
    # anything else is (part of) a reference, in any case
    assert found(li.reference.lower()) == {li.pk}
    assert found("20261127-00") == {wang.pk, li.pk, wang2.pk}


def test_the_shop_and_floor_filters_narrow_the_lists(client, desk_user, mall, floor, shop):
    # given a complaint and a fault at 优衣库 and one of each at another shop
    from mallservice.tests.factories import FloorFactory, UnitFactory

    upstairs = FloorFactory(mall=mall, code="2F", name="二层", level=2)
    cafe = UnitFactory(floor=upstairs, mall=mall, name="星巴克")
    here = make_complaint(actor=desk_user, mall=mall, unit=shop)
    make_complaint(actor=desk_user, mall=mall, unit=cafe)
    fault = make_fault(actor=desk_user, mall=mall, unit=shop)
    make_fault(actor=desk_user, mall=mall, unit=cafe)
    client.force_login(desk_user)
    # when the lists are filtered by the shop, and by its floor
    complaints = _get(client, reverse("complaints:list") + f"?unit={shop.pk}")[0]
    faults = _get(client, reverse("complaints:fault_list") + f"?floor={floor.pk}")[0]
    # then only that shop's records are listed
    assert [c.pk for c in complaints.context["complaints"]] == [here.pk]
    assert [f.pk for f in faults.context["faults"]] == [fault.pk]
