from __future__ import annotations

import decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from desk.models import (
    ParkingReceipt,
    ParkingSpendRule,
    ParkingTierHours,
    ParkingValidation,
    ParkingValidationEvent,
)
from desk.services.parking import parking_send, parking_validate
from desk.tests.carpark_server import SECRET, carpark_server
from desk.validators import normalise_plate
from mallservice.audit import Source, actor_context
from members.tests.factories import MemberFactory, TierFactory

pytestmark = pytest.mark.django_db

D = decimal.Decimal


@pytest.fixture
def carpark(settings):
    with carpark_server() as server:
        host, port = server.server_address
        settings.DESK_CARPARK_URL = f"http://{host}:{port}/api"
        settings.DESK_CARPARK_SECRET = SECRET
        yield server


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("沪a·3k721", "沪A3K721"),
        ("沪AD12345", "沪AD12345"),  # new energy, small car
        ("粤B 12345F", "粤B12345F"),  # new energy, large vehicle
        ("京A1234学", "京A1234学"),
    ],
)
def test_plates_are_accepted_as_typed(typed, stored):
    assert normalise_plate(typed) == stored


@pytest.mark.parametrize("typed", ["沪A3K72", "AA3K721", "沪AI2345", "沪AD1234X", "沪A3K7211"])
def test_a_wrong_plate_is_refused(typed):
    with pytest.raises(ValidationError) as exc:
        normalise_plate(typed)
    assert exc.value.code == "invalid_plate"


def test_receipts_give_hours_by_the_default_thresholds_and_reach_the_car_park(
    carpark, desk_user, mall
):
    # given a mall without its own rules (≥200 → 2 h, ≥500 → 4 h)
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        validation = parking_validate(
            actor=desk_user,
            mall=mall,
            plate="沪a·3k721",
            receipts=[("R001", D("320.00")), ("R002", D("199.50"))],
        )
    # then 519.50 yuan gives 4 hours, applied at the car park with its ticket
    assert validation.reference == f"TC-{timezone.localdate().year}-00001"
    assert (validation.spend_amount, validation.spend_hours, validation.hours) == (
        D("519.50"),
        4,
        4,
    )
    assert validation.status == ParkingValidation.Status.APPLIED and validation.applied_at
    assert validation.carpark_reference == "CP000001"
    assert carpark.received == [
        {"mall": mall.code, "reference": validation.reference, "plate": "沪A3K721", "hours": 4}
    ]
    event = ParkingValidationEvent.objects.filter(pgh_obj=validation).latest("pgh_id")
    assert event.pgh_context["user"] == desk_user.pk and event.status == "applied"


def test_a_members_tier_adds_hours_by_the_malls_own_rules(carpark, desk_user, mall):
    gold = TierFactory(mall=mall, code="gold", name="金卡")
    ParkingTierHours.objects.create(mall=mall, tier=gold, hours=3)
    ParkingSpendRule.objects.create(mall=mall, min_amount=100, hours=1)
    member = MemberFactory(mall=mall, tier=gold, registered_by=desk_user)
    validation = parking_validate(
        actor=desk_user, mall=mall, plate="沪AD12345", receipts=[("R9", D("150"))], member=member
    )
    assert (validation.tier_hours, validation.spend_hours, validation.hours) == (3, 1, 4)
    # a member alone, without receipts, gets the tier's hours
    alone = parking_validate(
        actor=desk_user, mall=mall, plate="沪AD12345", receipts=[], member=member
    )
    assert alone.hours == 3


def test_a_receipt_validates_once(carpark, desk_user, mall):
    parking_validate(actor=desk_user, mall=mall, plate="沪A3K721", receipts=[("R1", D("250"))])
    with pytest.raises(ValidationError) as exc:
        parking_validate(
            actor=desk_user,
            mall=mall,
            plate="沪B00001",
            receipts=[("R2", D("250")), ("r1", D("250"))],
        )
    assert exc.value.error_dict["receipts"][0].code == "receipt_used"
    assert ParkingValidation.objects.count() == 1
    # the database holds the rule too
    first = ParkingValidation.objects.get()
    with pytest.raises(Exception, match="parking_receipt_once_in_mall"):
        ParkingReceipt.objects.create(validation=first, mall=mall, receipt_no="R1", amount=1)


def test_too_little_spend_gives_no_hours_and_records_nothing(carpark, desk_user, mall):
    with pytest.raises(ValidationError) as exc:
        parking_validate(actor=desk_user, mall=mall, plate="沪A3K721", receipts=[("R1", D("80"))])
    assert exc.value.error_dict["__all__"][0].code == "parking_hours_positive"
    assert not ParkingValidation.objects.exists() and not carpark.received


def test_a_refusal_or_a_wrong_signature_fails_and_is_sent_again(carpark, settings, desk_user, mall):
    # given a car park that refuses the first send
    carpark.refuse = True
    validation = parking_validate(
        actor=desk_user, mall=mall, plate="沪A3K721", receipts=[("R1", D("600"))]
    )
    assert validation.status == ParkingValidation.Status.FAILED
    assert validation.carpark_message == "车辆不在场" and validation.applied_at is None
    # a desk with the wrong secret is turned away by the signature check
    carpark.refuse = False
    settings.DESK_CARPARK_SECRET = "wrong"
    validation = parking_send(actor=desk_user, validation=validation)
    assert validation.status == ParkingValidation.Status.FAILED
    assert validation.carpark_message == "HTTP 401"
    # when it is sent again with the right secret, it is applied, once
    settings.DESK_CARPARK_SECRET = SECRET
    validation = parking_send(actor=desk_user, validation=validation)
    assert validation.status == ParkingValidation.Status.APPLIED
    assert len(carpark.received) == 2
    with pytest.raises(ValidationError):
        parking_send(actor=desk_user, validation=validation)


def test_an_unreachable_car_park_leaves_a_failed_validation(settings, desk_user, mall):
    with carpark_server() as server:
        host, port = server.server_address
    # the server is gone: nothing listens on its port any more
    settings.DESK_CARPARK_URL = f"http://{host}:{port}"
    validation = parking_validate(
        actor=desk_user, mall=mall, plate="沪A3K721", receipts=[("R1", D("600"))]
    )
    assert validation.status == ParkingValidation.Status.FAILED
    assert validation.carpark_message == "unreachable"


def test_without_a_url_the_console_adapter_applies_it(settings, desk_user, mall):
    settings.DESK_CARPARK_URL = ""
    validation = parking_validate(
        actor=desk_user, mall=mall, plate="沪A3K721", receipts=[("R1", D("600"))]
    )
    assert validation.status == ParkingValidation.Status.APPLIED
    assert validation.carpark_reference == f"LOCAL-{validation.reference}"


def test_the_form_shows_errors_next_to_fields(client, carpark, desk_user, mall):
    client.force_login(desk_user)
    url = reverse("desk:parking_new")
    data = {"mall": mall.pk, "plate": "沪A3K72", "member": "", "receipts": "R1 abc"}
    page = client.post(url, data).content.decode()
    assert 'data-testid="error-plate"' in page and 'data-testid="error-receipts"' in page
    data.update(plate="沪A3K721", member="13900000000", receipts="R1 300")
    page = client.post(url, data).content.decode()
    assert 'data-testid="error-member"' in page
    assert not ParkingValidation.objects.exists()
    data["member"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    assert ParkingValidation.objects.get().hours == 2


def test_the_list_finds_a_plate_and_its_query_count_does_not_grow(
    client, desk_user, mall, settings, django_assert_max_num_queries
):
    settings.DESK_CARPARK_URL = ""
    for n in range(20):
        parking_validate(
            actor=desk_user, mall=mall, plate=f"沪A{n:05d}", receipts=[(f"R{n}", D("300"))]
        )
    client.force_login(desk_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:parking_list"))
    assert len(response.context["validations"]) == 20
    found = client.get(reverse("desk:parking_list"), {"q": "沪a 00007"}).context["validations"]
    assert [v.plate for v in found] == ["沪A00007"]
