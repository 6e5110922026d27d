"""The escalation ladder, for complaints and fault reports alike: its
rungs planned in opening hours from the start of a resolution period, and
the beat dispatcher firing each rung once (warning, breach, 2×)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints import sla
from complaints.models import (
    Complaint,
    Escalation,
    FaultReport,
    SlaState,
    StatusCategory,
)
from complaints.services.cases import (
    Case,
    Event,
    case_event_record,
    case_owner,
    case_source,
    current_time,
    staff_emails,
)
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_queue
from mallservice.roles import Role

LEVEL_SLA_STATE = {
    Escalation.Level.WARNING: SlaState.WARNED,
    Escalation.Level.SUPERVISOR: SlaState.BREACHED,
    Escalation.Level.MANAGER: SlaState.ESCALATED,
}
SLA_ORDER = [SlaState.ON_TRACK, SlaState.WARNED, SlaState.BREACHED, SlaState.ESCALATED]


def escalation_ladder_create(case: Case, *, plan: sla.Plan, period: int = 0) -> list[Escalation]:
    """The rungs of a case's resolution period starting at the plan's start
    (its intake, or a complaint's reopen): the warning before the breach,
    the breach and 2×, counted in opening hours."""
    owner = case_owner(case)
    return Escalation.objects.bulk_create(
        [
            Escalation(mall_id=case.mall_id, **owner, period=period, level=level, due_at=due)
            for level, due in plan.ladder().items()
        ]
    )


def escalation_legal_create(complaint: Complaint, *, due_at: datetime.datetime) -> Escalation:
    """The legal rung of a complaint from a public channel: the supervisors
    are told before the legal deadline runs out. It fires whatever the
    desk's status (a paused complaint's legal clock does not stop)."""
    return Escalation.objects.create(
        mall_id=complaint.mall_id, complaint=complaint, level=Escalation.Level.LEGAL, due_at=due_at
    )


def escalation_ladder_stop(case: Case) -> int:
    """The case's resolution period is over (a complaint resolved or merged,
    a fault report closed): the rungs that have not fired are dropped, so
    the dispatcher's pending rungs are only those that may still fire.
    Fired rungs stay as the record; a reopen starts a new ladder. Returns
    how many were dropped."""
    owner = case_owner(case)
    dropped, _per_model = Escalation.objects.filter(**owner, fired_at__isnull=True).delete()
    return dropped


def escalations_dispatch(*, now: datetime.datetime | None = None, limit: int = 200) -> int:
    """Claim the due rungs of the escalation ladder and fire each once:
    warning → the handler (and desk), breach → supervisors, 2× → managers.
    Serves complaints and fault reports alike. Paused complaints and faults
    whose fix is recorded are skipped (their rungs wait); resolved, merged
    and closed cases have no pending rungs left (`escalation_ladder_stop`).
    Returns how many fired."""
    now = current_time(now)
    fired = 0
    told: dict[tuple[int, str], list[tuple[int, str]]] = {}  # who hears, per mall and role
    with transaction.atomic():
        # skip_locked: a second dispatcher running at once takes other rows.
        rungs = list(
            Escalation.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(fired_at__isnull=True, due_at__lte=now)
            .filter(
                Q(complaint__status_category=StatusCategory.OPEN)
                | Q(fault__state=FaultReport.State.ASSIGNED)
                | Q(level=Escalation.Level.LEGAL, complaint__status_category=StatusCategory.PAUSED)
            )
            .select_related("complaint", "complaint__mall", "fault", "fault__mall")
            .order_by("due_at")[:limit]
        )
        for rung in rungs:
            complaint: Case = rung.complaint or rung.fault
            role = {
                Escalation.Level.LEGAL: Role.SUPERVISOR,
                Escalation.Level.SUPERVISOR: Role.SUPERVISOR,
                Escalation.Level.MANAGER: Role.MANAGER,
            }.get(rung.level, Role.DESK)
            if (complaint.mall_id, role) not in told:
                told[complaint.mall_id, role] = staff_emails(complaint.mall_id, role)
            recipients = told[complaint.mall_id, role]
            rung.fired_at = now
            rung.recipients = [pk for pk, _email in recipients]
            rung.save(update_fields=["fired_at", "recipients"])
            # The legal rung leaves the mall's own SLA state as it is.
            new_state = LEVEL_SLA_STATE.get(rung.level)
            if new_state is not None:
                type(complaint).objects.filter(
                    pk=complaint.pk, sla_state__in=SLA_ORDER[: SLA_ORDER.index(new_state)]
                ).update(sla_state=new_state)
            code = Event.SLA_WARNING if rung.level == Escalation.Level.WARNING else Event.ESCALATED
            case_event_record(
                complaint,
                code,
                actor=None,
                now=now,
                level=rung.level,
                handler=complaint.handler_name,
                recipients=rung.recipients,
            )
            emails = [email for _pk, email in recipients if email]
            if emails:
                with override("zh-hans"):
                    subject = (
                        _("Fault report %(ref)s: %(level)s")
                        if rung.fault_id
                        else _("Complaint %(ref)s: %(level)s")
                    ) % {
                        "ref": complaint.reference,
                        "level": Escalation.Level(rung.level).label,
                    }
                message_queue(
                    mall_id=complaint.mall_id,
                    kind="complaints.escalation",
                    source=case_source(complaint),
                    channel=Message.Channel.EMAIL,
                    category=Message.Category.ALERT,
                    audience=Message.Audience.STAFF,
                    recipient=",".join(emails),
                    subject=subject,
                    body=f"{complaint.reference}\n{complaint.description[:500]}",
                    key=f"complaints.escalation:{rung.pk}",
                    now=now,
                )
            fired += 1
        # The response target: flag it once it passes without a response.
        Complaint.objects.filter(
            status_category=StatusCategory.OPEN,
            first_response_at__isnull=True,
            response_breached=False,
            response_due_at__lte=now,
        ).update(response_breached=True)
    return fired
