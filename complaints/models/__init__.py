"""Complaints (投诉) and fault reports (故障报修): the desk's configuration,
the complaint, the case records both kinds of case share (timeline,
escalation ladder), the phone log and the stored summaries.
Workflow rules are data on the models; every write goes through
`complaints/services/` and `complaints/faults/services.py`.

Every model is imported here, so Django finds it under the `complaints`
app label and the table names and migrations stay as they were."""

# Fault reports live in their own package (`complaints/faults/`).
from complaints.faults.models import (
    FaultReport,
    FaultReportQuerySet,
    FaultRoute,
    FaultType,
    ReporterKind,
)
from complaints.models.calls import PhoneCall
from complaints.models.cases import Activity, Escalation
from complaints.models.complaints import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Compensation,
    Complaint,
    ComplaintQuerySet,
)
from complaints.models.desk import (
    DEFAULT_CATEGORIES,
    Category,
    Channel,
    DailyCounter,
    DeskSettings,
    HandlerKind,
    Satisfaction,
    Severity,
    SlaPolicy,
    SlaState,
    Status,
    StatusCategory,
)
from complaints.models.legal import DEFAULT_LEGAL_DAYS, LegalClockRule
from complaints.models.summaries import Summary
from mallservice.departments import Department

__all__ = [
    "DEFAULT_CATEGORIES",
    "DEFAULT_LEGAL_DAYS",
    "MAX_ATTACHMENT_BYTES",
    "Activity",
    "Attachment",
    "Category",
    "Channel",
    "Compensation",
    "Complaint",
    "ComplaintQuerySet",
    "DailyCounter",
    "Department",
    "DeskSettings",
    "Escalation",
    "FaultReport",
    "FaultReportQuerySet",
    "FaultRoute",
    "FaultType",
    "HandlerKind",
    "LegalClockRule",
    "PhoneCall",
    "ReporterKind",
    "Satisfaction",
    "Severity",
    "SlaPolicy",
    "SlaState",
    "Status",
    "StatusCategory",
    "Summary",
]
