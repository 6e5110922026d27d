"""Issue 25 item 2: every time staff read is the mall's local time. A
record's ``__str__`` is what the admin lists, the history panel's record
column and every choice list show, so none may format a stored (UTC) time."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.conf import settings
from django.db import models

# 01:17 UTC is 09:17 in Shanghai: a label built from the raw value says 01:17.
UTC_MOMENT = datetime.datetime(2026, 12, 2, 1, 17, tzinfo=datetime.UTC)


def _project_models():
    for app_label in settings.PROJECT_APPS:
        yield from apps.get_app_config(app_label.rsplit(".", 1)[-1]).get_models()


def _instance_at(model) -> models.Model | None:
    fields = [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]
    if not fields:
        return None
    instance = model()
    for field in fields:
        setattr(instance, field.attname, UTC_MOMENT)
    return instance


def test_no_record_label_shows_a_utc_time():
    # given every project model with a stored time, all its times at 01:17 UTC
    wrong = []
    for model in _project_models():
        instance = _instance_at(model)
        if instance is None:
            continue
        # when its label is built (a label needing a related row is not about times)
        try:
            label = str(instance)
        except Exception:  # noqa: BLE001 - unsaved relations, no pk: not this test's concern
            continue
        # then it reads 09:17 local time if it shows the time at all
        if "01:17" in label:
            wrong.append(f"{model._meta.label}: {label}")
    assert not wrong, wrong
