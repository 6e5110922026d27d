"""The entrance display screens (大门显示屏) and the log of what was live
when."""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from broadcasts.models import (
    Screen,
    ScreenLiveRecord,
    new_screen_token,
)
from broadcasts.permissions import ADD_SCREEN, CHANGE_SCREEN
from broadcasts.playlist import candidate_messages, invalidate_screens, live_now, player_cache_key
from broadcasts.services.common import require_perm
from mallservice.clock import local_date
from mallservice.models import Mall, User


@transaction.atomic
def screen_save(
    *,
    actor: User,
    mall: Mall,
    name: str,
    location: str = "",
    is_active: bool = True,
    screen: Screen | None = None,
) -> Screen:
    require_perm(actor, ADD_SCREEN)
    screen = (
        Screen(mall=mall)
        if screen is None
        else Screen.objects.select_for_update().get(pk=screen.pk)
    )
    screen.name, screen.location, screen.is_active = name.strip(), location.strip(), is_active
    screen.full_clean()
    screen.save()
    pk = screen.pk
    transaction.on_commit(lambda: invalidate_screens([pk]))
    return screen


@transaction.atomic
def screen_token_rotate(*, actor: User, screen: Screen) -> Screen:
    """A new secret player URL; the old one stops working at once."""
    require_perm(actor, CHANGE_SCREEN)
    screen = Screen.objects.select_for_update().get(pk=screen.pk)
    old = screen.token
    screen.token = new_screen_token()
    screen.token_rotated_at = timezone.now()
    screen.save(update_fields=["token", "token_rotated_at"])
    transaction.on_commit(lambda: cache.delete(player_cache_key(old)))
    return screen


def screen_live_log_refresh(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Dispatcher: bring the log of what was live when up to date. Opens a
    record for every message live on a screen now and closes those that no
    longer are. Returns (opened, closed)."""
    now = now or timezone.now()
    opened = closed = 0
    with transaction.atomic():
        screens = list(Screen.objects.select_for_update(skip_locked=True).filter(is_active=True))
        if not screens:
            return 0, 0
        by_screen = candidate_messages([s.pk for s in screens], day=local_date(now))
        live = {(s.pk, m["id"]) for s in screens for m in live_now(by_screen[s.pk], now)}
        mall_of = {s.pk: s.mall_id for s in screens}
        open_records = {
            (r.screen_id, r.message_id): r
            for r in ScreenLiveRecord.objects.filter(screen__in=screens, live_until__isnull=True)
        }
        for key, record in open_records.items():
            if key not in live:
                record.live_until = now
                record.save(update_fields=["live_until"])
                closed += 1
        new = [
            ScreenLiveRecord(mall_id=mall_of[sid], screen_id=sid, message_id=mid, live_from=now)
            for sid, mid in live
            if (sid, mid) not in open_records
        ]
        ScreenLiveRecord.objects.bulk_create(new)
        opened = len(new)
    return opened, closed
