"""Reads of the outbox, scoped to the user's malls."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mallservice.notifications.models import Message
from mallservice.selectors import scope_to_user_malls


def message_list(*, user: Any) -> QuerySet[Message]:
    return scope_to_user_malls(Message.objects.all(), user=user).select_related("mall")


def message_problems(*, user: Any) -> QuerySet[Message]:
    """What did not reach its recipient: failed, or reported undelivered."""
    return message_list(user=user).filter(status__in=Message.RESENDABLE)


def message_console(*, user: Any) -> QuerySet[Message]:
    """What the console channel wrote down (no provider): for someone to
    pass on by hand."""
    return message_list(user=user).filter(status=Message.Status.RECORDED)
