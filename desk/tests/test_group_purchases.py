from __future__ import annotations

import datetime
import decimal
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from desk.models import GroupPurchase, GroupPurchaseEvent
from desk.services.group_purchases import (
    group_purchase_cancel,
    group_purchase_deliver,
    group_purchase_order,
    group_purchase_paid,
    group_purchase_quote,
)
from desk.tests.factories import make_group_purchase
from mallservice.audit import Source, actor_context
from mallservice.models import SensitiveAccess

pytestmark = pytest.mark.django_db

D = decimal.Decimal


def test_an_enquiry_is_numbered_and_keeps_the_phone_as_digits(desk_user, mall):
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        purchase = make_group_purchase(actor=desk_user, mall=mall)
    assert purchase.reference == f"TG-{timezone.localdate().year}-00001"
    assert purchase.contact_phone == "13812345678"
    assert purchase.status == GroupPurchase.Status.ENQUIRY and purchase.face_total == 50000
    event = GroupPurchaseEvent.objects.get(pgh_obj=purchase, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk


def test_the_main_path_quote_order_deliver_pay(desk_user, supervisor_user, mall):
    purchase = make_group_purchase(actor=desk_user, mall=mall)
    # the desk cannot order before a quote
    with pytest.raises(ValidationError):
        group_purchase_order(actor=desk_user, purchase=purchase)
    group_purchase_quote(actor=desk_user, purchase=purchase, total=D("49000"), terms="95折")
    quote = group_purchase_quote(actor=desk_user, purchase=purchase, total=D("48000"))
    assert quote.purchase.quoted_total == D("48000") and purchase.quotes.count() == 2
    ordered = group_purchase_order(actor=desk_user, purchase=purchase)
    assert ordered.status == GroupPurchase.Status.ORDERED and ordered.ordered_at
    # delivery and payment are marketing's
    with pytest.raises(PermissionDenied):
        group_purchase_deliver(actor=desk_user, purchase=ordered)
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        delivered = group_purchase_deliver(actor=supervisor_user, purchase=ordered)
    event = GroupPurchaseEvent.objects.filter(pgh_obj=purchase).latest("pgh_id")
    assert event.pgh_context["user"] == supervisor_user.pk and event.status == "delivered"
    paid = group_purchase_paid(actor=supervisor_user, purchase=delivered)
    assert paid.status == GroupPurchase.Status.PAID and paid.paid_at
    with pytest.raises(ValidationError):
        group_purchase_cancel(actor=desk_user, purchase=paid, reason="客户取消")


def test_rules_refuse_a_past_date_a_bad_phone_and_a_cancel_without_reason(desk_user, mall):
    with pytest.raises(ValidationError) as exc:
        make_group_purchase(
            actor=desk_user,
            mall=mall,
            wanted_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert exc.value.error_dict["wanted_on"][0].code == "past"
    with pytest.raises(ValidationError) as exc:
        make_group_purchase(actor=desk_user, mall=mall, contact_phone="12345")
    assert exc.value.code == "invalid_mobile"
    purchase = make_group_purchase(actor=desk_user, mall=mall)
    with pytest.raises(ValidationError) as exc:
        group_purchase_cancel(actor=desk_user, purchase=purchase, reason=" ")
    assert exc.value.error_dict["reason"][0].code == "required"
    assert GroupPurchase.objects.get().status == GroupPurchase.Status.ENQUIRY


def test_the_form_shows_errors_next_to_fields_and_the_phone_is_masked(client, desk_user, mall):
    client.force_login(desk_user)
    data = {
        "mall": mall.pk,
        "company": "某某公司",
        "contact_name": "王经理",
        "contact_phone": "1381234",
        "product": "voucher",
        "face_value": 100,
        "quantity": 0,
        "wanted_on": f"{timezone.localdate():%Y-%m-%d}",
    }
    page = client.post(reverse("desk:group_new"), data).content.decode()
    assert 'data-testid="error-contact_phone"' in page and 'data-testid="error-quantity"' in page
    data.update(contact_phone="13812345678", quantity=50)
    response = client.post(reverse("desk:group_new"), data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    purchase = GroupPurchase.objects.get()
    revealed = client.post(reverse("desk:group_phone", args=[purchase.pk]))
    assert "13812345678" in revealed.content.decode()
    assert SensitiveAccess.objects.filter(kind="reveal", actor=desk_user).exists()


def test_the_month_list_and_its_export_for_marketing(client, desk_user, supervisor_user, mall):
    first = make_group_purchase(actor=desk_user, mall=mall)
    group_purchase_quote(actor=desk_user, purchase=first, total=D("48000"))
    group_purchase_order(actor=desk_user, purchase=first)
    make_group_purchase(actor=desk_user, mall=mall, company="=HYPERLINK()")  # not ordered
    client.force_login(supervisor_user)
    month = f"{timezone.localdate():%Y-%m}"
    page = client.get(reverse("desk:group_month"), {"month": month})
    assert [p.reference for p in page.context["purchases"]] == [first.reference]
    assert page.context["totals"] == {
        "orders": 1,
        "face_total": 50000,
        "quoted_total": D("48000"),
    }
    bad = client.get(reverse("desk:group_month"), {"month": "2026-13"}).content.decode()
    assert 'data-testid="error-month"' in bad
    export = client.get(reverse("desk:group_month_export"), {"month": month})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == first.reference and rows[1][3] == "138****5678"
    assert len(rows) == 2
    assert SensitiveAccess.objects.filter(kind="export", actor=supervisor_user).exists()
    # desk staff do not see marketing's month
    client.force_login(desk_user)
    assert client.get(reverse("desk:group_month")).status_code == 403


def test_the_list_filters_and_its_query_count_does_not_grow(
    client, desk_user, mall, django_assert_max_num_queries
):
    for n in range(20):
        make_group_purchase(actor=desk_user, mall=mall, company=f"公司{n}")
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:group_list"), {"status": "live"})
    assert len(response.context["purchases"]) == 20
    found = client.get(reverse("desk:group_list"), {"q": "公司7"}).context["purchases"]
    assert [p.company for p in found] == ["公司7"]
