"""The mailroom's panel on the supervisor dashboard (issue 8): parcels
waiting and overdue, found items near their retention limit, lent items
overdue. Three aggregate queries, whatever the number of records."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from mailroom import permissions as perms
from mailroom import selectors
from mailroom.models import Parcel
from mallservice.dashboard import Figure, Panel, list_url
from mallservice.models import Mall


def _level(count: int, level: str) -> str:
    return level if count else "ok"


def panels(*, user: Any, malls: list[Mall], now: datetime.datetime) -> list[Panel]:
    mall_ids = [mall.pk for mall in malls]
    figures: list[Figure] = []
    if user.has_perm(perms.VIEW_PARCEL):
        parcels = (
            selectors.parcel_list(user=user)
            # Every figure counts waiting parcels: read only those (an index).
            .filter(mall_id__in=mall_ids, status=Parcel.Status.WAITING)
            .aggregate(
                waiting=Count("pk"),
                reminded=Count("pk", filter=selectors.parcel_overdue_q("reminded")),
                escalated=Count("pk", filter=selectors.parcel_overdue_q("escalated")),
            )
        )
        url = "mailroom:parcel_list"
        figures += [
            Figure(
                _("Parcels waiting for pick-up"),
                parcels["waiting"],
                list_url(url, malls, status="waiting"),
            ),
            Figure(
                _("Parcels overdue, recipient reminded"),
                parcels["reminded"],
                list_url(url, malls, status="waiting", overdue="reminded"),
                _level(parcels["reminded"], "warning"),
            ),
            Figure(
                _("Parcels overdue, escalated"),
                parcels["escalated"],
                list_url(url, malls, status="waiting", overdue="escalated"),
                _level(parcels["escalated"], "danger"),
            ),
        ]
    if user.has_perm(perms.VIEW_FOUNDITEM):
        nearing = (
            selectors.found_items_nearing_limit(user=user, now=now)
            .filter(mall_id__in=mall_ids)
            .count()
        )
        figures.append(
            Figure(
                _("Found items nearing the retention limit"),
                nearing,
                list_url("mailroom:found_list", malls, view="nearing"),
                _level(nearing, "warning"),
            )
        )
    if user.has_perm(perms.VIEW_LOAN):
        loans = (
            selectors.loans_open(user=user)
            .filter(mall_id__in=mall_ids)
            .aggregate(out=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now)))
        )
        url = "mailroom:loan_list"
        figures += [
            Figure(_("Items lent out"), loans["out"], list_url(url, malls)),
            Figure(
                _("Lent items overdue"),
                loans["overdue"],
                list_url(url, malls, show="overdue"),
                _level(loans["overdue"], "danger"),
            ),
        ]
    if not figures:
        return []
    return [Panel(title=_("Mailroom and lost property"), order=50, figures=figures)]
