from __future__ import annotations

from django.urls import reverse

from members.models import Card, CardBatch, CardBatchEvent


def test_manager_receives_a_card_batch_in_the_admin(client, manager_user, mall):
    client.force_login(manager_user)
    response = client.post(
        reverse("admin:members_cardbatch_add"),
        {
            "mall": mall.pk,
            "code": "B-2026-11",
            "received_on": "2026-11-27",
            "note": "",
            "first_number": 7700000001,
            "count": 50,
            "width": 10,
        },
    )
    assert response.status_code == 302, response.content[:3000]
    batch = CardBatch.objects.get()
    assert Card.objects.filter(batch=batch, status="stock").count() == 50
    assert CardBatchEvent.objects.get(pgh_obj=batch).pgh_context["user"] == manager_user.pk
    # the same numbers again are refused on the form, not with a 500
    response = client.post(
        reverse("admin:members_cardbatch_add"),
        {
            "mall": mall.pk,
            "code": "B-2026-12",
            "received_on": "2026-11-27",
            "first_number": 7700000040,
            "count": 5,
            "width": 10,
        },
    )
    assert response.status_code == 200 and CardBatch.objects.count() == 1
