"""Reads of training sessions (培训)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mallservice.selectors import scope_to_user_malls
from rosters.models import (
    TrainingSession,
)

TRAINING_TARGET_PER_MONTH = 2


def training_list(*, user: Any) -> QuerySet[TrainingSession]:
    return scope_to_user_malls(
        TrainingSession.objects.prefetch_related("attendances__staff"), user=user
    )
