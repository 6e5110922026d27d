"""The returns and CCTV pages label their controls and answer in Chinese."""

from __future__ import annotations

import pytest
from django.urls import reverse

from desk.services.cctv import footage_decide
from desk.tests.factories import make_footage, make_return
from desk.tests.test_pages import _Controls

pytestmark = pytest.mark.django_db


def test_every_register_page_labels_its_controls(client, supervisor_user, mall, shop):
    case = make_return(actor=supervisor_user, mall=mall, unit=shop)
    waiting = make_footage(actor=supervisor_user, mall=mall)
    approved = footage_decide(
        actor=supervisor_user,
        review=make_footage(actor=supervisor_user, mall=mall, requester_kind="police"),
        approve=True,
    )
    client.force_login(supervisor_user)
    urls = [
        reverse("desk:return_list"),
        reverse("desk:return_new"),
        case.get_absolute_url(),
        reverse("desk:return_slip", args=[case.pk]),
        reverse("desk:footage_list"),
        reverse("desk:footage_new"),
        waiting.get_absolute_url(),
        approved.get_absolute_url(),
        reverse("desk:footage_slip", args=[approved.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        scan = _Controls()
        scan.feed(response.content.decode())
        assert scan.unlabelled() == [], url
