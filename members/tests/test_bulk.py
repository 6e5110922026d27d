"""members.bulk: many audited rows in one transaction keep their history."""

from __future__ import annotations

import pgtrigger
from django.db import connection, transaction

from members.bulk import quick_audited_writes
from members.models import Member, MemberEvent
from members.tests.factories import MemberFactory


def _setting() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        return cursor.fetchone()[0]


def test_every_row_still_gets_its_history_row(mall, desk_user):
    with transaction.atomic():
        quick_audited_writes()
        assert _setting() == "{}"
        members = Member.objects.bulk_create(
            [
                Member(mall=mall, phone=f"1390000000{i}", name="李华", registered_by=desk_user)
                for i in range(3)
            ]
        )
    events = MemberEvent.objects.filter(pgh_obj__in=members, pgh_label="insert")
    assert events.count() == 3


def test_an_ignore_list_already_set_is_left_alone(mall, desk_user):
    with transaction.atomic(), pgtrigger.ignore("members.Member:insert_insert"):
        quick_audited_writes()
        member = MemberFactory(mall=mall, registered_by=desk_user)
    assert not MemberEvent.objects.filter(pgh_obj=member, pgh_label="insert").exists()
