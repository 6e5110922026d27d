"""Every column of every admin list is headed in Chinese (issue 25: "CAMPAIGN",
"MEMBER", "ORIGIN" and "BATCH" were left in English)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.test import RequestFactory
from django.utils import translation


@pytest.mark.django_db
def test_every_admin_list_column_has_a_chinese_header(manager_user):
    request = RequestFactory().get("/admin/")
    request.user = manager_user
    english = []
    with translation.override("zh-hans"):
        for model, model_admin in admin.site._registry.items():
            if model._meta.app_label not in settings.PROJECT_APPS:
                continue
            for name in model_admin.get_list_display(request):
                label = str(label_for_field(name, model, model_admin))
                if label.isascii() and any(ch.isalpha() for ch in label):
                    english.append(f"{model._meta.label}: {label}")
    assert english == [], english
