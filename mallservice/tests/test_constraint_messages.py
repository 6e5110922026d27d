"""Every check constraint a person can break through a form has a field and
a message in the staff's words (``CONSTRAINT_MESSAGES`` on its model); the
others are listed here as internal invariants that only code can break. A
new CheckConstraint fails this test until it is put in one of the two."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.utils import IntegrityError
from django.urls import reverse
from django.utils import translation

from mallservice.constraints import constraint_errors, integrity_validation_error

# Constraints that only code can break: states and the times and people that
# go with them, links set by services, derived values.
INTERNAL = {
    # broadcasts
    "routine_airing_aired_has_time_and_actor",
    "announcement_only_ads_wait_for_approval",
    "announcement_ads_aired_only_when_decided",
    "airing_aired_has_time_and_actor",
    "missing_case_found_has_time",
    "screen_message_live_only_when_approved",
    "screen_edit_decided_by_someone",
    # complaints
    "complaint_state_matches_status_category",
    "complaint_merged_has_target",
    "complaint_closed_has_time",
    "complaint_pause_only_when_paused",
    "activity_one_case",
    "complaint_attachment_size",  # the service checks the upload first
    "compensation_decision_has_decider",
    "escalation_one_case",
    "complaint_summary_range",
    "fault_assigned_not_fixed",
    "fault_fixed_has_time",
    "fault_closed_has_time",
    # desk
    "incident_closed_at_matches_status",
    "releasepass_used_at_matches_status",
    "returncase_escalated_has_complaint",
    "invoice_issued_has_number",
    "parking_applied_at_matches_status",
    "parking_receipt_amount_positive",  # the form and the car park's rules check first
    "group_purchase_ordered_was_quoted",
    "group_quote_positive",  # the quote form and service check first
    # mailroom
    "mailroom_parcel_collected_has_pickup",
    "mailroom_parcel_returned_has_time",
    "mailroom_parcel_escalation_after_reminder",
    "mailroom_outgoing_dispatched_in_batch",
    "mailroom_found_announcement_requested",
    "mailroom_found_disposal_recorded",
    "mailroom_claim_verified_by_staff",
    "mailroom_loan_deposit_after_return",
    # members
    "member_balance_not_negative",
    "member_merged_has_survivor",
    "card_member_matches_status",
    "points_balance_after_not_negative",
    "points_not_zero",
    # rosters
    "week_starts_monday",
    "week_published_has_when_and_who",
    "assignment_starts_before_end",
    "assignment_swapped_names_its_swap",
    "swap_approved_after_acceptance_and_decision",
    "leave_approved_by_every_level",
    "offpost_back_after_out",
    "handover_acknowledged_has_who_and_when",
    "supplyrequisition_decided_has_who_and_when",
    "supplyrequisition_issued_has_who_and_when",
    "mealchange_decided_has_who_and_when",
    "spotcheckentry_rostered_has_shift",
    "undeclaredabsence_explained_has_text",
    "undeclaredabsence_decided_has_who_and_when",
    "clockflag_has_a_reason",
    "clockflag_reviewed_has_who_and_when",
}


# A field that exists only on the form (the service raises on it too).
FORM_ONLY = {("screen_edit_has_screens", "screens")}


def _check_constraints():
    for model in apps.get_models():
        if model._meta.app_label not in settings.PROJECT_APPS:
            continue
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.CheckConstraint):
                yield model, constraint


def test_every_check_constraint_has_a_message_or_is_declared_internal():
    unclassified, both, no_field = [], [], []
    names = set()
    for model, constraint in _check_constraints():
        names.add(constraint.name)
        messages = getattr(model, "CONSTRAINT_MESSAGES", {})
        if constraint.name in messages and constraint.name in INTERNAL:
            both.append(constraint.name)
        elif constraint.name not in messages and constraint.name not in INTERNAL:
            unclassified.append(f"{model.__name__}.{constraint.name}")
        elif constraint.name in messages:
            # On a field the constraint reads: a ModelForm without that field
            # skips the constraint, so it never names a field the form lacks.
            field = messages[constraint.name][0]
            reads = models.Q(constraint.condition).referenced_base_fields
            if (
                field is not None
                and (constraint.name, field) not in FORM_ONLY
                and field not in reads
            ):
                no_field.append(f"{model.__name__}.{constraint.name} -> {field}")
    assert unclassified == [], "give these a field and message, or list them as INTERNAL"
    assert both == []
    assert no_field == []
    assert len(names) > 80  # the walk found the project's constraints
    assert INTERNAL <= names, f"stale INTERNAL entries: {sorted(INTERNAL - names)}"
    for model in apps.get_models():
        stale = set(getattr(model, "CONSTRAINT_MESSAGES", {})) - {
            c.name for c in model._meta.constraints
        }
        assert not stale, f"{model.__name__} lists constraints it does not have: {stale}"


def test_every_constraint_message_is_translated():
    with translation.override("zh-hans"):
        untranslated = [
            f"{model.__name__}.{name}: {message}"
            for model in apps.get_models()
            for name, (_, message) in getattr(model, "CONSTRAINT_MESSAGES", {}).items()
            if str(message) and str(message).isascii()
        ]
    assert untranslated == []


@pytest.mark.django_db
def test_full_clean_puts_a_listed_constraint_on_its_field(mall):
    mall.closes_at = datetime.time(9, 0)
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as caught:
            mall.full_clean()
        assert caught.value.message_dict == {"closes_at": ["闭店时间必须晚于开店时间。"]}
    assert caught.value.error_dict["closes_at"][0].code == "mall_opens_before_closing"
    assert NON_FIELD_ERRORS not in caught.value.error_dict


@pytest.mark.django_db
def test_a_constraint_the_database_refuses_becomes_the_same_field_error(mall):
    from mallservice.models import Mall

    with pytest.raises(ValidationError) as caught:
        with constraint_errors():
            Mall.objects.filter(pk=mall.pk).update(closes_at=datetime.time(9, 0))
    assert caught.value.error_dict["closes_at"][0].code == "mall_opens_before_closing"
    # the savepoint rolled back: the connection is usable and nothing changed
    mall.refresh_from_db()
    assert mall.closes_at == datetime.time(22, 0)


@pytest.mark.django_db
def test_an_internal_constraint_the_database_refuses_stays_an_integrity_error(mall):
    from rosters.models import Week

    with pytest.raises(IntegrityError) as caught:
        with constraint_errors():
            Week.objects.create(mall=mall, week_start=datetime.date(2026, 12, 1))
    assert integrity_validation_error(caught.value) is None


# --- through the admin, where managers keep the settings ---------------------


def _post_data(form) -> dict:
    """What the browser would send back for the admin form as shown."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.SplitDateTimeWidget):
            parts = field.widget.decompress(value)
            data[f"{name}_0"], data[f"{name}_1"] = (p or "" for p in parts)
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def _make_shift_type(mall):
    from rosters.tests.factories import roster_setup

    shifts, _posts = roster_setup(mall)
    return shifts["A"]


def _make_roster_policy(mall):
    from rosters.models import RosterPolicy

    return RosterPolicy.objects.create(mall=mall)


def _make_desk_settings(mall):
    from complaints.models import DeskSettings

    return DeskSettings.objects.get_or_create(mall=mall)[0]  # a new mall has its row


def _make_sla_policy(mall):
    from complaints.models import SlaPolicy

    return SlaPolicy.objects.update_or_create(
        mall=mall,
        severity="normal",
        tier="",
        defaults={"response_minutes": 30, "resolution_minutes": 240},
    )[0]


def _make_fault_route(mall):
    from complaints.models import FaultRoute

    return FaultRoute.objects.update_or_create(
        mall=mall,
        fault_type=FaultRoute._meta.get_field("fault_type").choices[0][0],
        defaults={
            "department": FaultRoute._meta.get_field("department").choices[0][0],
            "resolution_minutes": 60,
        },
    )[0]


def _make_gift(mall):
    from members.tests.factories import GiftFactory

    return GiftFactory(mall=mall)


ADMIN_CASES = [
    # (make, field, value, the message shown next to the field)
    (lambda mall: mall, "closes_at", "09:00", "闭店时间必须晚于开店时间。"),
    (_make_shift_type, "end", "08:30:00", "班次的开始和结束时间不能相同。"),
    (_make_roster_policy, "off_post_limit_minutes", "0", "至少 1 分钟。"),
    (_make_desk_settings, "fault_repeat_count", "1", "至少 2 次报修，统计天数至少 1 天。"),
    (_make_sla_policy, "response_minutes", "0", "响应时限和解决时限必须大于零分钟。"),
    (_make_fault_route, "resolution_minutes", "0", "必须大于零。"),
    (_make_gift, "points_cost", "0", "必须大于零。"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "field", "value", "expected"),
    ADMIN_CASES,
    ids=["mall", "shift_type", "roster_policy", "desk_settings", "sla", "fault_route", "gift"],
)
def test_an_admin_change_the_database_would_refuse_is_refused_on_its_field(
    client, manager_user, mall, make, field, value, expected
):
    obj = make(mall)
    model = type(obj)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    client.force_login(manager_user)
    page = client.get(url)
    assert page.status_code == 200
    data = _post_data(page.context["adminform"].form)
    data[field] = value
    before = model.objects.filter(pk=obj.pk).values().get()
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors.get(field) == [expected], form.errors
    assert not form.non_field_errors()
    assert "约束" not in response.content.decode()
    assert model.objects.filter(pk=obj.pk).values().get() == before


def test_a_service_error_on_a_field_the_form_lacks_shows_on_top_not_a_crash():
    from mallservice.forms import add_service_error

    class Form(forms.Form):
        ends_on = forms.DateField()

    form = Form({"ends_on": "2026-12-01"})
    assert form.is_valid()
    add_service_error(
        form,
        ValidationError(
            {
                "ends_on": ValidationError("end", code="a"),
                "screen_ids": ValidationError("screens", code="b"),
            }
        ),
    )
    assert form.errors["ends_on"] == ["end"]
    assert form.non_field_errors() == ["screens"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "broken"),
    [
        ({"state": "closed", "status_category": "closed"}, {"complaint_closed_has_time"}),
        (
            {"state": "merged", "status_category": "closed"},
            {"complaint_merged_has_target"},
        ),
        (
            {
                "state": "new",
                "status_category": "open",
                "paused_since": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
            },
            {"complaint_pause_only_when_paused"},
        ),
        (
            {"state": "closed", "status_category": "open"},
            {"complaint_closed_has_time", "complaint_state_matches_status_category"},
        ),
        ({"state": "new", "status_category": "open"}, set()),
    ],
)
def test_a_check_constraint_reads_only_its_fields_and_decides_as_django_does(fields, broken):
    """`full_clean()` hands each check only the fields it reads (fast on a
    model of forty fields): the same verdicts as Django's own validation,
    and a field left out by `exclude` still skips the checks reading it."""
    from complaints.models import Complaint
    from mallservice.constraints import check_constraint_validate

    complaint = Complaint(**fields)
    checks = [c for c in Complaint._meta.constraints if isinstance(c, models.CheckConstraint)]

    def failing(validate, exclude) -> set[str]:
        failed = set()
        for constraint in checks:
            try:
                validate(constraint, exclude)
            except ValidationError:
                failed.add(constraint.name)
        return failed

    def ours(constraint, exclude):
        check_constraint_validate(constraint, Complaint, complaint, exclude, "default")

    def djangos(constraint, exclude):
        constraint.validate(Complaint, complaint, exclude=exclude)

    for exclude in (None, {"state"}):
        assert failing(ours, exclude) == failing(djangos, exclude)
    assert failing(ours, None) == broken
    reads_state = {
        c.name for c in checks if "state" in models.Q(c.condition).referenced_base_fields
    }
    assert failing(ours, {"state"}) == broken - reads_state
