"""Demo invoice requests, parking validations and group purchases: a few a
mall, through the same services as the desk (the car park is the console
adapter unless a URL is configured, so nothing leaves the machine)."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.test import override_settings

from desk.services.group_purchases import (
    group_purchase_deliver,
    group_purchase_enquire,
    group_purchase_order,
    group_purchase_quote,
)
from desk.services.invoices import invoice_email, invoice_issue, invoice_refuse, invoice_request
from desk.services.parking import parking_validate

# Taxpayer numbers with a right check character (not real companies).
COMPANIES = [
    ("上海星辰科技有限公司", "91310000MA1FL0X12J"),
    ("杭州云帆贸易有限公司", "91330100MA27Y0AB3G"),
    ("南京和光文化传媒有限公司", ""),
]
PLATES = ["沪A3K721", "沪AD12345", "苏E8M265", "浙A5Q9X1", "沪B77Q05", "沪AF30518"]


def seed(*, mall: Any, desk: list, supervisor: Any, rng: Any, now: datetime.datetime) -> None:
    _invoices(mall, desk, supervisor, rng, now)
    _parking(mall, desk, rng, now)
    _groups(mall, desk, supervisor, rng, now)


def _invoices(mall, desk, supervisor, rng, now) -> None:
    for n in range(6):
        title, taxpayer = COMPANIES[n % len(COMPANIES)]
        request = invoice_request(
            actor=rng.choice(desk),
            mall=mall,
            title=title,
            taxpayer_number=taxpayer,
            amount=decimal.Decimal(rng.randint(300, 8000)),
            email="finance@example.com",
            receipts=f"{mall.code.upper()}-FP{n:04d}-1\n{mall.code.upper()}-FP{n:04d}-2",
            now=now - datetime.timedelta(hours=n * 5),
        )
        if supervisor is None or n < 2:
            continue
        if n == 2:
            invoice_refuse(actor=supervisor, request=request, reason="小票非统一收银，请向店铺索取")
            continue
        issued = invoice_issue(actor=supervisor, request=request)
        if n > 3:
            invoice_email(actor=supervisor, request=issued)


@override_settings(DESK_CARPARK_URL="")
def _parking(mall, desk, rng, now) -> None:
    for n in range(8):
        parking_validate(
            actor=rng.choice(desk),
            mall=mall,
            plate=PLATES[n % len(PLATES)],
            receipts=[
                (
                    f"{mall.code.upper()}-TC{n:04d}",
                    decimal.Decimal(rng.choice([220, 380, 560, 1200])),
                )
            ],
            now=now - datetime.timedelta(hours=n * 3),
        )


def _groups(mall, desk, supervisor, rng, now) -> None:
    for n in range(4):
        company, _taxpayer = COMPANIES[n % len(COMPANIES)]
        purchase = group_purchase_enquire(
            actor=rng.choice(desk),
            mall=mall,
            company=company,
            contact_name="王经理",
            contact_phone=f"1381234{5670 + n}",
            product="gift_card" if n % 2 == 0 else "voucher",
            face_value=500 if n % 2 == 0 else 100,
            quantity=rng.choice([50, 100, 200]),
            budget=decimal.Decimal(40000),
            wanted_on=(now + datetime.timedelta(days=10 + n)).date(),
            now=now - datetime.timedelta(days=n),
        )
        if n == 0:
            continue
        group_purchase_quote(
            actor=desk[0], purchase=purchase, total=decimal.Decimal(38000), terms="95折，含包装"
        )
        if n >= 2:
            ordered = group_purchase_order(actor=desk[0], purchase=purchase)
            if n == 3 and supervisor is not None:
                group_purchase_deliver(actor=supervisor, purchase=ordered)
