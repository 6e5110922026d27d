from __future__ import annotations

from celery import shared_task

from mallservice.celery import AuditedTask, ScheduledTask
from mallservice.jobs import daily_job_run
from members import import_jobs
from members.services.campaigns import campaigns_plan_all
from members.services.expiry import points_expire_due
from members.services.tiers import tiers_evaluate


@shared_task(base=ScheduledTask, ignore_result=True)
def plan_calls(*, actor_id: int | None = None) -> int:
    """The daily VIP call planner, once a day (a JobRun; the daily-jobs
    dispatcher starts it at its time and again if its worker died).
    Idempotent as well, so a rerun creates nothing."""
    return daily_job_run(
        job=plan_calls.name, fn=lambda: sum(run.created for run in campaigns_plan_all())
    )


@shared_task(base=ScheduledTask, ignore_result=True)
def evaluate_tiers(*, actor_id: int | None = None) -> int:
    """The nightly tier upgrades and yearly reviews, once a day (a JobRun);
    a rerun changes nothing."""
    return daily_job_run(
        job=evaluate_tiers.name,
        fn=lambda: sum(run.upgraded + run.downgraded for run in tiers_evaluate()),
    )


@shared_task(base=ScheduledTask, ignore_result=True)
def expire_points(*, actor_id: int | None = None) -> int:
    """The nightly points expiry, once a day (a JobRun); a rerun the same
    day writes nothing."""
    return daily_job_run(
        job=expire_points.name, fn=lambda: points_expire_due(actor_id=actor_id)["points"]
    )


@shared_task(base=AuditedTask, ignore_result=True)
def import_check(import_id: int, *, actor_id: int) -> None:
    """The preview pass, claimed as a JobRun: a redelivered message or the
    imports dispatcher finds it done or alive and does nothing."""
    import_jobs.import_run(job=import_jobs.CHECK_JOB, import_id=import_id)


@shared_task(base=AuditedTask, ignore_result=True)
def import_commit(import_id: int, *, actor_id: int) -> None:
    import_jobs.import_run(job=import_jobs.COMMIT_JOB, import_id=import_id)


@shared_task(base=ScheduledTask, ignore_result=True)
def imports_dispatch(*, actor_id: int | None = None) -> int:
    """Pick up imports whose check or commit message was lost or whose
    worker died (state "uploaded", "checking", "importing" in PostgreSQL)."""
    return import_jobs.imports_dispatch()
