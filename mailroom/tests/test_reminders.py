from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from mailroom import services
from mailroom.models import NoticeKind, Parcel
from mailroom.tasks import parcel_reminders_dispatch_task
from mailroom.tests.factories import SIGNATURE_PNG, make_parcel
from mallservice.audit import Source, actor_context
from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch
from mallservice.services import system_actor_id
from mallservice.tasks import messages_dispatch_task


def _kinds(parcel) -> list[str]:
    return sorted(
        k.removeprefix("mailroom.") for k in parcel.notifications.values_list("kind", flat=True)
    )


@pytest.mark.django_db
def test_reminder_and_escalation_fire_once_each(desk_user, mall, shop, settings):
    # given a parcel received with reminders after 3 days and escalation after 7
    settings.MAILROOM_REMINDER_DAYS = 3
    settings.MAILROOM_ESCALATION_DAYS = 7
    start = timezone.now()
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop, now=start)
    # when the dispatcher runs before the reminder is due
    assert services.parcel_reminders_dispatch(now=start + datetime.timedelta(days=2)) == 0
    # then nothing but the arrival notice exists
    assert _kinds(parcel) == ["arrival"]
    # when it runs after 3 days, twice
    assert (
        services.parcel_reminders_dispatch(now=start + datetime.timedelta(days=3, minutes=1)) == 1
    )
    assert services.parcel_reminders_dispatch(now=start + datetime.timedelta(days=4)) == 0
    # then exactly one reminder
    assert _kinds(parcel) == ["arrival", "reminder"]
    # when it runs after 7 days, again and again
    later = start + datetime.timedelta(days=8)
    assert services.parcel_reminders_dispatch(now=later) == 1
    assert services.parcel_reminders_dispatch(now=later) == 0
    # then exactly one escalation
    assert _kinds(parcel) == ["arrival", "escalation", "reminder"]
    parcel.refresh_from_db()
    assert parcel.reminder_sent_at and parcel.escalation_sent_at


@pytest.mark.django_db
def test_a_collected_parcel_is_not_reminded(desk_user, mall, shop):
    start = timezone.now()
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop, now=start)
    services.parcel_pickup(
        actor=desk_user,
        mall=mall,
        parcel_ids=[parcel.pk],
        collector_name="王磊",
        verification="id_last4",
        id_last4="1111",
        signature_png=SIGNATURE_PNG,
    )
    assert services.parcel_reminders_dispatch(now=start + datetime.timedelta(days=30)) == 0
    assert _kinds(parcel) == ["arrival"]


@pytest.mark.django_db
def test_beat_dispatch_writes_as_the_system_actor(desk_user, mall, shop):
    # given a parcel whose reminder is overdue
    past = timezone.now() - datetime.timedelta(days=4)
    parcel = make_parcel(actor=desk_user, mall=mall, unit=shop, now=past)
    # when beat runs the reminder and outbox dispatchers (eagerly in tests)
    parcel_reminders_dispatch_task.delay()
    messages_dispatch_task.delay()
    # then the reminder exists, was delivered by the default backend, and
    # the parcel's update is attributed to the system actor from Celery
    reminder = parcel.notifications.get(kind=NoticeKind.REMINDER)
    assert reminder.status == Message.Status.RECORDED
    assert reminder.provider == "console"
    event = parcel.pgh_event_model.objects.filter(pgh_obj=parcel, pgh_label="update").latest(
        "pgh_id"
    )
    assert event.pgh_context["user"] == system_actor_id()
    assert event.pgh_context["source"] == Source.CELERY


class _FlakyBackend:
    name = "flaky"
    calls = 0

    def send(self, notification) -> None:
        type(self).calls += 1
        raise ConnectionError("sms gateway down")


@pytest.mark.django_db
def test_a_failing_backend_is_retried_then_marked_failed(desk_user, mall, settings):
    # given an outbox backend that always fails
    settings.NOTIFY_PROVIDERS = {**settings.NOTIFY_PROVIDERS, "sms": f"{__name__}._FlakyBackend"}
    _FlakyBackend.calls = 0
    parcel = make_parcel(actor=desk_user, mall=mall)
    start = timezone.now()
    with actor_context(actor_id=desk_user.pk, source=Source.COMMAND):
        # when the outbox is dispatched repeatedly, a day apart (past any backoff)
        for day in range(settings.NOTIFY_MAX_ATTEMPTS + 2):
            messages_dispatch(now=start + datetime.timedelta(days=day))
    # then it stopped after the maximum attempts and kept the error
    notice = parcel.notifications.get()
    assert notice.status == Message.Status.FAILED
    assert notice.attempts == _FlakyBackend.calls == settings.NOTIFY_MAX_ATTEMPTS
    assert "gateway" in notice.last_error


@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_remind_each_parcel_exactly_once(desk_user, mall):
    # given 20 parcels whose reminder is due
    past = timezone.now() - datetime.timedelta(days=4)
    with actor_context(actor_id=desk_user.pk, source=Source.COMMAND):
        parcels = [make_parcel(actor=desk_user, mall=mall, now=past) for _ in range(20)]
    barrier = threading.Barrier(4)
    counts: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            with actor_context(actor_id=desk_user.pk, source=Source.CELERY):
                counts.append(services.parcel_reminders_dispatch(limit=5))
                counts.append(services.parcel_reminders_dispatch(limit=50))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    # when four workers dispatch at the same moment
    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every parcel got exactly one reminder
    assert not errors
    assert sum(counts) == 20
    assert Message.objects.filter(kind=NoticeKind.REMINDER).count() == 20
    assert (
        Parcel.objects.filter(pk__in=[p.pk for p in parcels], reminder_sent_at__isnull=True).count()
        == 0
    )
