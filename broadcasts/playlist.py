"""What a screen shows now: the schedule-window rules and the player payload.

The payload endpoint is polled by every screen, so it is built from one
cached entry per screen token (the screen and its approved messages that can
run today or carried over from yesterday's overnight window); the time-of-day
filter runs on every request in Python, so a window opening or closing needs
no cache invalidation. Any change to a screen or its messages (a new,
approved, edited or withdrawn message) deletes the entry on commit
(`invalidate_screens`)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from broadcasts.models import Screen, ScreenMessage, ScreenPlacement
from mallservice.clock import local_date

POLL_SECONDS = 15
# Every service that changes what a screen shows drops its entry on commit,
# so a player sees an approval or an edit on its next poll. The TTL only
# bounds a change made some other way (SQL, a lost Redis delete): entry
# age plus one poll stays within the 30 seconds.
CACHE_TTL_SECONDS = POLL_SECONDS


def player_cache_key(token: str) -> str:
    return f"broadcasts:player:{token}"


def is_live(message: dict[str, Any], now: datetime.datetime) -> bool:
    """Whether a message (as a dict of its schedule fields) runs at local
    time `now`.

    An overnight window (from 22:00 until 02:00) belongs to the day it
    starts on: at 01:00 on Tuesday it is Monday's window that is open, so
    Monday must be a play day and inside the date range."""
    local = timezone.localtime(now) if timezone.is_aware(now) else now
    today = local.date()
    moment = local.time()
    start, until = message["time_from"], message["time_until"]
    if start is None or start == until:
        day = today  # all day
    elif start < until:
        if not (start <= moment < until):
            return False
        day = today
    elif moment >= start:
        day = today
    elif moment < until:
        day = today - datetime.timedelta(days=1)
    else:
        return False
    if message["weekdays"] and day.weekday() not in message["weekdays"]:
        return False
    if day < message["starts_on"]:
        return False
    return not (message["ends_on"] is not None and day > message["ends_on"])


def _image_version(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:12]


def player_image_url(token: str, message: dict[str, Any]) -> str:
    if not message["image"]:
        return ""
    url = reverse("broadcasts:player_image", args=[token, message["id"]])
    return f"{url}?v={message['image']}"


def _message_dict(message: ScreenMessage) -> dict[str, Any]:
    return {
        "id": message.pk,
        "title": message.title,
        "text": message.text,
        # Not a URL: stored files are never public. The player gets the image
        # through its token (`player_image_url`); the version changes with
        # the file, so an approved new image is not served from a cache.
        "image": _image_version(message.image.name) if message.image else "",
        "duration": message.duration_seconds,
        "priority": message.priority,
        "emergency": message.is_emergency,
        "starts_on": message.starts_on,
        "ends_on": message.ends_on,
        "weekdays": list(message.weekdays or []),
        "time_from": message.time_from,
        "time_until": message.time_until,
    }


def candidate_messages(screen_ids: Iterable[int], *, day: datetime.date) -> dict[int, list[dict]]:
    """Approved messages placed on the screens that can be live on `day`
    (or in the small hours of it, through yesterday's overnight window):
    one query."""
    screen_ids = list(screen_ids)
    yesterday = day - datetime.timedelta(days=1)
    placements = (
        ScreenPlacement.objects.filter(
            screen_id__in=screen_ids,
            message__state=ScreenMessage.State.APPROVED,
            message__starts_on__lte=day,
        )
        .filter(Q(message__ends_on__isnull=True) | Q(message__ends_on__gte=yesterday))
        .select_related("message")
        .order_by("-message__is_emergency", "-message__priority", "message_id")
    )
    by_screen: dict[int, list[dict]] = {sid: [] for sid in screen_ids}
    for placement in placements:
        by_screen.setdefault(placement.screen_id, []).append(_message_dict(placement.message))
    return by_screen


def live_now(candidates: list[dict], now: datetime.datetime) -> list[dict]:
    """The live messages in display order: emergencies first, then by
    priority (higher first)."""
    # Convert to local time once, not once per message: this runs on every poll.
    local = timezone.localtime(now).replace(tzinfo=None) if timezone.is_aware(now) else now
    live = [m for m in candidates if is_live(m, local)]
    live.sort(key=lambda m: (not m["emergency"], -m["priority"], m["id"]))
    return live


def _screen_entry(token: str, day: datetime.date) -> dict[str, Any] | None:
    entry = cache.get(player_cache_key(token))
    if entry is not None and entry["day"] == day:
        return entry
    screen = (
        Screen.objects.filter(token=token, is_active=True)
        .values("pk", "name", "mall__name")
        .first()
    )
    if screen is None:
        return None
    entry = {
        "day": day,
        "screen": {"id": screen["pk"], "name": screen["name"], "mall": screen["mall__name"]},
        "candidates": candidate_messages([screen["pk"]], day=day)[screen["pk"]],
    }
    cache.set(player_cache_key(token), entry, CACHE_TTL_SECONDS)
    return entry


def _public(message: dict, token: str) -> dict:
    public = {k: message[k] for k in ("id", "title", "text", "duration", "priority", "emergency")}
    public["image"] = player_image_url(token, message)
    return public


def player_payload(token: str, *, now: datetime.datetime | None = None) -> dict | None:
    """The JSON the player polls; None for an unknown or inactive screen."""
    now = now or timezone.now()
    entry = _screen_entry(token, local_date(now))
    if entry is None:
        return None
    live = live_now(entry["candidates"], now)
    emergencies = [_public(m, token) for m in live if m["emergency"]]
    return {
        "screen": entry["screen"],
        "generated_at": now.isoformat(),
        "poll_seconds": POLL_SECONDS,
        "emergency": emergencies[0] if emergencies else None,
        "messages": [_public(m, token) for m in live if not m["emergency"]],
    }


def invalidate_screens(screen_ids: Iterable[int]) -> None:
    tokens = Screen.objects.filter(pk__in=list(screen_ids)).values_list("token", flat=True)
    cache.delete_many([player_cache_key(t) for t in tokens])
