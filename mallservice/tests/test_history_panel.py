"""The operation history panel reads like the rest of the desk's screens
(issue 25 item 7, issue 16 item 5): labels, local times, choice labels,
masked phones, and no loader where the panel would answer 404."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from complaints.tests.factories import make_complaint
from mallservice.audit import Source, actor_context
from mallservice.history import is_phone_field
from mallservice.models import User
from members.models import Member
from members.tests.factories import MemberFactory


def _panel(client, user, obj, language: str = "en") -> str:
    client.force_login(user)
    url = reverse("history_panel", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def member(mall, desk_user):
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        return MemberFactory(mall=mall, phone="13812345678", name="李女士", registered_by=desk_user)


def test_phone_numbers_are_masked_in_history(client, supervisor_user, member):
    # given a member whose number was later corrected
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        Member.objects.filter(pk=member.pk).update(phone="13987654321")
    # when a supervisor opens the history panel
    body = _panel(client, supervisor_user, member)
    # then both numbers are masked, never shown in full
    assert "138****5678" in body and "139****4321" in body
    assert "13812345678" not in body and "13987654321" not in body


def test_complainant_phone_is_masked_in_history(client, supervisor_user, desk_user, mall):
    complaint = make_complaint(actor=desk_user, mall=mall, complainant_phone="13812345678")
    body = _panel(client, supervisor_user, complaint)
    assert "138****5678" in body
    assert "13812345678" not in body


def test_every_phone_field_of_every_model_is_recognised():
    from django.apps import apps
    from django.conf import settings

    phone_like = [
        f"{model._meta.label}.{field.name}"
        for app in settings.PROJECT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if any(word in field.name for word in ("phone", "mobile"))
        and field.get_internal_type() == "CharField"
    ]
    assert len(phone_like) >= 10
    assert [name for name in phone_like if not is_phone_field(name.rsplit(".", 1)[1])] == []


def test_times_are_local_and_labels_are_words(client, supervisor_user, desk_user, mall):
    # given a complaint reassigned, with a due time stored in UTC
    complaint = make_complaint(actor=desk_user, mall=mall)
    due = datetime.datetime(2026, 12, 2, 3, 0, tzinfo=datetime.UTC)  # 11:00 in Shanghai
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        Complaint.objects.filter(pk=complaint.pk).update(
            handler_due_at=due, assignment_no=2, severity="urgent"
        )
    body = _panel(client, supervisor_user, complaint)
    # then the time is the mall's, formatted like the rest of the UI
    assert "2026-12-02 11:00" in body
    assert "2026-12-02T03:00" not in body and "+00:00" not in body
    # the field has a word for a label, not its code
    assert "assignment no" not in body
    assert "assignment round" in body
    # a choice shows its label
    assert "紧急" in _panel(client, supervisor_user, complaint, "zh-hans")


def test_empty_json_and_blank_values_show_a_dash(client, supervisor_user, mall):
    from mallservice.models import DailyReport

    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        report = DailyReport.objects.create(
            mall=mall, day=timezone.localdate(), generated_at=timezone.now(), data={}
        )
        DailyReport.objects.filter(pk=report.pk).update(data={"complaints": 3})
    body = _panel(client, supervisor_user, report)
    assert "{}" not in body
    assert "complaints: 3" in body


def test_the_actor_is_named_with_the_login(client, supervisor_user, member):
    body = _panel(client, supervisor_user, member)
    assert "陈晓雯 (desk)" in body


def test_desk_staff_get_no_history_loader(client, desk_user, supervisor_user, mall):
    # given a complaint the desk user took
    complaint = make_complaint(actor=desk_user, mall=mall)
    url = reverse("complaints:detail", args=[complaint.pk])
    # when the desk user opens it, the page has no loader that would 404
    client.force_login(desk_user)
    body = client.get(url).content.decode()
    assert 'data-testid="history-loader"' not in body
    assert reverse("history_panel", args=["complaints", "complaint", complaint.pk]) not in body
    # while the supervisor's page has one, and it answers
    client.force_login(supervisor_user)
    body = client.get(url).content.decode()
    assert 'data-testid="history-loader"' in body
    panel = client.get(reverse("history_panel", args=["complaints", "complaint", complaint.pk]))
    assert panel.status_code == 200


def test_a_supervisor_of_another_mall_gets_no_loader(client, desk_user, mall, other_mall):
    from mallservice.roles import Role
    from mallservice.tests.factories import make_staff

    complaint = make_complaint(actor=desk_user, mall=mall)
    far: User = make_staff(role=Role.SUPERVISOR, mall=other_mall, username="far-supervisor")
    client.force_login(far)
    response = client.get(reverse("complaints:detail", args=[complaint.pk]))
    assert 'data-testid="history-loader"' not in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_desk_staff_see_no_endless_loader_and_supervisors_a_readable_panel(
    login, page, live_server, desk_user, supervisor_user, mall
):
    # given a complaint taken at the desk, with a phone number
    with actor_context(actor_id=desk_user.pk, source=Source.WEB):
        complaint = make_complaint(actor=desk_user, mall=mall, complainant_phone="13812345678")
    url = f"{live_server.url}{reverse('complaints:detail', args=[complaint.pk])}"
    errors: list[str] = []

    def on_console(msg) -> None:
        # The browser's own favicon request is not the page's doing.
        if msg.type == "error" and "favicon" not in (msg.location or {}).get("url", ""):
            errors.append(msg.text)

    def on_response(response) -> None:
        if response.status >= 400 and "favicon" not in response.url:
            errors.append(response.url)

    page.on("console", on_console)
    page.on("response", on_response)
    # when the desk user opens it
    login(desk_user)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)  # htmx would have asked for the panel by now
    # then nothing loads for ever and nothing fails
    assert page.get_by_text("正在加载操作记录").count() == 0
    assert errors == []
    # when the supervisor opens it
    page.context.clear_cookies()
    login(supervisor_user)
    page.goto(url)
    panel = page.locator("[data-testid=history-panel]")
    panel.wait_for()
    text = panel.inner_text()
    # then the panel reads in words and local time, the number masked
    assert "138****5678" in text and "13812345678" not in text
    assert "+00:00" not in text and "T0" not in text
    assert "陈晓雯（desk）" in text
    assert errors == []
