"""Complaint summaries: the figures of a period (`summary_figures`), which
the desk's daily report shows as its complaints section (`complaints/daily.py`:
one time, one recipient list, one e-mail for the day), and the weekly and
monthly summaries, built by beat at the mall's report time, stored and
e-mailed to the mall's report recipients."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from complaints.models import Complaint, FaultReport, PhoneCall, SlaState, Summary
from complaints.services.cases import current_time
from mallservice.clock import day_bounds, month_days
from mallservice.models import Mall, Unit
from mallservice.notifications.models import Message
from mallservice.notifications.services import message_queue


def summary_figures(
    *, mall: Mall, starts_on: datetime.date, ends_on: datetime.date, now: datetime.datetime
) -> dict[str, Any]:
    """The figures of a summary, as plain JSON (codes, not labels)."""
    start, end = day_bounds(starts_on)[0], day_bounds(ends_on)[1]
    end = min(end, now)
    base = Complaint.objects.filter(mall=mall)
    received = base.filter(received_at__gte=start, received_at__lt=end)
    resolved = base.filter(resolved_at__gte=start, resolved_at__lt=end)
    live = base.live().filter(received_at__lt=end)
    avg = resolved.aggregate(avg=Avg(F("resolved_at") - F("received_at")))["avg"]
    calls = PhoneCall.objects.filter(mall=mall, at__gte=start, at__lt=end)

    def counts(qs, field: str) -> list[list[Any]]:
        return [
            [row[field] or "", row["n"]]
            for row in qs.values(field).annotate(n=Count("pk")).order_by("-n", field)
        ]

    return {
        "received": received.count(),
        "resolved": resolved.count(),
        "open": live.count(),
        "overdue": live.filter(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED]).count(),
        "by_category": counts(received, "category__name"),
        "by_floor": counts(received.filter(floor__isnull=False), "floor__code"),
        "by_shop": counts(received.filter(unit__kind=Unit.Kind.SHOP), "unit__name")[:10],
        "avg_resolve_minutes": round(avg.total_seconds() / 60) if avg else None,
        "satisfaction": dict(
            base.filter(called_back_at__gte=start, called_back_at__lt=end)
            .values_list("satisfaction")
            .annotate(n=Count("pk"))
        ),
        "calls": calls.count(),
        "calls_by_topic": counts(calls, "topic"),
        "faults": _fault_figures(mall=mall, start=start, end=end),
    }


def _fault_figures(
    *, mall: Mall, start: datetime.datetime, end: datetime.datetime
) -> dict[str, Any]:
    """Fault reports (故障报修) of the period, for the same summary: three
    aggregate queries."""
    base = FaultReport.objects.filter(mall=mall)
    reported = base.filter(received_at__gte=start, received_at__lt=end).aggregate(
        n=Count("pk"), repeats=Count("pk", filter=Q(is_repeat=True))
    )
    fixed = base.filter(fixed_at__gte=start, fixed_at__lt=end).aggregate(
        n=Count("pk"), avg=Avg(F("fixed_at") - F("received_at"))
    )
    live = base.live().filter(received_at__lt=end)
    still = live.aggregate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(sla_state__in=[SlaState.BREACHED, SlaState.ESCALATED])),
    )
    return {
        "reported": reported["n"],
        "repeats": reported["repeats"],
        "fixed": fixed["n"],
        "avg_fix_minutes": round(fixed["avg"].total_seconds() / 60) if fixed["avg"] else None,
        "open": still["n"],
        "overdue": still["overdue"],
    }


def summary_build(
    *,
    mall: Mall,
    period: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    now: datetime.datetime | None = None,
    email: bool = True,
) -> Summary:
    """Build (or rebuild) and store a summary, then e-mail a weekly or
    monthly one to the mall's report recipients through the outbox, once: a
    rebuild replaces the figures and mails nothing. A daily summary is
    stored only (the day is mailed in the desk's daily report). Idempotent
    per (mall, period, start).

    Two builders at once (two dispatchers, a dispatcher and the button) meet
    on the summary's row: the second waits for the first's insert, then
    finds the summary, locked, with `emailed_to` already set."""
    now = current_time(now)
    with transaction.atomic():
        figures = summary_figures(mall=mall, starts_on=starts_on, ends_on=ends_on, now=now)
        key = {"mall": mall, "period": Summary.Period(period), "starts_on": starts_on}
        summary = Summary.objects.select_for_update().filter(**key).first()
        created = False
        if summary is None:
            try:
                with transaction.atomic():  # a savepoint: a clash is expected
                    summary = Summary.objects.create(
                        **key, ends_on=ends_on, generated_at=now, data=figures
                    )
                created = True
            except IntegrityError:
                # Inserted a moment ago by another run, which held the row
                # until it committed: its "e-mailed" answer is now visible.
                summary = Summary.objects.select_for_update().get(**key)
        if not created:
            summary.ends_on, summary.generated_at, summary.data = ends_on, now, figures
            summary.save(update_fields=["ends_on", "generated_at", "data"])
        recipients = mall.report_recipient_list()
        mailed = summary.period != Summary.Period.DAY
        if email and mailed and recipients and not summary.emailed_to:
            with override("zh-hans"):
                subject = _("%(mall)s complaints summary %(start)s – %(end)s") % {
                    "mall": mall.name,
                    "start": starts_on,
                    "end": ends_on,
                }
                body = _summary_text(figures)
            message_queue(
                mall_id=mall.pk,
                kind="complaints.summary",
                source=f"summary:{summary.pk}",
                channel=Message.Channel.EMAIL,
                category=Message.Category.REPORT,
                audience=Message.Audience.STAFF,
                recipient=",".join(recipients),
                subject=subject,
                body=body,
                key=f"complaints.summary:{summary.pk}",
                now=now,
            )
            summary.emailed_to = recipients
            summary.save(update_fields=["emailed_to"])
    return summary


def _summary_text(figures: dict[str, Any]) -> str:
    lines = [
        _("Received: %(n)s") % {"n": figures["received"]},
        _("Resolved: %(n)s") % {"n": figures["resolved"]},
        _("Still open: %(n)s") % {"n": figures["open"]},
        _("Overdue: %(n)s") % {"n": figures["overdue"]},
        _("Calls logged: %(n)s") % {"n": figures["calls"]},
    ]
    faults = figures.get("faults")
    if faults:
        lines.append(
            _("Faults reported: %(n)s, fixed: %(fixed)s, still open: %(open)s (overdue %(late)s)")
            % {
                "n": faults["reported"],
                "fixed": faults["fixed"],
                "open": faults["open"],
                "late": faults["overdue"],
            }
        )
    for name, n in figures["by_category"]:
        lines.append(f"  {name}: {n}")
    return "\n".join(lines)


def summaries_dispatch(*, now: datetime.datetime | None = None) -> int:
    """On Sundays build each mall's weekly summary, on the last day of a
    month the monthly one, once the mall's report time has come (the time
    of its daily report, which carries the day's complaints). Already-built
    summaries are not rebuilt."""
    now = current_time(now)
    local = timezone.localtime(now)
    today = local.date()
    wanted = []
    if today.weekday() == 6:
        wanted.append((Summary.Period.WEEK, today - datetime.timedelta(days=6)))
    first, last = month_days(today)
    if today == last:
        wanted.append((Summary.Period.MONTH, first))
    built = 0
    for mall in Mall.objects.filter(is_active=True) if wanted else []:
        if local.time() < mall.report_time:
            continue
        for period, starts_on in wanted:
            if Summary.objects.filter(mall=mall, period=period, starts_on=starts_on).exists():
                continue
            try:
                summary_build(mall=mall, period=period, starts_on=starts_on, ends_on=today, now=now)
            except IntegrityError:
                continue  # another dispatcher built it a moment ago
            built += 1
    return built
