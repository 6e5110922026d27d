"""Every change has an owner (无据可查 is the client's core problem)."""

from __future__ import annotations

import uuid

import pgtrigger
import pytest
from celery.contrib.testing.worker import start_worker
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.utils import InternalError
from django.urls import reverse
from pghistory.models import Events

from mallservice.audit import Source, actor_context
from mallservice.celery import AuditedTask
from mallservice.celery import app as celery_app
from mallservice.models import Floor, Mall, MallEvent, SensitiveAccess, User, UserEvent
from mallservice.services import sensitive_access_log


def test_web_view_write_names_its_actor(client, desk_user):
    # given a desk user on their profile page
    client.force_login(desk_user)
    # when they save a new phone number
    response = client.post(reverse("profile"), {"phone": "13812345678"})
    # then the change is stored with who made it and from where
    assert response.status_code == 302
    event = UserEvent.objects.filter(pgh_obj=desk_user, pgh_label="update").latest("pgh_id")
    assert event.phone == "13812345678"
    assert event.pgh_context["user"] == desk_user.pk
    assert event.pgh_context["source"] == Source.WEB
    assert event.pgh_context["url"] == reverse("profile")


def test_admin_write_names_its_actor(client, manager_user, mall):
    client.force_login(manager_user)
    url = reverse("admin:mallservice_mall_change", args=[mall.pk])
    response = client.post(
        url,
        {
            "code": mall.code,
            "name": "星河广场（新）",
            "address": "",
            "phone": "",
            "opens_at": "09:30",
            "closes_at": "22:00",
            "report_time": "17:45",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = MallEvent.objects.filter(pgh_obj=mall, pgh_label="update").latest("pgh_id")
    assert event.name == "星河广场（新）"
    assert event.pgh_context["user"] == manager_user.pk
    assert event.pgh_context["source"] == Source.ADMIN


@celery_app.task(base=AuditedTask, name="tests.rename_mall")
def rename_mall(mall_id: int, name: str, *, actor_id: int) -> None:
    Mall.objects.filter(pk=mall_id).update(name=name)


@pytest.mark.django_db(transaction=True)
def test_celery_task_write_names_its_actor_through_a_real_worker(supervisor_user, mall, settings):
    # given a real worker consuming from the real Redis broker
    settings.CELERY_TASK_ALWAYS_EAGER = False
    celery_app.conf.task_always_eager = False
    # A queue of its own: the shared broker may hold other work.
    queue = f"test-audit-{uuid.uuid4().hex}"
    try:
        with start_worker(
            celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ):
            # when a task runs for a named actor
            rename_mall.apply_async(
                args=[mall.pk, "任务改名"], kwargs={"actor_id": supervisor_user.pk}, queue=queue
            ).get(timeout=30)
    finally:
        celery_app.conf.task_always_eager = True
    # then its bulk update() is still recorded, naming actor, source and task
    event = MallEvent.objects.filter(pgh_obj=mall, pgh_label="update").latest("pgh_id")
    assert event.name == "任务改名"
    assert event.pgh_context == {
        "user": supervisor_user.pk,
        "source": Source.CELERY,
        "task": "tests.rename_mall",
        "actor_name": "张主管",
        "actor_login": "supervisor",
    }


def test_a_task_without_an_actor_is_refused(mall):
    with pytest.raises(ValueError, match="actor is required"):
        rename_mall.apply(args=[mall.pk, "x"], kwargs={"actor_id": None}, throw=True)
    assert Mall.objects.get(pk=mall.pk).name != "x"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE mallservice_mallevent SET name = 'forged'",
        "DELETE FROM mallservice_mallevent",
        "TRUNCATE mallservice_mallevent",
    ],
)
def test_history_rows_refuse_update_delete_truncate(mall, statement):
    # given a history row
    assert MallEvent.objects.filter(pgh_obj=mall).exists()
    # when anyone tries to rewrite or erase it, the database itself refuses
    with pytest.raises(InternalError, match="append-only|Cannot"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert MallEvent.objects.filter(pgh_obj=mall, name=mall.name).exists()


def test_sensitive_access_log_is_append_only(desk_user, mall):
    entry = sensitive_access_log(actor=desk_user, kind="reveal", obj=desk_user, field="phone")
    with pytest.raises(InternalError):
        with transaction.atomic():
            SensitiveAccess.objects.filter(pk=entry.pk).update(field="nothing")
    with pytest.raises(InternalError):
        with transaction.atomic():
            SensitiveAccess.objects.filter(pk=entry.pk).delete()
    assert SensitiveAccess.objects.get(pk=entry.pk).field == "phone"


def test_role_changes_are_recorded(desk_user, supervisor_user):
    from django.contrib.auth.models import Group

    from mallservice.models import UserRoleEvent

    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        desk_user.groups.add(Group.objects.get(name="supervisor"))
    event = UserRoleEvent.objects.filter(user=desk_user, group__name="supervisor").get()
    assert event.pgh_context["user"] == supervisor_user.pk


def _is_append_only_log(model) -> bool:
    names = {trigger.name for trigger in getattr(model._meta, "triggers", [])}
    return {"append_only", "append_only_truncate"} <= names


def test_every_model_of_every_app_has_append_only_history():
    """A new model in any app fails here until it is @audited (or is itself
    an append-only log, or names why it is exempt)."""
    missing = []
    for app_label in settings.PROJECT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if hasattr(model, "pgh_tracked_model") or _is_append_only_log(model):
                continue  # an event table or a log: append-only itself
            if getattr(model, "audit_exempt", ""):
                continue
            tracked = [
                m
                for m in apps.get_models()
                if getattr(m, "pgh_tracked_model", None) is model and _is_append_only_log(m)
            ]
            if not tracked:
                missing.append(model._meta.label)
    assert missing == []


def test_history_panel_shows_who_changed_what_in_chinese(client, supervisor_user, mall):
    with actor_context(actor_id=supervisor_user.pk, source=Source.WEB):
        Mall.objects.filter(pk=mall.pk).update(name="新名字")
    client.force_login(supervisor_user)
    url = reverse("history_panel", args=["mallservice", "mall", mall.pk])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 200
    assert "张主管" in body and "修改" in body and "新名字" in body and "名称" in body


def test_history_panel_is_scoped_to_the_users_malls(client, supervisor_user, desk_user, other_mall):
    client.force_login(supervisor_user)
    url = reverse("history_panel", args=["mallservice", "mall", other_mall.pk])
    assert client.get(url).status_code == 404
    client.force_login(desk_user)
    assert (
        client.get(reverse("history_panel", args=["mallservice", "user", desk_user.pk])).status_code
        == 404
    )


def test_user_history_never_stores_the_password_hash(desk_user):
    desk_user.set_password("another-Secret-99")
    desk_user.save()
    assert not any("password" in f.name for f in UserEvent._meta.fields)
    assert User.objects.get(pk=desk_user.pk).check_password("another-Secret-99")


def _pgtrigger_ignore_setting() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('pgtrigger.ignore', true)")
        return cursor.fetchone()[0]


def test_bulk_writes_keep_every_history_row_with_the_connections_empty_ignore_list(db, mall):
    # the connection names an empty ignore list (no exception per row written)
    assert _pgtrigger_ignore_setting() == "{}"
    floors = Floor.objects.bulk_create(
        [Floor(mall=mall, code=f"{n}F", name=f"{n}层", level=n) for n in range(2, 5)]
    )
    assert Events.objects.tracks(*floors).filter(pgh_label="insert").count() == 3


def test_an_explicit_ignore_still_skips_its_trigger(db, mall):
    with pgtrigger.ignore("mallservice.Floor:insert_insert"):
        floor = Floor.objects.create(mall=mall, code="9F", name="九层", level=9)
    assert not Events.objects.tracks(floor).filter(pgh_label="insert").exists()
