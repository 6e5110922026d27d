"""The timeline rendered from event codes in the reader's language (codes
and parameters are stored, never translated text)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from complaints.models import (
    Activity,
    Channel,
    Compensation,
    Department,
    Escalation,
    FaultType,
    HandlerKind,
    ReporterKind,
    Satisfaction,
    Severity,
)

Code = Activity.Code


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def describe(event: Activity) -> str:
    d: dict[str, Any] = event.data or {}
    code = event.code
    if code == Code.RECEIVED and event.fault_id:
        return _("Fault reported by %(reporter)s: %(type)s, urgency %(severity)s.") % {
            "reporter": _label(ReporterKind, d.get("reporter_kind", "")),
            "type": _label(FaultType, d.get("fault_type", "")),
            "severity": _label(Severity, d.get("severity", "")),
        }
    if code == Code.FIXED:
        if d.get("handler"):
            return _("Fix recorded by %(who)s.") % {"who": d["handler"]}
        return _label(Code, code)
    if code == Code.RECEIVED:
        return _("Received via %(channel)s, severity %(severity)s.") % {
            "channel": _label(Channel, d.get("channel", "")),
            "severity": _label(Severity, d.get("severity", "")),
        }
    if code == Code.ASSIGNED:
        who = d.get("handler") or _label(Department, d.get("department", ""))
        return _("Assigned to %(kind)s %(who)s.") % {
            "kind": _label(HandlerKind, d.get("handler_kind", "")),
            "who": who,
        }
    if code == Code.CALLED_BACK:
        return _("Customer called back: %(satisfaction)s.") % {
            "satisfaction": _label(Satisfaction, d.get("satisfaction", ""))
        }
    if code == Code.MERGED:
        if d.get("into"):
            return _("Marked as a duplicate of %(ref)s.") % {"ref": d["into"]}
        return _("%(ref)s was merged into this complaint.") % {"ref": d.get("duplicate", "")}
    if code == Code.STATUS:
        return _("Status set to %(name)s.") % {"name": d.get("name", d.get("new", ""))}
    if code in (
        Code.COMPENSATION_REQUESTED,
        Code.COMPENSATION_APPROVED,
        Code.COMPENSATION_REJECTED,
    ):
        return _("%(event)s: %(kind)s ¥%(amount)s.") % {
            "event": _label(Code, code),
            "kind": _label(Compensation.Kind, d.get("kind", "")),
            "amount": d.get("amount", ""),
        }
    if code in (Code.SLA_WARNING, Code.ESCALATED):
        # The sentence's full stop is the reader's language's (。 in Chinese).
        return _("%(level)s.") % {"level": _label(Escalation.Level, d.get("level", ""))}
    if code == Code.SMS:
        # Events written before the flag existed: no SMS channel existed.
        if d.get("records_only", True):
            return _(
                "SMS acknowledgement recorded, not sent: the desk has no SMS channel yet. "
                "Tell the customer the reference yourself."
            )
        return _("SMS acknowledgement queued for sending.")
    if code == Code.ATTACHMENT:
        return _("Attachment added: %(name)s.") % {"name": d.get("name", "")}
    return _label(Code, code)


@dataclass(frozen=True)
class TimelineEntry:
    event: Activity
    sentence: str
    customer_facing: bool
    internal: bool


def render_timeline(events: Iterable[Activity]) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            event=e,
            sentence=describe(e),
            customer_facing=e.code == Code.CUSTOMER_TOLD,
            internal=e.code == Code.NOTE,
        )
        for e in events
    ]
