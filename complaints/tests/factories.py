from __future__ import annotations

import datetime
import zoneinfo

from complaints.models import Category, Complaint
from complaints.services.desk import desk_config_ensure
from complaints.services.intake import complaint_receive

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A fixed local time in November 2026 (the 27th is a Friday)."""
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def make_complaint(*, actor, mall, now=None, unit=None, severity="normal", **kwargs) -> Complaint:
    desk_config_ensure(mall=mall)
    category = kwargs.pop("category", None) or Category.objects.get(
        mall=mall, code="service_attitude"
    )
    return complaint_receive(
        actor=actor,
        mall=mall,
        channel=kwargs.pop("channel", "desk"),
        complainant_name=kwargs.pop("complainant_name", "王先生"),
        complainant_phone=kwargs.pop("complainant_phone", "13812345678"),
        unit=unit,
        category=category,
        description=kwargs.pop("description", "店员态度差"),
        severity=severity,
        now=now or at(27, 11),
        **kwargs,
    )


def make_fault(*, actor, mall, unit=None, floor=None, now=None, **kwargs):
    from complaints.faults import services as fault_services

    return fault_services.fault_report(
        actor=actor,
        mall=mall,
        unit=unit,
        floor=floor,
        fault_type=kwargs.pop("fault_type", "lighting"),
        description=kwargs.pop("description", "筒灯不亮"),
        now=now or at(27, 11),
        **kwargs,
    )
