"""Spot checks (查岗) and undeclared absences (离岗未报): the reconciliation
of a check against the roster, the punch log and the off-post log; the
explain / review flow; the monthly report's column; who may do what."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from mallservice.audit import Source, actor_context
from mallservice.home import today_items
from mallservice.roles import Role
from mallservice.services import system_actor_id
from mallservice.tests.factories import make_staff
from rosters.models import SpotCheck, SpotCheckEntry, UndeclaredAbsence
from rosters.selectors.attendance import monthly_report
from rosters.selectors.spot_checks import suggested_check_times
from rosters.services.attendance import clock_record
from rosters.services.off_post import off_post_return, off_post_start
from rosters.services.roster import assignment_set, post_qualify, week_get_or_create, week_publish
from rosters.services.spot_checks import (
    spot_check_record,
    undeclared_absence_explain,
    undeclared_absence_review,
)
from rosters.tests.conftest import acting, at, last_event
from rosters.tests.factories import roster_setup

pytestmark = pytest.mark.django_db

Result = SpotCheckEntry.Result
State = UndeclaredAbsence.State


@pytest.fixture
def newcomer(mall, roster):
    person = make_staff(role=Role.DESK, mall=mall, username="desk3", display_name="王芳")
    with actor_context(actor_id=system_actor_id(), source=Source.COMMAND):
        for post in roster["posts"].values():
            post_qualify(actor=None, post=post, staff=person)
    return person


@pytest.fixture
def shift_day(mall, roster, supervisor_user, desk_user, colleague, broadcaster_user, newcomer):
    """Next Monday published, everybody on the early shift A (08:30–14:30):
    desk_user and colleague at the desk, the broadcaster in the broadcast
    room, the newcomer in the mailroom. All but the newcomer clock in."""
    day = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())
    posts = roster["posts"]
    with acting(supervisor_user):
        for person, post in (
            (desk_user, "desk"),
            (colleague, "desk"),
            (broadcaster_user, "broadcast"),
            (newcomer, "mailroom"),
        ):
            assignment_set(
                actor=supervisor_user,
                mall=mall,
                staff=person,
                date=day,
                shift_type=roster["shifts"]["A"],
                post=posts[post],
            )
        week_publish(
            actor=supervisor_user,
            week=week_get_or_create(actor=supervisor_user, mall=mall, day=day),
        )
    for person in (desk_user, colleague, broadcaster_user):
        clock_record(staff=person, mall=mall, kind="in", now=at(day, 8, 25))
    return day


def _results(check: SpotCheck) -> dict[str, str]:
    return {e.staff.username: e.result for e in check.entries.select_related("staff")}


def test_a_check_reconciles_found_missing_off_post_and_not_clocked_in(
    mall, supervisor_user, desk_user, colleague, broadcaster_user, newcomer, roster, shift_day
):
    # given the broadcaster on the off-post log since 09:50
    off_post_start(
        actor=broadcaster_user,
        mall=mall,
        post=roster["posts"]["broadcast"],
        reason="去洗手间",
        now=at(shift_day, 9, 50),
    )
    extra = make_staff(role=Role.DESK, mall=mall, username="desk4")
    # when the supervisor finds desk_user at the desk at 10:00, and desk4 who
    # is not rostered
    with acting(supervisor_user):
        check = spot_check_record(
            actor=supervisor_user,
            mall=mall,
            present=[desk_user],
            also_found=[extra],
            note="上午查岗",
            now=at(shift_day, 10),
        )
    # then each person has the result the records give
    assert _results(check) == {
        desk_user.username: Result.PRESENT,
        colleague.username: Result.MISSING,
        broadcaster_user.username: Result.OFF_POST,
        newcomer.username: Result.NOT_CLOCKED_IN,
        "desk4": Result.NOT_ROSTERED,
    }
    # and only the clocked-in, not-off-post, missing colleague has an absence
    [absence] = UndeclaredAbsence.objects.all()
    assert (absence.staff, absence.state, absence.post) == (
        colleague,
        State.AWAITING_EXPLANATION,
        roster["posts"]["desk"],
    )
    assert (check.checker, check.at, check.note) == (supervisor_user, at(shift_day, 10), "上午查岗")
    assert last_event(check).pgh_context["user"] == supervisor_user.pk
    assert last_event(absence).pgh_context["user"] == supervisor_user.pk


def test_back_from_off_post_before_the_check_and_not_found_is_an_absence(
    mall, supervisor_user, desk_user, colleague, broadcaster_user, roster, shift_day
):
    record = off_post_start(
        actor=broadcaster_user,
        mall=mall,
        post=roster["posts"]["broadcast"],
        reason="取快递",
        now=at(shift_day, 9),
    )
    off_post_return(actor=broadcaster_user, record=record, now=at(shift_day, 9, 20))
    check = spot_check_record(
        actor=supervisor_user, mall=mall, present=[desk_user, colleague], now=at(shift_day, 10)
    )
    assert _results(check)[broadcaster_user.username] == Result.MISSING
    assert UndeclaredAbsence.objects.get().staff == broadcaster_user


def test_clocked_out_or_clocked_in_yesterday_is_not_an_absence(
    mall, supervisor_user, desk_user, colleague, broadcaster_user, newcomer, shift_day
):
    # given the colleague clocked out at 09:30, and the newcomer's forgotten
    # clock-in of the day before (no clock-out)
    clock_record(staff=colleague, mall=mall, kind="out", now=at(shift_day, 9, 30))
    clock_record(
        staff=newcomer, mall=mall, kind="in", now=at(shift_day - datetime.timedelta(days=1), 16)
    )
    check = spot_check_record(
        actor=supervisor_user, mall=mall, present=[broadcaster_user], now=at(shift_day, 10)
    )
    results = _results(check)
    assert results[colleague.username] == Result.NOT_CLOCKED_IN
    assert results[newcomer.username] == Result.NOT_CLOCKED_IN
    assert results[desk_user.username] == Result.MISSING
    assert list(UndeclaredAbsence.objects.values_list("staff", flat=True)) == [desk_user.pk]


def test_someone_of_another_mall_cannot_be_recorded(
    mall, other_mall, supervisor_user, desk_user, shift_day
):
    stranger = make_staff(role=Role.DESK, mall=other_mall, username="o-desk")
    for field, kwargs in (
        ("present", {"present": [stranger]}),
        ("also_found", {"also_found": [stranger]}),
    ):
        with pytest.raises(ValidationError) as exc:
            spot_check_record(actor=supervisor_user, mall=mall, now=at(shift_day, 10), **kwargs)
        assert exc.value.error_dict[field][0].code == "other_mall"
    # nor may a supervisor record a check at a mall they do not work at
    with pytest.raises(ValidationError):
        spot_check_record(actor=supervisor_user, mall=other_mall, now=at(shift_day, 10))
    assert SpotCheck.objects.count() == 0 and UndeclaredAbsence.objects.count() == 0


def test_desk_staff_cannot_record_a_check(mall, desk_user, colleague, shift_day):
    with pytest.raises(ValidationError) as exc:
        spot_check_record(actor=desk_user, mall=mall, present=[colleague], now=at(shift_day, 10))
    assert exc.value.code == "not_supervisor"
    assert SpotCheck.objects.count() == 0


@pytest.fixture
def absence(mall, supervisor_user, desk_user, colleague, broadcaster_user, shift_day):
    """The colleague missing at 10:00."""
    with acting(supervisor_user):
        spot_check_record(
            actor=supervisor_user,
            mall=mall,
            present=[desk_user, broadcaster_user],
            now=at(shift_day, 10),
        )
    return UndeclaredAbsence.objects.get(staff=colleague)


def test_the_person_explains_and_the_supervisor_confirms_with_audit_rows(
    mall, supervisor_user, desk_user, colleague, absence, shift_day
):
    # when the colleague explains
    with acting(colleague):
        undeclared_absence_explain(
            actor=colleague, absence=absence, explanation="  去仓库拿雨伞  ", now=at(shift_day, 11)
        )
    absence.refresh_from_db()
    assert (absence.state, absence.explanation) == (State.EXPLAINED, "去仓库拿雨伞")
    assert last_event(absence).pgh_context["user"] == colleague.pk
    # and a second explanation is refused
    with pytest.raises(ValidationError):
        undeclared_absence_explain(actor=colleague, absence=absence, explanation="again")
    # when the supervisor confirms it
    with acting(supervisor_user):
        undeclared_absence_review(
            actor=supervisor_user, absence=absence, decision=State.CONFIRMED, note="未登记离岗"
        )
    absence.refresh_from_db()
    assert (absence.state, absence.reviewed_by, absence.review_note) == (
        State.CONFIRMED,
        supervisor_user,
        "未登记离岗",
    )
    assert last_event(absence).pgh_context["user"] == supervisor_user.pk
    # then it cannot be excused afterwards
    with pytest.raises(ValidationError):
        undeclared_absence_review(actor=supervisor_user, absence=absence, decision=State.EXCUSED)
    # and it counts on the monthly report
    rows = {r.staff: r for r in monthly_report(user=supervisor_user, mall=mall, month=shift_day)}
    assert rows[colleague].undeclared_absences == 1
    assert rows[desk_user].undeclared_absences == 0


def test_only_the_person_explains_and_nobody_decides_on_their_own(
    mall, supervisor_user, manager_user, desk_user, colleague, absence, shift_day
):
    for someone in (desk_user, supervisor_user):
        with pytest.raises(ValidationError) as exc:
            undeclared_absence_explain(actor=someone, absence=absence, explanation="替他说明")
        assert exc.value.code == "not_own"
    with pytest.raises(ValidationError) as exc:
        undeclared_absence_review(actor=colleague, absence=absence, decision=State.EXCUSED)
    assert exc.value.code == "not_supervisor"
    # an excused absence is not counted
    undeclared_absence_review(actor=manager_user, absence=absence, decision=State.EXCUSED)
    rows = {r.staff: r for r in monthly_report(user=supervisor_user, mall=mall, month=shift_day)}
    assert rows[colleague].undeclared_absences == 0


def test_suggested_times_are_stable_within_opening_hours_and_differ_by_day(mall, other_mall):
    day = datetime.date(2026, 11, 2)
    times = suggested_check_times(mall=mall, day=day)
    assert times == suggested_check_times(mall=mall, day=day)
    assert len(times) == 3 and times == sorted(times)
    opens, closes = at(day, mall.opens_at.hour), at(day, mall.closes_at.hour)
    assert all(opens <= t < closes for t in times)
    assert times != suggested_check_times(mall=mall, day=day + datetime.timedelta(days=1))
    assert times != suggested_check_times(mall=other_mall, day=day)


# --- pages -----------------------------------------------------------------


def test_the_check_page_lists_who_is_rostered_and_records_the_check(
    client, mall, supervisor_user, desk_user, colleague, broadcaster_user, shift_day
):
    client.force_login(supervisor_user)
    with time_machine.travel(at(shift_day, 10), tick=False):
        page = client.get(reverse("rosters:spot_check_new"))
        html = page.content.decode()
        assert 'data-testid="spot-post-desk"' in html
        assert f'data-testid="present-{colleague.username}"' in html
        assert 'data-testid="suggested-times"' in html
        response = client.post(
            reverse("rosters:spot_check_new"),
            {"mall": mall.pk, "present": [desk_user.pk, broadcaster_user.pk], "note": ""},
        )
    check = SpotCheck.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "rosters:spot_check", args=[check.pk]
    )
    result = client.get(response["Location"]).content.decode()
    assert (
        'data-testid="result-missing"' in result and 'data-testid="result-not_clocked_in"' in result
    )
    assert UndeclaredAbsence.objects.get().staff == colleague


def test_bad_input_on_the_check_form_is_shown_next_to_the_field(
    client, mall, other_mall, supervisor_user, shift_day
):
    stranger = make_staff(role=Role.DESK, mall=other_mall, username="o-desk")
    client.force_login(supervisor_user)
    for data in ({"present": [stranger.pk]}, {"also_found": ["x"]}, {"note": "x" * 301}):
        response = client.post(reverse("rosters:spot_check_new"), {"mall": mall.pk, **data})
        assert response.status_code == 200
        assert 'data-testid="error-' in response.content.decode()
    assert SpotCheck.objects.count() == 0


def test_the_person_sees_the_absence_at_home_and_explains_it_on_the_page(
    client, supervisor_user, colleague, absence
):
    # given the colleague's home page asks for an explanation
    client.force_login(colleague)
    assert [i.count for i in today_items(colleague) if "absences" in i.url] == [1]
    page = client.get(reverse("rosters:absences")).content.decode()
    assert f'data-testid="absence-{absence.pk}"' in page and 'data-testid="explain-form"' in page
    # when they explain
    response = client.post(
        reverse("rosters:absence_explain", args=[absence.pk]), {"explanation": "顾客带路"}
    )
    assert response.status_code == 302
    absence.refresh_from_db()
    assert absence.state == State.EXPLAINED
    # then the supervisor's home page has one explanation to review
    [item] = [i for i in today_items(supervisor_user) if "absences" in i.url]
    assert item.count == 1 and "state=explained" in item.url


def test_review_buttons_decide_and_the_report_highlights_repeats(
    client, mall, supervisor_user, desk_user, colleague, broadcaster_user, absence, shift_day
):
    # given a second absence of the colleague later that day
    spot_check_record(
        actor=supervisor_user,
        mall=mall,
        present=[desk_user, broadcaster_user],
        now=at(shift_day, 13),
    )
    client.force_login(supervisor_user)
    for one in UndeclaredAbsence.objects.all():
        response = client.post(reverse("rosters:absence_confirm", args=[one.pk]), {"note": ""})
        assert response.status_code == 302
    assert set(UndeclaredAbsence.objects.values_list("state", flat=True)) == {State.CONFIRMED}
    month = f"{shift_day:%Y-%m}"
    report = client.get(reverse("rosters:report") + f"?month={month}").content.decode()
    assert (
        f'data-testid="undeclared-{colleague.username}" class="table-danger fw-bold">2<' in report
    )
    assert f'data-testid="undeclared-{desk_user.username}">0<' in report
    export = client.get(reverse("rosters:report_export") + f"?month={month}")
    sheet = load_workbook(filename=io.BytesIO(export.content)).active
    header = [c.value for c in sheet[1]]
    column = header.index("离岗未报")
    values = {row[1].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert values[str(colleague)] == 2


def test_a_refused_explanation_changes_nothing(client, supervisor_user, absence):
    client.force_login(supervisor_user)
    response = client.post(
        reverse("rosters:absence_explain", args=[absence.pk]), {"explanation": "x"}, follow=True
    )
    assert "只有本人" in response.content.decode()
    absence.refresh_from_db()
    assert absence.state == State.AWAITING_EXPLANATION


@pytest.fixture
def other_absence(other_mall):
    """An absence at the other mall, found by its own supervisor."""
    person = make_staff(role=Role.DESK, mall=other_mall, username="o-desk")
    boss = make_staff(role=Role.SUPERVISOR, mall=other_mall, username="o-sup")
    shifts, posts = roster_setup(other_mall, qualified=[person])
    day = datetime.date(2026, 11, 2)
    assignment_set(
        actor=boss,
        mall=other_mall,
        staff=person,
        date=day,
        shift_type=shifts["A"],
        post=posts["desk"],
    )
    week_publish(actor=boss, week=week_get_or_create(actor=boss, mall=other_mall, day=day))
    clock_record(staff=person, mall=other_mall, kind="in", now=at(day, 8, 20))
    spot_check_record(actor=boss, mall=other_mall, now=at(day, 10))
    return UndeclaredAbsence.objects.get(staff=person)


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("desk_user", "rosters:spot_check_new", 403),
        ("desk_user", "rosters:spot_checks", 403),
        ("broadcaster_user", "rosters:spot_check_new", 403),
        ("desk_user", "rosters:absences", 200),
        ("supervisor_user", "rosters:spot_check_new", 200),
        ("supervisor_user", "rosters:spot_checks", 200),
        ("manager_user", "rosters:spot_check_new", 200),
    ],
)
def test_who_may_open_the_pages(client, request, role, name, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(name)).status_code == status


def test_another_malls_supervisor_gets_404(
    client, mall, other_mall, supervisor_user, other_absence, colleague
):
    client.force_login(supervisor_user)
    check = other_absence.spot_check
    assert (
        client.get(reverse("rosters:spot_check_new") + f"?mall={other_mall.pk}").status_code == 404
    )
    assert client.get(reverse("rosters:spot_check", args=[check.pk])).status_code == 404
    for action in ("absence_confirm", "absence_excuse", "absence_explain"):
        assert client.post(reverse(f"rosters:{action}", args=[other_absence.pk])).status_code == 404
    # and a colleague of the same mall cannot reach someone else's absence
    client.force_login(colleague)
    response = client.post(
        reverse("rosters:absence_explain", args=[other_absence.pk]), {"explanation": "x"}
    )
    assert response.status_code == 404
    other_absence.refresh_from_db()
    assert other_absence.state == State.AWAITING_EXPLANATION


def test_colleagues_cannot_see_each_others_absences(client, desk_user, absence):
    client.force_login(desk_user)
    assert (
        f'data-testid="absence-{absence.pk}"'
        not in client.get(reverse("rosters:absences")).content.decode()
    )
    assert (
        client.post(
            reverse("rosters:absence_explain", args=[absence.pk]), {"explanation": "x"}
        ).status_code
        == 404
    )


def test_spot_check_pages_query_count_is_bounded(
    client, supervisor_user, absence, django_assert_max_num_queries
):
    client.force_login(supervisor_user)
    for url in (
        reverse("rosters:spot_checks"),
        reverse("rosters:absences"),
        reverse("rosters:spot_check", args=[absence.spot_check_id]),
        reverse("rosters:spot_check_new"),
    ):
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
