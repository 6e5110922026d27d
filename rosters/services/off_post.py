"""The off-post log (离岗登记) and its flagging dispatcher."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters import permissions as perms
from rosters.models import (
    OffPostRecord,
    Post,
)
from rosters.selectors.roster import policy_for
from rosters.services.rules import (
    require,
    resolve_now,
)


@transaction.atomic
def off_post_start(
    *,
    actor: User,
    mall: Mall,
    post: Post,
    reason: str,
    covered_by: User | None = None,
    now: datetime.datetime | None = None,
) -> OffPostRecord:
    """The staff member records leaving their post; the flag falls due when
    the mall's limit passes."""
    now = resolve_now(now)
    require(post.mall_id == mall.pk, _("Wrong mall."), "mall", "post")
    require(
        covered_by is None or covered_by.pk != actor.pk,
        _("Pick a colleague."),
        "self_cover",
        "covered_by",
    )
    require(
        not OffPostRecord.objects.filter(staff=actor, back_at__isnull=True).exists(),
        _("You are already off post."),
        "already_off",
    )
    record = OffPostRecord(
        mall=mall,
        staff=actor,
        post=post,
        reason=reason,
        covered_by=covered_by,
        out_at=now,
        flag_due_at=now + datetime.timedelta(minutes=policy_for(mall).off_post_limit_minutes),
    )
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def off_post_return(
    *, actor: User, record: OffPostRecord, now: datetime.datetime | None = None
) -> OffPostRecord:
    """Back on post. An absence longer than the limit is flagged even if the
    dispatcher had not run yet."""
    now = resolve_now(now)
    record = OffPostRecord.objects.select_for_update().get(pk=record.pk)
    require(
        actor.pk == record.staff_id or actor.has_perm(perms.CHANGE_OFFPOSTRECORD),
        _("Not allowed."),
        "forbidden",
    )
    require(record.back_at is None, _("Already back on post."), "already_back")
    record.back_at = now
    fields = ["back_at"]
    if record.flagged_at is None and now > record.flag_due_at:
        record.flagged_at = now
        fields.append("flagged_at")
    record.save(update_fields=fields)
    return record


def off_post_flag_due(*, now: datetime.datetime | None = None, batch: int = 200) -> int:
    """The beat dispatcher: flag every open off-post record past its limit.
    Rows are claimed with SKIP LOCKED so two workers never flag one twice."""
    now = resolve_now(now)
    with transaction.atomic():
        due = list(
            OffPostRecord.objects.select_for_update(skip_locked=True)
            .filter(back_at__isnull=True, flagged_at__isnull=True, flag_due_at__lte=now)
            .order_by("flag_due_at")[:batch]
        )
        for record in due:
            record.flagged_at = now
            record.save(update_fields=["flagged_at"])
    return len(due)
