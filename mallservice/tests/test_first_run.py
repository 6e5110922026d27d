"""First run speed: `migrate` re-renders only the model an operation
changes (mallservice.management.migration_state) and counts its
migrations; the demo's passwords are hashed at a demo strength; the demo
loads in parallel processes (`seed_demo --jobs`) the same data as in order."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading

import pgtrigger
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, migrations, models, transaction
from django.db.migrations.state import ModelState, ProjectState

from mallservice.audit import Source
from mallservice.management.commands.migrate import Command as MigrateCommand
from mallservice.management.migration_state import cheap_model_rendering
from mallservice.models import Mall
from mallservice.services import system_actor_id


def _state() -> ProjectState:
    """A mall, a shop pointing at it, a visit pointing at the shop: a
    change to the shop must not re-render the mall or the visit."""
    state = ProjectState()
    state.add_model(
        ModelState("shop", "Mall", [("id", models.AutoField(primary_key=True))], {}, None)
    )
    state.add_model(
        ModelState(
            "shop",
            "Shop",
            [
                ("id", models.AutoField(primary_key=True)),
                ("mall", models.ForeignKey("shop.Mall", models.PROTECT)),
            ],
            {"indexes": [], "constraints": []},
            None,
        )
    )
    state.add_model(
        ModelState(
            "shop",
            "Visit",
            [
                ("id", models.AutoField(primary_key=True)),
                ("shop", models.ForeignKey("shop.Shop", models.PROTECT)),
            ],
            {},
            None,
        )
    )
    state.apps  # noqa: B018 - render, as the migration executor does
    return state


def _classes(state: ProjectState) -> dict[str, type]:
    return {name: state.apps.get_model("shop", name) for name in ("Mall", "Shop", "Visit")}


def test_an_index_constraint_or_trigger_re_renders_only_its_model():
    # Given a rendered state
    state = _state()
    before = _classes(state)
    operations = [
        migrations.AddIndex("shop", models.Index(fields=["id"], name="shop_id_idx")),
        migrations.AddConstraint(
            "shop", models.CheckConstraint(condition=models.Q(id__gt=0), name="shop_id_positive")
        ),
        pgtrigger.migrations.AddTrigger(
            "shop", pgtrigger.Protect(name="shop_protect", operation=pgtrigger.Delete)
        ),
    ]
    # When each operation updates the state with cheap rendering
    with cheap_model_rendering():
        for operation in operations:
            operation.state_forwards("shop", state)
    # Then the shop is a new class carrying them, the mall and the visit are untouched
    after = _classes(state)
    assert after["Mall"] is before["Mall"] and after["Visit"] is before["Visit"]
    assert after["Shop"] is not before["Shop"]
    assert [index.name for index in after["Shop"]._meta.indexes] == ["shop_id_idx"]
    assert [c.name for c in after["Shop"]._meta.constraints] == ["shop_id_positive"]
    assert [t.name for t in after["Shop"]._meta.triggers] == ["shop_protect"]
    # and the state is "delayed": Django re-renders everything before a RunPython
    assert state.is_delayed


def test_a_new_model_and_a_new_foreign_key_are_seen_from_their_target():
    state = _state()
    mall = state.apps.get_model("shop", "Mall")
    with cheap_model_rendering():
        migrations.CreateModel(
            "Screen",
            [
                ("id", models.AutoField(primary_key=True)),
                ("mall", models.ForeignKey("shop.Mall", models.PROTECT, related_name="screens")),
            ],
        ).state_forwards("shop", state)
        migrations.AddField(
            "shop", "landlord", models.ForeignKey("shop.Mall", models.PROTECT, null=True)
        ).state_forwards("shop", state)
    # The mall's class stays, and sees both new relations through the registry
    assert state.apps.get_model("shop", "Mall") is mall
    related = {
        (rel.related_model._meta.model_name, rel.field.name) for rel in mall._meta.related_objects
    }
    assert {("screen", "mall"), ("shop", "landlord")} <= related


def test_a_many_to_many_field_goes_djangos_own_way():
    state = _state()
    visit = state.apps.get_model("shop", "Visit")
    with cheap_model_rendering():
        migrations.AddField(
            "shop", "neighbours", models.ManyToManyField("shop.Mall")
        ).state_forwards("shop", state)
    # Django re-rendered the shop's relatives, the visit among them
    assert state.apps.get_model("shop", "Visit") is not visit


def test_full_render_switch_keeps_djangos_behaviour(monkeypatch):
    monkeypatch.setenv("MIGRATE_FULL_RENDER", "1")
    state = _state()
    mall = state.apps.get_model("shop", "Mall")
    with cheap_model_rendering():
        migrations.AddIndex("shop", models.Index(fields=["id"], name="shop_id_idx")).state_forwards(
            "shop", state
        )
    assert state.apps.get_model("shop", "Mall") is not mall


def test_the_patches_are_undone_after_the_block():
    reload_model = ProjectState.reload_model
    with cheap_model_rendering():
        assert ProjectState.reload_model is not reload_model
    assert ProjectState.reload_model is reload_model


def test_migrate_numbers_each_migration():
    out = io.StringIO()
    command = MigrateCommand(stdout=out)
    command.verbosity = 1
    command._planned, command._done = 12, 4
    command.migration_progress_callback("apply_start", migration="members.0001_initial")
    command.migration_progress_callback("apply_success", migration="members.0001_initial")
    assert out.getvalue().startswith("  [ 5/12] Applying members.0001_initial... OK (")


def test_a_demo_password_hash_is_checked_and_upgraded_at_the_first_login(settings):
    from django.conf import global_settings
    from django.contrib.auth.hashers import check_password

    from mallservice.management.commands.seed_demo import DemoPasswordHasher

    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    hasher = DemoPasswordHasher()
    encoded = hasher.encode("demo-pass-2026", hasher.salt())
    upgraded = []
    assert check_password("demo-pass-2026", encoded, setter=upgraded.append)
    assert upgraded == ["demo-pass-2026"]


def _demo_snapshot() -> dict[str, object]:
    """Rows of every project model and their history, and some of the
    random content: what the demo made, not when or with which ids. The
    messages it queued are compared by kind and recipient (a parcel
    notice's pickup code is a secret, not the demo's random); sending them is the
    dispatcher's, after loading, so the history of their claims and marks
    (how many one run took) is left out."""
    from django.apps import apps
    from pghistory.models import Events

    from complaints.models import Complaint
    from mallservice.notifications.models import Message
    from members.models import Member

    sending = "mallservice.MessageEvent"
    snapshot: dict[str, object] = {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in settings.PROJECT_APPS and model._meta.label != sending
    }
    snapshot["history"] = Events.objects.exclude(pgh_model=sending).count()
    snapshot["messages"] = sorted(Message.objects.values_list("kind", "channel", "recipient"))
    snapshot["members"] = sorted(Member.objects.values_list("phone", "name", "points_balance"))
    snapshot["complaints"] = sorted(
        Complaint.objects.values_list("complainant_phone", "state", "member_tier")
    )
    return snapshot


@pytest.mark.django_db
def test_loading_in_parallel_refuses_a_process_with_other_threads():
    # given a process with another thread (a server thread, say)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        # when the demo is asked to load in two processes, it refuses
        with pytest.raises(CommandError, match="one thread"):
            call_command("seed_demo", jobs=2, verbosity=0)
    finally:
        stop.set()
        other.join()
    # and loads nothing
    assert not Mall.objects.exists()


def _seed_demo_process(*args: str, media) -> str:
    """`manage.py seed_demo *args` on the test database, in a new process
    (tasks run at once, as in this one); its output."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "MEDIA_ROOT": str(media),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.timeout(900)
@pytest.mark.django_db(transaction=True)
def test_the_demo_loaded_in_parallel_is_the_one_loaded_in_order(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    # Given the demo loaded in order (with what its commit sets off: the
    # processes commit theirs), looked at, and rolled back
    settings.MEDIA_ROOT = tmp_path
    with transaction.atomic():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", verbosity=0)
        in_order = _demo_snapshot()
        transaction.set_rollback(True)
    assert in_order["complaints.Complaint"] and in_order["members.Member"]
    # When it is loaded again by two processes at once, by the command in a
    # process of its own as `make run` does (this one has other threads)
    printed = _seed_demo_process("--jobs", "2", media=tmp_path)
    # Then the same rows, history and content are there
    assert _demo_snapshot() == in_order
    # and the progress names each step as it starts and with its time and statements
    for label in ("members", "complaints", "rosters"):
        assert f"demo data: {label} started" in printed
        assert re.search(rf"demo data: {label} done \([\d.]+s, [\d,]+ SQL statements\)", printed)
    # and the history of what the processes wrote names the command's actor
    from pghistory.models import Events

    from complaints.models import Complaint
    from members.models import Member

    for record in (Complaint.objects.first(), Member.objects.first()):
        contexts = [event.pgh_context for event in Events.objects.tracks(record)]
        assert contexts and all(
            (c["source"], c["user"]) == (Source.COMMAND.value, system_actor_id()) for c in contexts
        )
