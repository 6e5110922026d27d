from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints.models import Category, Complaint
from desk.models import ReturnCase, ReturnCaseEvent, ReturnStep
from desk.services.returns import return_escalate, return_settle, return_step_add
from desk.tests.factories import make_return
from mallservice.audit import Source, actor_context
from mallservice.tests.factories import FloorFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_case_gets_a_reference_and_a_normalised_phone(desk_user, mall, shop):
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        case = make_return(actor=desk_user, mall=mall, unit=shop, customer_phone="138 1234 5678")
    assert case.reference == f"TH-{timezone.localdate().year}-00001"
    assert case.customer_phone == "13812345678"
    assert case.status == ReturnCase.Status.OPEN
    event = ReturnCaseEvent.objects.get(pgh_obj=case, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk
    assert make_return(actor=desk_user, mall=mall, unit=shop).reference.endswith("-00002")


def test_another_malls_shop_and_a_future_purchase_are_refused(desk_user, mall, shop, other_mall):
    theirs = UnitFactory(mall=other_mall, floor=FloorFactory(mall=other_mall))
    with pytest.raises(ValidationError) as exc:
        make_return(actor=desk_user, mall=mall, unit=theirs)
    assert exc.value.error_dict["unit"][0].code == "other_mall"
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        make_return(actor=desk_user, mall=mall, unit=shop, purchased_on=tomorrow)
    assert exc.value.error_dict["purchased_on"][0].code == "future"
    assert not ReturnCase.objects.exists()


def test_the_shops_answer_starts_the_mediation(desk_user, mall, shop):
    case = make_return(actor=desk_user, mall=mall, unit=shop)
    step = return_step_add(
        actor=desk_user, case=case, kind=ReturnStep.Kind.SHOP_ANSWER, note="可换 L 码，需吊牌完好"
    )
    case.refresh_from_db()
    assert case.status == ReturnCase.Status.MEDIATING
    assert step.by == desk_user and step.mall_id == mall.pk
    with pytest.raises(ValidationError) as exc:
        return_step_add(actor=desk_user, case=case, kind="mediation", note="  ")
    assert exc.value.error_dict["note"][0].code == "empty"


def test_settling_needs_the_shop_contacts_confirmation(desk_user, mall, shop):
    case = make_return(actor=desk_user, mall=mall, unit=shop)
    with pytest.raises(ValidationError) as exc:
        return_settle(actor=desk_user, case=case, outcome="exchange", shop_contact_name=" ")
    assert exc.value.error_dict["shop_contact_name"][0].code == "returncase_settled_confirmed"
    future = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        return_settle(
            actor=desk_user,
            case=case,
            outcome="exchange",
            shop_contact_name="李店长",
            shop_confirmed_at=future,
        )
    assert exc.value.error_dict["shop_confirmed_at"][0].code == "future"
    settled = return_settle(
        actor=desk_user, case=case, outcome="exchange", shop_contact_name="李店长"
    )
    assert settled.status == ReturnCase.Status.SETTLED and settled.settled_by == desk_user
    assert settled.shop_confirmed_at is not None
    # and a settled case takes no more notes
    with pytest.raises(ValidationError):
        return_step_add(actor=desk_user, case=settled, kind="mediation", note="再次来电")


def test_a_case_becomes_a_complaint_through_the_intake(desk_user, mall, shop):
    case = make_return(actor=desk_user, mall=mall, unit=shop, reason="quality")
    return_step_add(actor=desk_user, case=case, kind="shop_answer", note="不同意退货")
    category = Category.objects.get(mall=mall, code="returns")
    escalated = return_escalate(actor=desk_user, case=case, category=category)
    complaint = Complaint.objects.get()
    assert escalated.complaint == complaint
    assert escalated.status == ReturnCase.Status.ESCALATED
    assert complaint.complainant_name == "王女士" and complaint.unit == shop
    assert case.reference in complaint.description and "不同意退货" in complaint.description
    assert complaint.created_by == desk_user
    # and it cannot be settled afterwards
    with pytest.raises(ValidationError):
        return_settle(actor=desk_user, case=escalated, outcome="refund", shop_contact_name="李")


def test_another_malls_category_is_refused(desk_user, mall, shop, other_mall):
    case = make_return(actor=desk_user, mall=mall, unit=shop)
    theirs = Category.objects.filter(mall=other_mall).first()
    with pytest.raises(ValidationError) as exc:
        return_escalate(actor=desk_user, case=case, category=theirs)
    assert exc.value.error_dict["category"][0].code == "wrong_mall"
    assert not Complaint.objects.exists()


def test_settling_is_refused_without_the_permission(broadcaster_user, desk_user, mall, shop):
    case = make_return(actor=desk_user, mall=mall, unit=shop)
    with pytest.raises(PermissionDenied):
        return_settle(actor=broadcaster_user, case=case, outcome="refund", shop_contact_name="李")


def test_the_form_shows_a_bad_phone_next_to_the_field(client, desk_user, mall, shop):
    client.force_login(desk_user)
    page = client.get(reverse("desk:return_new")).content.decode()
    assert "七日" in page and "三包" in page
    response = client.post(
        reverse("desk:return_new"),
        {
            "mall": mall.pk,
            "unit": shop.pk,
            "customer_name": "王女士",
            "customer_phone": "12345",
            "goods": "羊毛衫",
            "reason": "size",
            "customer_request": "换码",
        },
    )
    assert response.status_code == 200
    assert 'data-testid="error-customer_phone"' in response.content.decode()
    assert not ReturnCase.objects.exists()


def test_the_page_masks_the_phone_and_the_list_filters(client, desk_user, mall, shop):
    case = make_return(actor=desk_user, mall=mall, unit=shop)
    make_return(actor=desk_user, mall=mall, unit=shop, customer_name="赵先生", reason="quality")
    client.force_login(desk_user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    listed = client.get(reverse("desk:return_list"), {"reason": "quality"})
    assert [c.customer_name for c in listed.context["cases"]] == ["赵先生"]
    by_reference = client.get(reverse("desk:return_list"), {"q": case.reference.lower()})
    assert [c.pk for c in by_reference.context["cases"]] == [case.pk]
    bad = client.get(reverse("desk:return_list"), {"reason": "nonsense"})
    assert bad.status_code == 200 and 'data-testid="error-reason"' in bad.content.decode()


def test_the_list_query_count_does_not_grow(
    client, desk_user, mall, shop, django_assert_max_num_queries
):
    for _ in range(20):
        make_return(actor=desk_user, mall=mall, unit=shop)
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:return_list"), {"live": "on"})
    assert response.status_code == 200 and len(response.context["cases"]) == 20


def test_the_shared_pages_count_cases_not_settled_and_find_a_reference(
    client, desk_user, supervisor_user, mall, shop
):
    from desk import daily, handover, home, search
    from mallservice.clock import today_bounds
    from mallservice.testing import dashboard_figures, in_chinese

    case = make_return(actor=desk_user, mall=mall, unit=shop)
    settled = make_return(actor=desk_user, mall=mall, unit=shop)
    return_settle(actor=desk_user, case=settled, outcome="refund", shop_contact_name="李店长")
    start, _end = today_bounds()
    lines = {
        line.label: line.value
        for line in daily.section(mall=mall, start=start, end=timezone.now()).lines
    }
    assert lines["Returns and exchanges received"] == 2
    assert lines["Returns and exchanges settled"] == 1
    assert lines["Returns and exchanges not settled"] == 1
    items = {i.kind: i.count for i in handover.open_items(user=desk_user, mall=mall, now=None)}
    assert items["desk.returns_open"] == 1
    assert [item.count for item in home.today(desk_user)] == [1]
    figures = dashboard_figures(client, supervisor_user)
    figure = figures[in_chinese("Returns and exchanges not settled")]
    assert figure.value == 1
    assert [c.pk for c in client.get(figure.url).context["cases"]] == [case.pk]
    hits = search.search(desk_user, case.reference.lower())
    assert [hit.url for hit in hits if hit.exact] == [case.get_absolute_url()]
