"""The legal clocks of the public channels, in working days on the real
2026 calendar: a 12315 complaint received before 国庆 2026, a city's own
12345 rule, the legal rung escalating before the deadline (also while the
complaint is paused) and the monthly report of deadlines met."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from complaints.models import Complaint, Escalation, LegalClockRule, SlaState, Status
from complaints.services.escalation import escalations_dispatch
from complaints.services.workflow import complaint_set_status, complaint_verify
from complaints.tests.factories import make_complaint

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 11) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, tzinfo=TZ)


def test_a_12315_complaint_before_national_day_is_due_after_it(desk_user, mall, shop):
    # when a 12315 case arrives on Tuesday 29 September 2026
    complaint = make_complaint(
        actor=desk_user,
        mall=mall,
        unit=shop,
        channel="12315",
        source_case_number="1231520260929001",
        now=at(9, 29),
    )
    # then its ten working days skip 1–7 October and count Saturday 10 October
    assert complaint.legal_due_on == datetime.date(2026, 10, 19)
    assert complaint.legal_working_days == 10
    assert complaint.source_case_number == "1231520260929001"
    # and the legal rung fires at opening on the working day before (Friday 16th)
    rung = complaint.escalations.get(level=Escalation.Level.LEGAL)
    assert rung.due_at == datetime.datetime(2026, 10, 16, 10, tzinfo=TZ)


def test_a_desk_complaint_has_no_legal_clock(desk_user, mall, shop):
    complaint = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(9, 29))
    assert complaint.legal_due_on is None
    assert not complaint.escalations.filter(level=Escalation.Level.LEGAL).exists()


def test_a_citys_own_12345_rule_wins_over_the_default(desk_user, mall, other_mall, shop):
    # given the mall's city answers 12345 within 3 working days
    mall.city = "上海"
    mall.save(update_fields=["city"])
    LegalClockRule.objects.create(city="上海", channel="12345", working_days=3, warn_days=1)
    # then a case received on Wednesday 30 September is due on the make-up
    # Saturday 10 October (8 and 9 October, then the 10th)
    ours = make_complaint(actor=desk_user, mall=mall, unit=shop, channel="12345", now=at(9, 30))
    assert ours.legal_due_on == datetime.date(2026, 10, 10)
    # and a mall elsewhere keeps the 13 working days
    from complaints.tests.factories import make_complaint as receive
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    other_desk = make_staff(role=Role.DESK, mall=other_mall, username="desk-elsewhere")
    theirs = receive(actor=other_desk, mall=other_mall, channel="12345", now=at(9, 30))
    assert theirs.legal_working_days == 13
    assert theirs.legal_due_on == datetime.date(2026, 10, 23)


def test_the_legal_rung_fires_before_the_deadline_even_while_paused(
    desk_user, supervisor_user, mall, shop
):
    complaint = make_complaint(
        actor=desk_user, mall=mall, unit=shop, channel="regulator", now=at(9, 29)
    )
    # market regulation: 7 working days → Wednesday 14 October
    assert complaint.legal_due_on == datetime.date(2026, 10, 14)
    rung = complaint.escalations.get(level=Escalation.Level.LEGAL)
    # given the complaint is paused (waiting for the customer's receipt)
    paused = Status.objects.create(mall=mall, code="wait", name="等待小票", category="paused")
    complaint_set_status(actor=desk_user, complaint=complaint, status=paused, now=at(9, 30))
    complaint_set_status(
        actor=desk_user,
        complaint=complaint,
        status=Status.objects.get(mall=mall, category="open", is_default=True),
        now=at(10, 12),
    )
    complaint_set_status(actor=desk_user, complaint=complaint, status=paused, now=at(10, 12, 12))
    # then the resume moved the mall's own rungs but not the legal one
    rung.refresh_from_db()
    assert rung.due_at == datetime.datetime(2026, 10, 13, 10, tzinfo=TZ)
    # when the dispatcher runs at that time
    escalations_dispatch(now=rung.due_at)
    # then the supervisors were told and the mall's SLA state was left alone
    rung.refresh_from_db()
    assert rung.fired_at == rung.due_at
    assert supervisor_user.pk in rung.recipients
    complaint.refresh_from_db()
    # (the mall's own rungs wait while paused; the legal one leaves the SLA state)
    assert complaint.sla_state == SlaState.ON_TRACK
    assert complaint.activities.filter(code="escalated", data__level="legal").exists()


def test_the_monthly_report_counts_deadlines_met_per_channel(
    client, desk_user, supervisor_user, mall, shop
):
    # given three 12315 cases due in October: one resolved in time, one late, one open
    made = [
        make_complaint(actor=desk_user, mall=mall, unit=shop, channel="12315", now=at(9, 29))
        for _ in range(3)
    ]
    complaint_verify(actor=desk_user, complaint=made[0], now=at(10, 19, 21))
    complaint_verify(actor=desk_user, complaint=made[1], now=at(10, 20, 9))
    make_complaint(actor=desk_user, mall=mall, unit=shop, channel="12345", now=at(10, 9))
    client.force_login(supervisor_user)
    # when the supervisor opens October's report
    page = client.get(reverse("complaints:legal_report"), {"mall": mall.pk, "month": "2026-10"})
    rows = {row["channel"]: row for row in page.context["rows"]}
    # then 12315 shows 3 cases, 1 met and 2 missed (the open one is past its day)
    assert (rows["12315"]["total"], rows["12315"]["met"], rows["12315"]["missed"]) == (3, 1, 2)
    # and the 12345 case (13 working days → 28 October) is counted there too
    assert rows["12345"]["total"] == 1
    assert 'data-testid="legal-row-12315"' in page.content.decode()
    assert Complaint.objects.get(pk=made[0].pk).legal_met is True


def test_the_detail_page_shows_the_legal_deadline_beside_the_sla(client, desk_user, mall, shop):
    complaint = make_complaint(
        actor=desk_user,
        mall=mall,
        unit=shop,
        channel="12315",
        source_case_number="A-1",
        now=at(9, 29),
    )
    client.force_login(desk_user)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="legal-deadline"' in page
    assert "2026-10-19" in page and "A-1" in page


def test_the_list_shows_the_legal_deadline_without_a_query_more(
    client, desk_user, mall, shop, django_assert_max_num_queries
):
    for _ in range(3):
        make_complaint(actor=desk_user, mall=mall, unit=shop, channel="12315", now=at(9, 29))
    client.force_login(desk_user)
    client.get(reverse("complaints:list"))  # the user's malls cached, as at the desk
    with django_assert_max_num_queries(14):  # the list's own bound (test_views)
        page = client.get(reverse("complaints:list")).content.decode()
    assert page.count('data-testid="list-legal-deadline"') == 3


def test_the_dashboard_counts_complaints_open_past_the_legal_deadline(
    desk_user, supervisor_user, mall, shop
):
    from django.utils import translation

    from mallservice.dashboard import build_panels

    # given a 12315 case of 29 September still open (its deadline was 19 October)
    make_complaint(actor=desk_user, mall=mall, unit=shop, channel="12315", now=at(9, 29))
    make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(9, 29))
    with translation.override("zh-hans"):
        panels = build_panels(
            user=supervisor_user, malls=[mall], now=datetime.datetime(2026, 10, 20, 9, tzinfo=TZ)
        )
    figure = next(f for p in panels for f in p.figures if f.label == "超过法定时限未结")
    assert (figure.value, figure.level) == (1, "danger")
    assert figure.url == f"{reverse('complaints:list')}?mall={mall.pk}&legal=late"
