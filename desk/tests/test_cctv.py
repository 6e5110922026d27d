from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints.tests.factories import make_complaint
from desk.models import FootageReview, FootageReviewEvent
from desk.services.cctv import footage_copy_release, footage_decide, footage_viewing_record
from desk.tests.factories import make_footage, make_incident
from mailroom.tests.factories import make_found_item
from mallservice.audit import Source, actor_context

pytestmark = pytest.mark.django_db


def test_a_request_gets_a_reference_and_waits_for_a_supervisor(desk_user, mall):
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        review = make_footage(actor=desk_user, mall=mall)
    assert review.reference == f"JK-{timezone.localdate().year}-00001"
    assert review.status == FootageReview.Status.REQUESTED
    event = FootageReviewEvent.objects.get(pgh_obj=review, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk
    # the desk cannot approve its own request
    with pytest.raises(PermissionDenied):
        footage_decide(actor=desk_user, review=review, approve=True)


def test_the_window_must_be_in_order_and_not_in_the_future(desk_user, mall):
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        make_footage(
            actor=desk_user,
            mall=mall,
            window_from=now - datetime.timedelta(hours=1),
            window_until=now - datetime.timedelta(hours=2),
        )
    assert exc.value.error_dict["window_until"][0].code == "footagereview_window_in_order"
    with pytest.raises(ValidationError) as exc:
        make_footage(
            actor=desk_user,
            mall=mall,
            window_from=now + datetime.timedelta(hours=1),
            window_until=now + datetime.timedelta(hours=2),
        )
    assert exc.value.error_dict["window_from"][0].code == "future"
    assert not FootageReview.objects.exists()


def test_links_must_be_of_the_same_mall(desk_user, manager_user, mall, other_mall):
    theirs = make_incident(actor=manager_user, mall=other_mall)
    with pytest.raises(ValidationError) as exc:
        make_footage(actor=desk_user, mall=mall, incident=theirs, reason="incident")
    assert exc.value.error_dict["incident"][0].code == "other_mall"
    found = make_found_item(actor=desk_user, mall=mall)
    complaint = make_complaint(actor=desk_user, mall=mall, now=timezone.now())
    review = make_footage(actor=desk_user, mall=mall, found_item=found, complaint=complaint)
    assert review.found_item == found and review.complaint == complaint


def test_a_refusal_needs_its_reason(desk_user, supervisor_user, mall):
    review = make_footage(actor=desk_user, mall=mall)
    with pytest.raises(ValidationError) as exc:
        footage_decide(actor=supervisor_user, review=review, approve=False, reason=" ")
    assert exc.value.error_dict["refusal_reason"][0].code == "footagereview_refusal_has_reason"
    refused = footage_decide(
        actor=supervisor_user, review=review, approve=False, reason="无正当理由"
    )
    assert refused.status == FootageReview.Status.REFUSED and refused.decided_by == supervisor_user
    with pytest.raises(ValidationError):
        footage_viewing_record(actor=desk_user, review=refused, viewers="刘女士")


def test_the_viewing_is_recorded_once_after_approval(desk_user, supervisor_user, mall):
    review = make_footage(actor=desk_user, mall=mall)
    with pytest.raises(ValidationError) as exc:
        footage_viewing_record(actor=desk_user, review=review, viewers="刘女士")
    assert exc.value.code == "not_approved"
    footage_decide(actor=supervisor_user, review=review, approve=True)
    with pytest.raises(ValidationError) as exc:
        footage_viewing_record(actor=desk_user, review=review, viewers=" ")
    assert exc.value.error_dict["viewers"][0].code == "footagereview_viewed_has_viewers"
    viewed = footage_viewing_record(
        actor=desk_user, review=review, viewers="刘女士、安保 王刚", findings="14:05 钱包掉落"
    )
    assert viewed.status == FootageReview.Status.VIEWED and viewed.viewed_with == desk_user
    with pytest.raises(ValidationError):
        footage_viewing_record(actor=desk_user, review=viewed, viewers="刘女士")


def test_a_copy_goes_only_to_the_police_with_their_document(desk_user, supervisor_user, mall):
    customer = footage_decide(
        actor=supervisor_user, review=make_footage(actor=desk_user, mall=mall), approve=True
    )
    with pytest.raises(ValidationError) as exc:
        footage_copy_release(
            actor=supervisor_user, review=customer, received_by="刘女士", police_document_number="X"
        )
    assert exc.value.code == "not_police"
    police = footage_decide(
        actor=supervisor_user,
        review=make_footage(
            actor=desk_user, mall=mall, requester_kind="police", requester_name="派出所 李警官"
        ),
        approve=True,
    )
    with pytest.raises(PermissionDenied):
        footage_copy_release(
            actor=desk_user, review=police, received_by="李警官", police_document_number="X"
        )
    with pytest.raises(ValidationError) as exc:
        footage_copy_release(
            actor=supervisor_user, review=police, received_by="李警官", police_document_number=""
        )
    code = exc.value.error_dict["police_document_number"][0].code
    assert code == "footagereview_copy_to_police_with_document"
    released = footage_copy_release(
        actor=supervisor_user,
        review=police,
        received_by="李警官",
        police_document_number="沪公（刑）调证字〔2026〕1234号",
    )
    assert released.copy_released_by == supervisor_user and released.copy_released_at
    with pytest.raises(ValidationError) as exc:
        footage_copy_release(
            actor=supervisor_user, review=released, received_by="李", police_document_number="Y"
        )
    assert exc.value.code == "already_released"


def test_the_form_finds_a_link_by_its_number_or_says_so(client, desk_user, manager_user, mall):
    incident = make_incident(actor=desk_user, mall=mall)
    client.force_login(desk_user)
    now = timezone.localtime()
    data = {
        "mall": mall.pk,
        "requester_kind": "staff",
        "requester_name": "安保 王刚",
        "reason": "incident",
        "reason_detail": "核实摔倒经过",
        "window_from": (now - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "window_until": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "cameras": "1F-12",
        "incident": "SJ-1999-00001",
    }
    response = client.post(reverse("desk:footage_new"), data)
    assert response.status_code == 200
    assert 'data-testid="error-incident"' in response.content.decode()
    assert not FootageReview.objects.exists()
    response = client.post(
        reverse("desk:footage_new"), {**data, "incident": incident.reference.lower()}
    )
    review = FootageReview.objects.get()
    assert response.status_code == 302 and review.incident == incident


def test_the_list_filters_and_its_query_count_does_not_grow(
    client, desk_user, mall, django_assert_max_num_queries
):
    for _ in range(20):
        make_footage(actor=desk_user, mall=mall)
    make_footage(actor=desk_user, mall=mall, requester_kind="police", requester_name="李警官")
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:footage_list"), {"status": "requested"})
    assert response.status_code == 200 and len(response.context["reviews"]) == 21
    police = client.get(reverse("desk:footage_list"), {"requester_kind": "police"})
    assert [r.requester_name for r in police.context["reviews"]] == ["李警官"]


def test_the_shared_pages_show_reviews_awaiting_approval(client, desk_user, supervisor_user, mall):
    from desk import daily, handover, home, search
    from mallservice.clock import today_bounds
    from mallservice.testing import dashboard_figures, in_chinese

    review = make_footage(actor=desk_user, mall=mall)
    start, _end = today_bounds()
    lines = {
        line.label: line.value
        for line in daily.section(mall=mall, start=start, end=timezone.now()).lines
    }
    assert lines["CCTV footage reviews requested"] == 1
    items = {i.kind: i.count for i in handover.open_items(user=desk_user, mall=mall, now=None)}
    assert items["desk.footage_waiting"] == 1
    # only the supervisor, who decides, is asked on the home page
    assert home.today(desk_user) == []
    assert [(item.count, item.urgent) for item in home.today(supervisor_user)] == [(1, True)]
    figures = dashboard_figures(client, supervisor_user)
    figure = figures[in_chinese("CCTV footage reviews to approve")]
    assert figure.value == 1
    assert [r.pk for r in client.get(figure.url).context["reviews"]] == [review.pk]
    hits = search.search(desk_user, review.reference.lower())
    assert [hit.url for hit in hits if hit.exact] == [review.get_absolute_url()]
