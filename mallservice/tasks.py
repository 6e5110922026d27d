from __future__ import annotations

from celery import shared_task

from mallservice.services import heartbeat_record

BEAT_HEARTBEAT = "beat"


@shared_task(ignore_result=True)
def beat_heartbeat() -> None:
    """Sent by beat every minute and run by a worker: its timestamp proves
    both are alive (see /healthz)."""
    heartbeat_record(name=BEAT_HEARTBEAT)
