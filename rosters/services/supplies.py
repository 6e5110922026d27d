"""Office supplies (办公用品): items, expected use, requisitions and issues."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mallservice.models import Mall, User
from rosters import permissions as perms
from rosters.models import (
    Post,
    SupplyAllowance,
    SupplyItem,
    SupplyRequisition,
)
from rosters.services.rules import (
    require,
    require_permission,
    require_staff_of,
    resolve_now,
)


@transaction.atomic
def supply_item_create(
    *, actor: User | None, mall: Mall, code: str, name: str, unit: str = "个"
) -> SupplyItem:
    item = SupplyItem(mall=mall, code=code, name=name, unit=unit)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def supply_allowance_set(
    *, actor: User | None, post: Post, item: SupplyItem, monthly_quantity: int
) -> SupplyAllowance:
    """Set a post's expected monthly use (预损耗量) of an item."""
    require(post.mall_id == item.mall_id, _("Wrong mall."), "mall", "item")
    allowance, _created = SupplyAllowance.objects.select_for_update().get_or_create(
        post=post,
        item=item,
        defaults={"mall_id": post.mall_id, "monthly_quantity": monthly_quantity},
    )
    if allowance.monthly_quantity != monthly_quantity:
        allowance.monthly_quantity = monthly_quantity
        allowance.save(update_fields=["monthly_quantity"])
    return allowance


@transaction.atomic
def supply_requisition_create(
    *,
    actor: User,
    mall: Mall,
    post: Post,
    item: SupplyItem,
    quantity: int,
    reason: str,
    now: datetime.datetime | None = None,
) -> SupplyRequisition:
    """A staff member asks for supplies for their post; a supervisor decides."""
    now = resolve_now(now)
    require_staff_of(actor, mall)
    require(post.mall_id == mall.pk, _("Wrong mall."), "mall", "post")
    require(item.mall_id == mall.pk and item.is_active, _("Unknown item."), "item", "item")
    require(quantity is not None and quantity >= 1, _("At least one."), "quantity", "quantity")
    requisition = SupplyRequisition(
        mall=mall,
        post=post,
        item=item,
        quantity=quantity,
        reason=reason.strip(),
        requested_by=actor,
        requested_at=now,
    )
    requisition.full_clean()
    requisition.save()
    return requisition


def _lock_requisition(requisition: SupplyRequisition) -> SupplyRequisition:
    return SupplyRequisition.objects.select_for_update().get(pk=requisition.pk)


def _decide_requisition(
    *, actor: User, requisition: SupplyRequisition, state: str, note: str, now
) -> SupplyRequisition:
    require_permission(actor, perms.APPROVE_SUPPLYREQUISITION)
    requisition = _lock_requisition(requisition)
    requisition.transition_to(state)
    requisition.decided_by = actor
    requisition.decided_at = resolve_now(now)
    requisition.decision_note = note.strip()
    requisition.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return requisition


@transaction.atomic
def supply_requisition_approve(
    *,
    actor: User,
    requisition: SupplyRequisition,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SupplyRequisition:
    return _decide_requisition(
        actor=actor,
        requisition=requisition,
        state=SupplyRequisition.State.APPROVED,
        note=note,
        now=now,
    )


@transaction.atomic
def supply_requisition_reject(
    *,
    actor: User,
    requisition: SupplyRequisition,
    note: str = "",
    now: datetime.datetime | None = None,
) -> SupplyRequisition:
    return _decide_requisition(
        actor=actor,
        requisition=requisition,
        state=SupplyRequisition.State.REJECTED,
        note=note,
        now=now,
    )


@transaction.atomic
def supply_requisition_issue(
    *, actor: User, requisition: SupplyRequisition, now: datetime.datetime | None = None
) -> SupplyRequisition:
    """Record that the approved supplies were handed out; from now on they
    count against the post's expected use of the month issued."""
    require_permission(actor, perms.APPROVE_SUPPLYREQUISITION)
    requisition = _lock_requisition(requisition)
    requisition.transition_to(SupplyRequisition.State.ISSUED)
    requisition.issued_by = actor
    requisition.issued_at = resolve_now(now)
    requisition.save(update_fields=["state", "issued_by", "issued_at"])
    return requisition
