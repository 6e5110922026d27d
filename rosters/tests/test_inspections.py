from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from rosters.selectors.inspections import inspection_summary
from rosters.services.inspections import inspection_record
from rosters.services.training import training_session_record
from rosters.tests.conftest import acting, last_event

pytestmark = pytest.mark.django_db


def test_daily_inspections_add_up_to_a_monthly_summary(desk_user, supervisor_user, mall):
    day = datetime.date(2026, 11, 2)
    with acting(supervisor_user):
        first = inspection_record(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=day,
            discipline=5,
            attitude=4,
            appearance=5,
            skills=3,
            note="",
        )
        inspection_record(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=day + datetime.timedelta(days=1),
            discipline=3,
            attitude=4,
            appearance=5,
            skills=5,
            note="迟到",
        )
    assert last_event(first).pgh_context["user"] == supervisor_user.pk
    [row] = inspection_summary(user=supervisor_user, mall=mall, month=day)
    assert row["count"] == 2 and row["discipline"] == 4.0 and row["total"] == 17.0


def test_scores_are_one_to_five_and_staff_cannot_inspect(
    desk_user, colleague, supervisor_user, mall
):
    with pytest.raises(ValidationError):
        inspection_record(
            actor=supervisor_user,
            mall=mall,
            staff=desk_user,
            date=datetime.date(2026, 11, 2),
            discipline=6,
            attitude=4,
            appearance=5,
            skills=3,
        )
    with pytest.raises(ValidationError) as exc:
        inspection_record(
            actor=desk_user,
            mall=mall,
            staff=colleague,
            date=datetime.date(2026, 11, 2),
            discipline=5,
            attitude=4,
            appearance=5,
            skills=3,
        )
    assert exc.value.code == "not_supervisor"


def test_training_sessions_record_attendees(desk_user, colleague, supervisor_user, mall):
    session = training_session_record(
        actor=supervisor_user,
        mall=mall,
        topic="礼仪培训",
        date=datetime.date(2026, 11, 5),
        trainer="张主管",
        attendees=[desk_user, colleague],
    )
    assert session.attendances.count() == 2
