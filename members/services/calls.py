"""Follow-up calls (电话回访): recording each call's outcome, retries inside
the campaign's window, and closing a member's open calls."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mallservice.guards import field_error
from members.models import CallAttempt, CallOutcome, CallTask, Member
from members.services.campaigns import into_window


def calls_cancel_pending(*, member: Member, now: datetime.datetime) -> int:
    """Cancel the member's open calls of every campaign (do-not-call, a
    merge); the caller holds the member's row lock. Returns how many."""
    count = 0
    for task in CallTask.objects.select_for_update().filter(
        member=member, status=CallTask.Status.PENDING
    ):
        task.transition_to(CallTask.Status.CANCELLED)
        task.closed_at = now
        task.save(update_fields=["status", "closed_at"])
        count += 1
    return count


# Outcomes that close the task, and the ones that try again later.
CLOSING = {
    CallOutcome.CONNECTED: CallTask.Status.DONE,
    CallOutcome.REFUSED: CallTask.Status.DONE,
    CallOutcome.WRONG_NUMBER: CallTask.Status.GAVE_UP,
    CallOutcome.OPTED_OUT: CallTask.Status.DONE,
    CallOutcome.CALL_BACK: CallTask.Status.DONE,
}


RETRY = {CallOutcome.NO_ANSWER, CallOutcome.BUSY}


@transaction.atomic
def call_record_outcome(
    *,
    actor: Any,
    task: CallTask,
    outcome: str,
    note: str = "",
    callback_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> CallAttempt:
    """Record one call. No answer / busy: retry after the campaign's interval
    (inside its window) until the maximum attempts, then give up. Opted out:
    the member goes on do-not-call. Wrong number: the member's other open
    calls, of every campaign, are closed too. Call back at …: a new task at
    that time."""
    now = now or timezone.now()
    task = (
        CallTask.objects.select_for_update(of=("self",)).select_related("campaign").get(pk=task.pk)
    )
    campaign = task.campaign
    if task.status != CallTask.Status.PENDING:
        raise ValidationError(_("This call is already closed."), code="invalid_transition")
    outcome = CallOutcome(outcome)
    local = timezone.localtime(now).time()
    if not (campaign.window_start <= local < campaign.window_end):
        raise ValidationError(
            _("Calls are only allowed between %(start)s and %(end)s.")
            % {
                "start": campaign.window_start.strftime("%H:%M"),
                "end": campaign.window_end.strftime("%H:%M"),
            },
            code="outside_window",
        )
    if outcome == CallOutcome.CALL_BACK:
        if callback_at is None or callback_at <= now:
            raise field_error(
                "callback_at",
                _("Give a time in the future to call back."),
                "callback_time_required",
            )
    attempt = CallAttempt.objects.create(
        mall_id=task.mall_id,
        task=task,
        caller=actor,
        at=now,
        outcome=outcome,
        callback_at=callback_at if outcome == CallOutcome.CALL_BACK else None,
        note=note,
    )
    task.attempts += 1
    task.last_outcome = outcome
    fields = ["attempts", "last_outcome"]
    if outcome in RETRY and task.attempts < campaign.max_attempts:
        task.due_at = into_window(
            campaign, now + datetime.timedelta(minutes=campaign.retry_minutes)
        )
        fields.append("due_at")
    else:
        task.transition_to(CLOSING.get(outcome, CallTask.Status.GAVE_UP))
        task.closed_at = now
        fields += ["status", "closed_at"]
    task.save(update_fields=fields)
    if outcome == CallOutcome.OPTED_OUT:
        member = Member.objects.select_for_update().get(pk=task.member_id)
        member.do_not_call, member.do_not_call_at = True, now
        member.save(update_fields=["do_not_call", "do_not_call_at"])
        calls_cancel_pending(member=member, now=now)
    elif outcome == CallOutcome.WRONG_NUMBER:
        # 号码错误: the number is wrong for every campaign, so nobody calls
        # it again until the member's record is corrected.
        for other in CallTask.objects.select_for_update().filter(
            member_id=task.member_id, status=CallTask.Status.PENDING
        ):
            other.transition_to(CallTask.Status.GAVE_UP)
            other.last_outcome = outcome
            other.closed_at = now
            other.save(update_fields=["status", "last_outcome", "closed_at"])
    elif outcome == CallOutcome.CALL_BACK:
        CallTask.objects.create(
            mall_id=task.mall_id,
            campaign=campaign,
            member_id=task.member_id,
            period=task.period,
            origin=CallTask.Origin.CALLBACK,
            due_at=callback_at,
            assignee=task.assignee or actor,
            parent=task,
        )
    return attempt
