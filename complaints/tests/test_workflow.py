"""Intake, the ownership workflow, escalation and the phone log."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from pghistory.models import Events

from complaints.models import (
    Activity,
    Complaint,
    Escalation,
    PhoneCall,
    SlaPolicy,
    SlaState,
    Status,
    Summary,
)
from complaints.services.closing import complaint_callback, complaint_close, complaint_reopen
from complaints.services.compensation import compensation_decide, compensation_request
from complaints.services.desk import desk_config_ensure
from complaints.services.escalation import escalations_dispatch
from complaints.services.phone_log import phone_call_log
from complaints.services.reports import summaries_dispatch
from complaints.services.workflow import (
    complaint_assign,
    complaint_merge,
    complaint_note_add,
    complaint_respond,
    complaint_set_status,
    complaint_verify,
)
from complaints.tests.factories import at, make_complaint
from mallservice.audit import Source, actor_context
from mallservice.models import DailyReport
from mallservice.notifications.models import Message
from mallservice.notifications.services import messages_dispatch
from mallservice.services import daily_reports_dispatch
from mallservice.tests.factories import FloorFactory, UnitFactory, image_bytes, image_upload
from members.tests.factories import TierFactory


def _assign(complaint, actor, now):
    return complaint_assign(
        actor=actor,
        complaint=complaint,
        handler_kind="shop",
        handler_unit=complaint.unit,
        due_at=now + datetime.timedelta(hours=4),
        now=now,
    )


def test_intake_gives_a_per_mall_per_day_reference_and_records_the_sms(desk_user, mall, shop):
    # given two complaints on one day and one the next
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        first = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(27, 11))
        second = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(27, 12))
        third = make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(28, 11))
    # then numbers count up per day
    assert first.reference == "TS-20261127-001"
    assert second.reference == "TS-20261127-002"
    assert third.reference == "TS-20261128-001"
    # and the acknowledgement text is in the outbox, recorded only by the default backend
    messages_dispatch()
    sms = Message.objects.get(source=f"complaint:{first.pk}")
    assert first.reference in sms.body and sms.recipient == "13812345678"
    assert sms.status == Message.Status.RECORDED
    # and the floor comes from the shop, the audit row names the desk
    assert first.floor_id == shop.floor_id
    event = Events.objects.tracks(first).order_by("pgh_id").first()
    assert event.pgh_context["user"] == desk_user.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_intakes_never_share_a_reference(mall, shop, desk_user):
    desk_config_ensure(mall=mall)
    refs, errors = [], []

    def intake():
        try:
            refs.append(
                make_complaint(actor=desk_user, mall=mall, unit=shop, now=at(27, 11)).reference
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=intake) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(refs) == [f"TS-20261127-{n:03d}" for n in range(1, 7)]


def test_attachment_type_and_size_are_limited(desk_user, mall, shop):
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00rest", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        make_complaint(actor=desk_user, mall=mall, unit=shop, attachments=[bad])
    assert exc.value.code == "attachment_type"
    big = SimpleUploadedFile("x.png", image_bytes() + b"0" * (5 * 1024 * 1024), "image/png")
    with pytest.raises(ValidationError) as exc:
        make_complaint(actor=desk_user, mall=mall, unit=shop, attachments=[big])
    assert exc.value.code == "attachment_too_large"
    ok = image_upload("p.png")
    c = make_complaint(actor=desk_user, mall=mall, unit=shop, attachments=[ok])
    assert c.attachments.get().content_type == "image/png"


def test_walk_in_to_close_follows_the_workflow(complaint, desk_user):
    # given a new complaint, when it goes through every step
    c = _assign(complaint, desk_user, at(27, 11, 10))
    c = complaint_respond(actor=desk_user, complaint=c, response="已退款", now=at(27, 12))
    assert c.first_response_at == at(27, 12) and not c.response_breached
    c = complaint_verify(actor=desk_user, complaint=c, now=at(27, 13))
    c = complaint_callback(actor=desk_user, complaint=c, satisfaction="satisfied", now=at(27, 14))
    c = complaint_close(actor=desk_user, complaint=c, now=at(27, 15))
    # then it is closed with the closed category and a full timeline
    c.refresh_from_db()
    assert c.state == Complaint.State.CLOSED and c.status_category == "closed"
    assert list(c.activities.values_list("code", flat=True)) == [
        "received",
        "sms",
        "assigned",
        "responded",
        "verified",
        "called_back",
        "closed",
    ]


@pytest.mark.parametrize(
    "state, target, allowed",
    [
        ("new", "closed", False),
        ("new", "assigned", True),
        ("assigned", "verified", False),
        ("responded", "verified", True),
        ("verified", "closed", False),
        ("called_back", "closed", True),
        ("closed", "assigned", True),
        ("merged", "assigned", False),
    ],
)
def test_workflow_table(state, target, allowed):
    c = Complaint(state=state)
    if allowed:
        c.transition_to(target)
        assert c.state == target
    else:
        with pytest.raises(ValidationError) as exc:
            c.transition_to(target)
        assert exc.value.code == "invalid_transition"


def test_closing_before_callback_is_refused(complaint, desk_user):
    c = complaint_verify(actor=desk_user, complaint=complaint, now=at(27, 12))
    with pytest.raises(ValidationError):
        complaint_close(actor=desk_user, complaint=c, now=at(27, 13))


def test_pause_stops_the_clock_and_moves_pending_escalations(complaint, desk_user, mall):
    # given a complaint due 11:00 + 24h of opening time
    due = complaint.resolution_due_at
    rung = complaint.escalations.get(level="supervisor")
    waiting = Status.objects.get(mall=mall, code="waiting_customer")
    # when paused 12:00 and resumed at 15:00 the same day
    c = complaint_set_status(actor=desk_user, complaint=complaint, status=waiting, now=at(27, 12))
    assert c.paused_since == at(27, 12)
    resume = Status.objects.get(mall=mall, code="open")
    c = complaint_set_status(actor=desk_user, complaint=c, status=resume, now=at(27, 15))
    # then every due time moved by the 3 hours paused
    assert c.resolution_due_at == due + datetime.timedelta(hours=3)
    assert c.paused_minutes == 180 and c.paused_since is None
    rung.refresh_from_db()
    assert rung.due_at == due + datetime.timedelta(hours=3)


def test_vip_is_any_tier_above_the_malls_base_tier(desk_user, mall, other_mall, shop):
    # given the members app's tiers, ranked per mall: in this mall silver is
    # above the base tier, in the other mall silver is the base tier
    TierFactory(mall=mall, code="normal", rank=1)
    TierFactory(mall=mall, code="silver", rank=2)
    TierFactory(mall=other_mall, code="silver", rank=5)
    TierFactory(mall=other_mall, code="gold", rank=8)
    other_shop = UnitFactory(floor=FloorFactory(mall=other_mall), mall=other_mall)

    def due(mall, unit, tier):
        c = make_complaint(actor=desk_user, mall=mall, unit=unit, member_tier=tier)
        return c.resolution_due_at

    # then silver is VIP here (half the 24 opening hours: 11 h on the 27th
    # and 1 h on the 28th) and not there
    assert due(mall, shop, "") == due(mall, shop, "normal") == at(29, 11)
    assert due(mall, shop, "silver") == at(28, 11)
    assert due(other_mall, other_shop, "silver") == at(29, 11)
    assert due(other_mall, other_shop, "gold") == at(28, 11)


def test_an_unknown_tier_code_is_refused_next_to_the_field(desk_user, mall, shop):
    TierFactory(mall=mall, code="gold", rank=3)
    with pytest.raises(ValidationError) as exc:
        make_complaint(actor=desk_user, mall=mall, unit=shop, member_tier="vip")
    assert exc.value.error_dict["member_tier"][0].code == "unknown_tier"


def test_a_malls_policy_for_a_long_tier_code_wins(desk_user, mall, shop):
    # given a tier code of 32 characters (the members app's length) with its
    # own policy row
    code = "black-card-founding-members-2026"
    TierFactory(mall=mall, code="normal", rank=1)
    TierFactory(mall=mall, code=code, rank=9)
    SlaPolicy.objects.create(
        mall=mall, severity="normal", tier=code, response_minutes=15, resolution_minutes=60
    )
    # then its complaints get the policy's targets, not the VIP halving
    c = make_complaint(actor=desk_user, mall=mall, unit=shop, member_tier=code)
    assert c.member_tier == code and c.resolution_due_at == at(27, 12)


def test_escalation_fires_each_rung_once_and_is_recorded(complaint, supervisor_user):
    # given the complaint is long overdue (past 2× of its target)
    late = complaint.resolution_due_at + datetime.timedelta(days=5)
    # when the dispatcher runs twice
    first = escalations_dispatch(now=late)
    second = escalations_dispatch(now=late + datetime.timedelta(minutes=1))
    # then three rungs fired once, none again
    assert (first, second) == (3, 0)
    complaint.refresh_from_db()
    assert complaint.sla_state == SlaState.ESCALATED and complaint.response_breached
    assert complaint.activities.filter(code="escalated").count() == 2
    assert complaint.activities.filter(code="sla_warning").count() == 1
    supervisor_rung = complaint.escalations.get(level="supervisor")
    assert supervisor_user.pk in supervisor_rung.recipients


def test_paused_or_resolved_complaints_are_not_escalated(complaint, desk_user, mall):
    waiting = Status.objects.get(mall=mall, code="waiting_customer")
    complaint_set_status(actor=desk_user, complaint=complaint, status=waiting, now=at(27, 12))
    assert escalations_dispatch(now=at(30, 12)) == 0
    assert not Escalation.objects.filter(fired_at__isnull=False).exists()


def test_resolving_or_merging_drops_the_rungs_that_have_not_fired(complaint, desk_user, mall, shop):
    # given a complaint whose warning fired (its breach and 2x rungs pending)
    warn = complaint.escalations.get(level="warning").due_at
    assert escalations_dispatch(now=warn) == 1
    # when the desk resolves it, and merges another complaint as a duplicate
    c = complaint_verify(actor=desk_user, complaint=complaint, now=warn)
    dup = make_complaint(actor=desk_user, mall=mall, unit=shop)
    complaint_merge(actor=desk_user, complaint=dup, into=c, now=at(27, 12))
    # then only the warning that fired is left; nothing is pending any more
    assert list(c.escalations.values_list("level", flat=True)) == ["warning"]
    assert not dup.escalations.exists()
    assert not Escalation.objects.filter(fired_at__isnull=True).exists()


def test_warning_before_breach_only(complaint):
    warn = complaint.escalations.get(level="warning").due_at
    assert escalations_dispatch(now=warn) == 1
    complaint.refresh_from_db()
    assert complaint.sla_state == SlaState.WARNED


def test_reopen_starts_a_new_escalation_ladder_and_keeps_the_old_firings(
    complaint, desk_user, supervisor_user
):
    # given a complaint received Friday 27th 11:00 (opening hours 10:00-22:00,
    # resolution 24 opening hours: due Sunday 29th 11:00) that breached
    assert complaint.resolution_due_at == at(29, 11)
    assert escalations_dispatch(now=at(29, 12)) == 2  # warning and breach
    c = _assign(complaint, desk_user, at(29, 12, 30))
    c = complaint_respond(actor=desk_user, complaint=c, response="已换货", now=at(29, 13))
    c = complaint_verify(actor=desk_user, complaint=c, now=at(29, 14))
    c = complaint_callback(actor=desk_user, complaint=c, satisfaction="neutral", now=at(29, 15))
    c = complaint_close(actor=desk_user, complaint=c, now=at(29, 16))
    # when it is reopened on Monday 30th at 15:00
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        c = complaint_reopen(
            actor=desk_user, complaint=c, reason="又坏了", due_at=at(30, 20), now=at(30, 15)
        )
    event = Events.objects.tracks(c).order_by("-pgh_id").first()
    assert event.pgh_data["reopen_count"] == 1 and event.pgh_context["user"] == desk_user.pk
    # then a new period runs from the reopen, in opening hours: 7 h on the
    # 30th, 12 h on 1 December, 5 h on the 2nd
    dec = lambda day, hour: at(day, hour).replace(month=12)  # noqa: E731
    assert c.resolution_due_at == dec(2, 15) and c.sla_state == SlaState.ON_TRACK
    new_rungs = dict(c.escalations.filter(period=1).values_list("level", "due_at"))
    assert new_rungs == {"warning": dec(2, 13), "supervisor": dec(2, 15), "manager": dec(4, 15)}
    assert not c.escalations.filter(period=1, fired_at__isnull=False).exists()
    # and the earlier firings stay recorded; the old 2x rung (due 1 December
    # 11:00) that never fired was dropped when the complaint was resolved,
    # so it does not fire in the new period
    old = c.escalations.filter(period=0)
    assert sorted(old.values_list("level", "fired_at")) == [
        ("supervisor", at(29, 12)),
        ("warning", at(29, 12)),
    ]
    assert escalations_dispatch(now=dec(1, 12)) == 0
    # when the new period runs out, each rung fires once more, once
    assert escalations_dispatch(now=dec(2, 15)) == 2
    assert escalations_dispatch(now=dec(2, 16)) == 0
    c.refresh_from_db()
    assert c.sla_state == SlaState.BREACHED
    assert escalations_dispatch(now=dec(4, 15)) == 1
    c.refresh_from_db()
    assert c.sla_state == SlaState.ESCALATED
    assert c.activities.filter(code="sla_warning").count() == 2
    assert c.activities.filter(code="escalated").count() == 3
    assert supervisor_user.pk in c.escalations.get(period=1, level="supervisor").recipients


def test_compensation_needs_another_supervisors_approval(complaint, desk_user, supervisor_user):
    comp = compensation_request(actor=desk_user, complaint=complaint, kind="parking", amount=20)
    with pytest.raises(ValidationError):
        compensation_decide(actor=desk_user, compensation=comp, approve=True)
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        comp = compensation_decide(actor=supervisor_user, compensation=comp, approve=True)
    assert comp.state == "approved" and comp.decided_by == supervisor_user
    assert (
        Events.objects.tracks(comp).order_by("-pgh_id").first().pgh_context["user"]
        == supervisor_user.pk
    )
    with pytest.raises(ValidationError):
        compensation_decide(actor=supervisor_user, compensation=comp, approve=False)


def test_merge_marks_duplicate_and_reopen_returns_to_handler(complaint, desk_user, mall, shop):
    dup = make_complaint(actor=desk_user, mall=mall, unit=shop)
    dup = complaint_merge(actor=desk_user, complaint=dup, into=complaint)
    assert (
        dup.state == "merged" and dup.merged_into == complaint and dup.status_category == "closed"
    )
    with pytest.raises(ValidationError):
        complaint_merge(actor=desk_user, complaint=complaint, into=dup)
    c = _assign(complaint, desk_user, at(27, 11, 5))
    c = complaint_respond(actor=desk_user, complaint=c, response="ok", now=at(27, 12))
    c = complaint_verify(actor=desk_user, complaint=c, now=at(27, 12, 5))
    c = complaint_reopen(
        actor=desk_user, complaint=c, reason="顾客不满意", due_at=at(28, 12), now=at(27, 13)
    )
    assert c.state == "assigned" and c.reopen_count == 1 and c.resolved_at is None


def test_internal_notes_are_kept_apart_from_what_the_customer_was_told(complaint, desk_user):
    complaint_note_add(actor=desk_user, complaint=complaint, text="店长推诿", customer_facing=False)
    complaint_note_add(
        actor=desk_user, complaint=complaint, text="已告知三日内答复", customer_facing=True
    )
    codes = dict(
        complaint.activities.filter(code__in=["note", "customer_told"]).values_list("code", "text")
    )
    assert codes == {"note": "店长推诿", "customer_told": "已告知三日内答复"}


def test_phone_call_turns_into_a_complaint_once(desk_user, mall, shop):
    call = phone_call_log(
        actor=desk_user, mall=mall, topic="complaint", caller_name="李女士", phone="139 1234 5678"
    )
    assert call.phone == "13912345678"
    c = make_complaint(actor=desk_user, mall=mall, unit=shop, phone_call=call, channel="phone")
    call.refresh_from_db()
    assert call.complaint == c
    with pytest.raises(ValidationError):
        make_complaint(actor=desk_user, mall=mall, unit=shop, phone_call=call)


def test_the_days_complaints_are_mailed_once_in_the_daily_report(complaint, desk_user, mall):
    # given a complaint and a call today, and the mall's one recipient list
    phone_call_log(actor=desk_user, mall=mall, topic="inquiry", now=at(27, 12))
    mall.report_recipients = "boss@example.com"
    mall.save()
    # when both dispatchers run after the report time (a Friday)
    assert summaries_dispatch(now=at(27, 17, 50)) == 0
    assert daily_reports_dispatch(now=at(27, 17, 50)) == 1
    daily_reports_dispatch(now=at(27, 17, 55))
    # then the day's complaints are the report's section, mailed once, and
    # no daily complaints summary is built or mailed on its own
    report = DailyReport.objects.get(mall=mall, day=datetime.date(2026, 11, 27))
    section = next(s for s in report.data if s["key"] == "complaints")
    lines = {line["label"]: line["value"] for line in section["lines"]}
    assert lines["Complaints received"] == 1 and lines["Calls logged"] == 1
    assert not Summary.objects.filter(mall=mall, period="day").exists()
    assert not Message.objects.filter(channel="email").exists()
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]


def test_timeline_events_are_append_only(complaint):
    from django.db import transaction
    from django.db.utils import InternalError

    event = Activity.objects.filter(complaint=complaint).first()
    with pytest.raises(InternalError):
        with transaction.atomic():
            Activity.objects.filter(pk=event.pk).update(text="changed")


def test_phone_call_model_has_topics():
    assert "lost_item" in PhoneCall.Topic.values


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_fire_each_rung_once(desk_user, mall, shop):
    # given an overdue complaint and two beat dispatchers racing
    c = make_complaint(actor=desk_user, mall=mall, unit=shop)
    late = c.resolution_due_at + datetime.timedelta(days=5)
    results, barrier = [], threading.Barrier(2)

    def dispatch():
        try:
            barrier.wait()
            results.append(escalations_dispatch(now=late))
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then together they fired three rungs, and each rung has one event
    assert sum(results) == 3
    assert c.activities.filter(code__in=["escalated", "sla_warning"]).count() == 3


def test_weekly_and_monthly_summaries_on_their_days(mall, complaint):
    # given the mall's report recipients
    mall.report_recipients = "boss@example.com"
    mall.save()
    # 2026-11-29 is a Sunday; 2026-11-30 is the last day of the month: each
    # summary is built at the mall's report time (17:45), not before
    assert summaries_dispatch(now=at(29, 17, 40)) == 0
    assert summaries_dispatch(now=at(29, 18)) == 1
    assert Summary.objects.get(mall=mall, period="week").starts_on == datetime.date(2026, 11, 23)
    assert summaries_dispatch(now=at(30, 18)) == 1
    assert Summary.objects.get(mall=mall, period="month").starts_on == datetime.date(2026, 11, 1)
    # then each is e-mailed once to the mall's report recipients
    mails = Message.objects.filter(channel="email", recipient="boss@example.com")
    assert mails.count() == 2


def test_safety_complaint_alerts_supervisors_at_once(desk_user, supervisor_user, mall, shop):
    supervisor_user.email = "zhang@example.com"
    supervisor_user.save()
    c = make_complaint(actor=desk_user, mall=mall, unit=shop, severity="safety")
    assert c.activities.filter(code="escalated").exists()
    assert Message.objects.filter(
        channel="email", recipient="zhang@example.com", source=f"complaint:{c.pk}"
    ).exists()
    # and its clock runs round the clock: 2 hours to resolve even at night
    night = make_complaint(actor=desk_user, mall=mall, unit=shop, severity="safety", now=at(27, 23))
    assert night.resolution_due_at == at(28, 1)


def test_timeline_is_rendered_in_the_readers_language(complaint):
    from django.utils.translation import override

    from complaints.timeline import describe

    received = complaint.activities.get(code="received")
    with override("en"):
        assert describe(received) == "Received via at the desk, severity normal."
    with override("zh-hans"):
        assert describe(received) == "通过客服台受理，紧急程度：一般。"
