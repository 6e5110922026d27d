from __future__ import annotations

from celery import shared_task

from mallservice.celery import AuditedTask, ScheduledTask
from members import imports
from members.expiry import points_expire_due
from members.services import campaigns_plan_all
from members.tiers import tiers_evaluate


@shared_task(base=ScheduledTask, ignore_result=True)
def plan_calls(*, actor_id: int | None = None) -> int:
    """The daily VIP call planner; idempotent, so a rerun creates nothing."""
    return sum(run.created for run in campaigns_plan_all())


@shared_task(base=ScheduledTask, ignore_result=True)
def evaluate_tiers(*, actor_id: int | None = None) -> int:
    """The nightly tier upgrades and yearly reviews; a rerun changes nothing."""
    return sum(run.upgraded + run.downgraded for run in tiers_evaluate())


@shared_task(base=ScheduledTask, ignore_result=True)
def expire_points(*, actor_id: int | None = None) -> int:
    """The nightly points expiry; a rerun the same day writes nothing."""
    return points_expire_due(actor_id=actor_id)["points"]


@shared_task(base=AuditedTask, ignore_result=True)
def import_check(import_id: int, *, actor_id: int) -> None:
    imports.import_check(import_id=import_id)


@shared_task(base=AuditedTask, ignore_result=True)
def import_commit(import_id: int, *, actor_id: int) -> None:
    imports.import_commit(import_id=import_id)
