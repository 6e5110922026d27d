"""The registers' panel on the supervisor dashboard: incidents today and
still open, release passes waiting and the desk's walk-in load today.
Three aggregate queries, whatever the number of records."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from desk.figures import cctv, counter, returns
from desk.permissions import VIEW_WALKINSERVICE
from desk.selectors import incident_list, release_pass_list, walkin_service_list
from mallservice.clock import today_bounds
from mallservice.dashboard import Figure, Panel, list_url
from mallservice.models import Mall


def panels(*, user: Any, malls: list[Mall], now: datetime.datetime) -> list[Panel]:
    start, end = today_bounds(now)
    counter_panels = counter.dashboard_panel(user=user, malls=malls, start=start, end=end)
    if not user.has_perm(VIEW_WALKINSERVICE):
        return counter_panels
    mall_ids = [mall.pk for mall in malls]
    today = Q(occurred_at__gte=start, occurred_at__lt=end)
    incidents = (
        incident_list(user=user)
        .select_related(None)
        .filter(mall_id__in=mall_ids)
        .filter(today | ~Q(status="closed"))
        .aggregate(
            today=Count("pk", filter=today),
            urgent=Count("pk", filter=today & Q(urgent=True)),
            live=Count("pk", filter=~Q(status="closed")),
        )
    )
    services = (
        walkin_service_list(user=user)
        .filter(mall_id__in=mall_ids, at__gte=start, at__lt=end)
        .count()
    )
    waiting = (
        release_pass_list(user=user)
        .select_related(None)
        .filter(mall_id__in=mall_ids, status="requested")
        .count()
    )
    day = f"{start:%Y-%m-%d}"
    return [
        Panel(
            title=_("Incidents and walk-in services"),
            order=60,
            figures=[
                Figure(
                    _("Incidents today"),
                    incidents["today"],
                    list_url("desk:incident_list", malls, day_from=day, day_to=day),
                ),
                Figure(
                    _("Urgent incidents today"),
                    incidents["urgent"],
                    list_url("desk:incident_list", malls, day_from=day, day_to=day, urgent="on"),
                    level="danger" if incidents["urgent"] else "ok",
                ),
                Figure(
                    _("Incidents not closed"),
                    incidents["live"],
                    list_url("desk:incident_list", malls, status="live"),
                    level="warning" if incidents["live"] else "ok",
                ),
                Figure(
                    _("Goods release passes to approve"),
                    waiting,
                    list_url("desk:pass_list", malls, status="requested"),
                    level="warning" if waiting else "ok",
                ),
                Figure(
                    _("Walk-in services today"),
                    services,
                    list_url("desk:walkin_load", malls[:1] if len(malls) == 1 else malls),
                ),
                *returns.dashboard_figures(user=user, malls=malls),
                *cctv.dashboard_figures(user=user, malls=malls),
            ],
        ),
        *counter_panels,
    ]
