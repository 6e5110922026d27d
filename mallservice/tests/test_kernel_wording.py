"""No English left in the Chinese UI, kernel side (issue 25): the system
actor is "系统" wherever a person is named, every field a history panel or
an admin export can show has a human label, and values read with Chinese
punctuation."""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.utils import translation

from mallservice.audit import Source, actor_context
from mallservice.history import HIDDEN_FIELDS, _Renderer, field_label, history_for
from mallservice.models import SYSTEM_USERNAME, Unit, User
from mallservice.services import system_actor_id


def test_the_system_actor_is_named_in_the_readers_language_and_stored_as_a_code(shop):
    # given a change made by scheduled work
    with actor_context(actor_id=system_actor_id(), source=Source.CELERY):
        shop.name = "新名字"
        shop.save(update_fields=["name"])
    system = User.objects.get(username=SYSTEM_USERNAME)

    def renamed():
        # one transaction, one timestamp: the change is told by its content
        (entry,) = [e for e in history_for(shop) if [c.new for c in e.changes] == ["新名字"]]
        return entry

    # then the history says 系统 in Chinese, system in English
    with translation.override("zh-hans"):
        assert str(system) == "系统"
        assert renamed().actor == "系统"
    with translation.override("en"):
        assert str(system) == "system"
        assert renamed().actor == "system"
    # and the history row keeps the login, not a translated name
    from pghistory.models import Events

    contexts = [e.pgh_context for e in Events.objects.tracks(shop) if e.pgh_context]
    assert [c["actor_name"] for c in contexts] == [SYSTEM_USERNAME]


def test_every_field_a_history_or_export_shows_has_a_chinese_label():
    unlabelled = []
    with translation.override("zh-hans"):
        for model in apps.get_models():
            if model._meta.app_label not in settings.PROJECT_APPS:
                continue
            if hasattr(model, "pgh_tracked_model"):
                continue
            for field in model._meta.concrete_fields:
                if field.name in HIDDEN_FIELDS:
                    continue
                label = str(field_label(model, field.attname))
                if re.fullmatch(r"[A-Za-z0-9 _]+", label) and label != "ID":
                    unlabelled.append(f"{model._meta.label}.{field.name}: {label}")
    assert unlabelled == []


def test_structured_values_read_with_chinese_punctuation():
    renderer = _Renderer(Unit)
    with translation.override("zh-hans"):
        assert renderer.value(None, {"午餐": 1, "晚餐": None}) == "午餐：1；晚餐：—"
        assert renderer.value(None, ["甲", "乙"]) == "甲、乙"
    with translation.override("en"):
        assert renderer.value(None, {"a": 1, "b": 2}) == "a: 1; b: 2"
