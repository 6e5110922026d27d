"""The broadcaster's queue, the "aired" button of a routine broadcast and
the routine log."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from broadcasts import selectors
from broadcasts.filters import RoutineAiringFilter
from broadcasts.models import RoutineAiring
from broadcasts.permissions import (
    AIR_ANNOUNCEMENT,
    APPROVE_ANNOUNCEMENT,
    VIEW_ANNOUNCEMENT,
    VIEW_ROUTINEAIRING,
)
from broadcasts.services.routine import routine_airing_mark_aired, routine_airings_ensure
from mallservice.clock import local_date
from mallservice.pagination import page_of
from mallservice.selectors import mall_list
from mallservice.views import DeskView, ServiceActionView


def _routine_airings_ensure_once(user: Any, day: datetime.date) -> None:
    """Today's routine airings, if the dispatcher has not made them yet —
    once a day per set of malls, not on every poll of the queue (the
    dispatcher adds a slot created later in the day within a minute)."""
    malls = list(mall_list(user=user))
    key = f"broadcasts:routine-ensured:{day}:{'-'.join(str(m.pk) for m in malls)}"
    if cache.add(key, True, timeout=36 * 3600):
        routine_airings_ensure(day=day, malls=malls)


class QueueView(DeskView, TemplateView):
    """The broadcaster's queue: due now by urgency, routine broadcasts,
    and (for supervisors) what waits for approval. Polled every 30 s."""

    permission_required = VIEW_ANNOUNCEMENT
    template_name = "broadcasts/queue.html"

    def get_template_names(self) -> list[str]:
        if self.request.htmx:
            return ["broadcasts/_queue.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        now = timezone.now()
        _routine_airings_ensure_once(user, local_date(now))
        return super().get_context_data(
            queue=selectors.announcement_queue(user=user, now=now),
            routine=selectors.routine_due(user=user, now=now),
            pending=list(selectors.pending_announcements(user=user)[:50]),
            # 10 minutes without a find: the broadcaster, who sits here, is
            # told to call the police as the desk is.
            police_overdue=list(
                selectors.missing_case_list(user=user)
                .filter(selectors.police_overdue_q(now))
                .order_by("police_due_at")[:10]
            ),
            can_air=user.has_perm(AIR_ANNOUNCEMENT),
            can_approve=user.has_perm(APPROVE_ANNOUNCEMENT),
            now=now,
            **kwargs,
        )


class RoutineAiredView(ServiceActionView):
    """The broadcaster read a routine broadcast (late ones included)."""

    permission_required = AIR_ANNOUNCEMENT
    success_message = _("Marked aired.")

    def get_queryset(self):
        return selectors.routine_airing_list(user=self.request.user)

    def perform(self, obj: RoutineAiring, data: dict[str, Any]) -> None:
        routine_airing_mark_aired(actor=self.request.user, airing=obj)

    def get_success_url(self) -> str:
        return reverse("broadcasts:queue")


class RoutineLogView(DeskView, TemplateView):
    permission_required = VIEW_ROUTINEAIRING
    template_name = "broadcasts/routine_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        request = self.request
        # The dashboard links here for today's missed ones: ?state=missed&day=today.
        listed = RoutineAiringFilter(request.GET, user=request.user)
        return super().get_context_data(
            page_obj=page_of(listed.qs, request.GET.get("page"), 30), filters=listed, **kwargs
        )
