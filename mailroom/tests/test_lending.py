from __future__ import annotations

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from mailroom import selectors, services
from mailroom.models import Loan
from mailroom.tests.factories import SIGNATURE_PNG, make_asset
from mallservice.audit import Source, actor_context


def _last_event(obj):
    return Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id").first()


@pytest.mark.django_db
def test_lend_against_an_id_card_and_return_the_deposit_with_the_item(
    client, desk_user, supervisor_user, mall
):
    # given a wheelchair
    asset = make_asset(actor=supervisor_user, mall=mall)
    client.force_login(desk_user)
    due = timezone.localtime() + datetime.timedelta(hours=3)
    # when it is lent against an ID card held at the desk
    response = client.post(
        reverse("mailroom:loan_lend", args=[asset.pk]),
        {
            "borrower_name": "孙阿姨",
            "borrower_phone": "13700001111",
            "deposit_kind": "id_card",
            "id_last4": "062x",
            "due_at": due.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    # then only the ID's last four characters are stored
    assert response.status_code == 302, response.context["form"].errors
    loan = Loan.objects.get()
    assert loan.id_last4 == "062X" and loan.deposit_amount is None
    assert _last_event(loan).pgh_context["user"] == desk_user.pk
    # and the chair shows as lent out
    page = client.get(reverse("mailroom:loan_list"))
    assert list(page.context["open_loans"]) == [loan]
    # when it comes back in good condition
    response = client.post(
        reverse("mailroom:loan_return", args=[loan.pk]),
        {"condition": "good", "deposit_returned": "on"},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.returned_to == desk_user
    assert loan.deposit_returned_at == loan.returned_at


@pytest.mark.django_db
def test_a_cash_deposit_needs_an_amount(desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall, kind="stroller")
    with pytest.raises(ValidationError) as exc:
        services.loan_lend(
            actor=desk_user,
            asset=asset,
            borrower_name="马先生",
            borrower_phone="13600002222",
            deposit_kind="cash",
            due_at=timezone.now() + datetime.timedelta(hours=2),
        )
    assert exc.value.error_dict["deposit_amount"][0].code == "deposit_required"


@pytest.mark.django_db
def test_the_deposit_cannot_be_returned_before_the_item(desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    loan = services.loan_lend(
        actor=desk_user,
        asset=asset,
        borrower_name="马先生",
        borrower_phone="13600002222",
        deposit_kind="cash",
        deposit_amount=Decimal("200"),
        signature_png=SIGNATURE_PNG,
        due_at=timezone.now() + datetime.timedelta(hours=2),
    )
    with pytest.raises(ValidationError):
        services.loan_deposit_return(actor=desk_user, loan=loan)
    # and the database refuses it too
    with pytest.raises(IntegrityError):
        Loan.objects.filter(pk=loan.pk).update(deposit_returned_at=timezone.now())


@pytest.mark.django_db
def test_damage_keeps_the_deposit_until_settled(desk_user, mall):
    asset = make_asset(actor=desk_user, mall=mall)
    loan = services.loan_lend(
        actor=desk_user,
        asset=asset,
        borrower_name="马先生",
        borrower_phone="13600002222",
        deposit_kind="cash",
        deposit_amount=Decimal("300"),
        signature_png=SIGNATURE_PNG,
        due_at=timezone.now() + datetime.timedelta(hours=2),
    )
    with pytest.raises(ValidationError):
        services.loan_return(
            actor=desk_user, loan=loan, condition="damaged", deposit_returned=False
        )
    services.loan_return(
        actor=desk_user, loan=loan, condition="damaged", deposit_returned=False, note="右轮破损"
    )
    loan.refresh_from_db()
    assert loan.deposit_returned_at is None
    services.loan_deposit_return(actor=desk_user, loan=loan)
    loan.refresh_from_db()
    assert loan.deposit_returned_at is not None


@pytest.mark.django_db
def test_overdue_list(client, desk_user, mall, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(6):
        asset = make_asset(actor=desk_user, mall=mall)
        services.loan_lend(
            actor=desk_user,
            asset=asset,
            borrower_name=f"顾客{i}",
            borrower_phone="13600002222",
            deposit_kind="id_card",
            id_last4="1234",
            due_at=now + datetime.timedelta(hours=1 if i % 2 else -1),
            now=now - datetime.timedelta(hours=3),
        )
    assert selectors.loans_overdue(user=desk_user, now=now).count() == 3
    client.force_login(desk_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("mailroom:loan_list"))
    assert response.context["overdue_count"] == 3
    assert response.content.decode().count("table-danger") == 3


@pytest.mark.django_db(transaction=True)
def test_two_desks_cannot_lend_the_same_chair_at_once(desk_user, mall):
    with actor_context(actor_id=desk_user.pk, source=Source.COMMAND):
        asset = make_asset(actor=desk_user, mall=mall)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def lend(name: str) -> None:
        try:
            barrier.wait()
            with actor_context(actor_id=desk_user.pk, source=Source.WEB):
                services.loan_lend(
                    actor=desk_user,
                    asset=asset,
                    borrower_name=name,
                    borrower_phone="13600002222",
                    deposit_kind="cash",
                    deposit_amount=Decimal("100"),
                    signature_png=SIGNATURE_PNG,
                    due_at=timezone.now() + datetime.timedelta(hours=2),
                )
            outcomes.append("lent")
        except ValidationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=lend, args=(n,)) for n in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_lent", "lent"]
    assert Loan.objects.filter(asset=asset).count() == 1
