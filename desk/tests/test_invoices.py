from __future__ import annotations

import decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from desk.models import InvoiceReceipt, InvoiceRequest, InvoiceRequestEvent
from desk.services.invoices import invoice_email, invoice_issue, invoice_refuse
from desk.tests.factories import USCC, make_invoice
from desk.validators import normalise_taxpayer_number
from mallservice.audit import Source, actor_context

pytestmark = pytest.mark.django_db


def test_a_request_gets_a_reference_and_holds_its_receipts(desk_user, mall):
    # given the desk, when it records a request for two receipts
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        request = make_invoice(actor=desk_user, mall=mall, receipts="r001, R002 r001")
    # then it is numbered FP-, awaits finance, and holds each receipt once
    assert request.reference == f"FP-{timezone.localdate().year}-00001"
    assert request.status == InvoiceRequest.Status.REQUESTED
    assert list(request.receipts.values_list("receipt_no", flat=True)) == ["R001", "R002"]
    event = InvoiceRequestEvent.objects.get(pgh_obj=request, pgh_label="insert")
    assert event.pgh_context["user"] == desk_user.pk


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("91350100m000100y43", USCC),
        (" 9135 0100-M000 100Y43 ", USCC),
        ("310101123456789", "310101123456789"),  # an older 15-character number
    ],
)
def test_taxpayer_numbers_are_accepted_as_typed(typed, stored):
    assert normalise_taxpayer_number(typed) == stored


@pytest.mark.parametrize(
    "typed", ["91350100M000100Y44", "9135010OM000100Y43", "12345", "上海某某公司123456789"]
)
def test_a_wrong_taxpayer_number_is_refused(desk_user, mall, typed):
    with pytest.raises(ValidationError) as exc:
        make_invoice(actor=desk_user, mall=mall, taxpayer_number=typed)
    assert exc.value.code == "invalid_taxpayer_number"
    assert not InvoiceRequest.objects.exists()


def test_the_same_receipt_twice_is_refused_until_the_first_request_is_refused(
    desk_user, supervisor_user, mall, other_mall
):
    first = make_invoice(actor=desk_user, mall=mall)
    with pytest.raises(ValidationError) as exc:
        make_invoice(actor=desk_user, mall=mall, receipts="R009\nr002")
    assert exc.value.error_dict["receipts"][0].code == "receipt_taken"
    assert "R002" in exc.value.error_dict["receipts"][0].message
    assert InvoiceRequest.objects.count() == 1
    # another mall's receipt numbers are its own
    make_invoice(actor=supervisor_user, mall=other_mall)
    # once the first request is refused, the receipts may be asked for again
    invoice_refuse(actor=supervisor_user, request=first, reason="小票非统一收银")
    again = make_invoice(actor=desk_user, mall=mall)
    assert again.receipts.count() == 2


def test_the_database_refuses_a_receipt_held_twice(desk_user, mall):
    # the constraint decides when two desks race past the check
    first = make_invoice(actor=desk_user, mall=mall)
    with pytest.raises(Exception, match="invoice_receipt_once_in_mall"):
        InvoiceReceipt.objects.create(request=first, mall=mall, receipt_no="R001")


def test_finance_issues_then_emails(desk_user, supervisor_user, mall):
    request = make_invoice(actor=desk_user, mall=mall)
    # desk staff are not the finance contact
    with pytest.raises(PermissionDenied):
        invoice_issue(actor=desk_user, request=request)
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        issued = invoice_issue(actor=supervisor_user, request=request)
    assert issued.status == InvoiceRequest.Status.ISSUED
    assert issued.invoice_number == f"LOCAL-{request.reference}"
    assert issued.decided_by == supervisor_user
    event = InvoiceRequestEvent.objects.filter(pgh_obj=request).latest("pgh_id")
    assert event.pgh_context["user"] == supervisor_user.pk and event.status == "issued"
    emailed = invoice_email(actor=supervisor_user, request=issued)
    assert emailed.status == InvoiceRequest.Status.EMAILED and emailed.emailed_at
    # an e-mailed invoice is not refused afterwards
    with pytest.raises(ValidationError) as exc:
        invoice_refuse(actor=supervisor_user, request=emailed, reason="x")
    assert exc.value.code == "invalid_transition"


class RecordingEInvoice:
    issued: list[str] = []

    def issue(self, *, request):
        from desk.einvoice import IssuedInvoice

        self.issued.append(request.reference)
        return IssuedInvoice(number="24312000000012345678")

    def send(self, *, request):
        pass


def test_the_adapter_is_chosen_by_setting(settings, desk_user, supervisor_user, mall):
    settings.DESK_EINVOICE_ADAPTER = "desk.tests.test_invoices.RecordingEInvoice"
    request = make_invoice(actor=desk_user, mall=mall)
    issued = invoice_issue(actor=supervisor_user, request=request)
    assert issued.invoice_number == "24312000000012345678"
    assert RecordingEInvoice.issued[-1] == request.reference


def test_a_refusal_needs_its_reason(desk_user, supervisor_user, mall):
    request = make_invoice(actor=desk_user, mall=mall)
    with pytest.raises(ValidationError) as exc:
        invoice_refuse(actor=supervisor_user, request=request, reason="  ")
    assert exc.value.error_dict["refusal_reason"][0].code == "invoice_refusal_has_reason"
    request.refresh_from_db()
    assert request.status == InvoiceRequest.Status.REQUESTED
    assert request.receipts.filter(held=True).count() == 2


def test_the_form_shows_each_error_next_to_its_field(client, desk_user, mall):
    client.force_login(desk_user)
    make_invoice(actor=desk_user, mall=mall)
    data = {
        "mall": mall.pk,
        "title": "某某公司",
        "taxpayer_number": "123",
        "amount": "100",
        "receipts": "R001",
        "email": "a@example.com",
    }
    page = client.post(reverse("desk:invoice_new"), data).content.decode()
    assert 'data-testid="error-taxpayer_number"' in page and "统一社会信用代码" in page
    data["taxpayer_number"] = USCC
    page = client.post(reverse("desk:invoice_new"), data).content.decode()
    assert 'data-testid="error-receipts"' in page and "R001" in page
    assert InvoiceRequest.objects.count() == 1
    data["receipts"] = "R003"
    response = client.post(reverse("desk:invoice_new"), data)
    assert response.status_code == 302
    assert InvoiceRequest.objects.get(receipts__receipt_no="R003").amount == decimal.Decimal(100)


def test_the_list_filters_and_its_query_count_does_not_grow(
    client, desk_user, mall, django_assert_max_num_queries
):
    for n in range(20):
        make_invoice(actor=desk_user, mall=mall, receipts=f"A{n}")
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:invoice_list"), {"status": "requested"})
    assert len(response.context["invoices"]) == 20
    found = client.get(reverse("desk:invoice_list"), {"q": "a7"}).context["invoices"]
    assert [i.receipts.get().receipt_no for i in found] == ["A7"]
    bad = client.get(reverse("desk:invoice_list"), {"status": "nonsense"})
    assert 'data-testid="error-status"' in bad.content.decode()
    assert len(bad.context["invoices"]) == 20
