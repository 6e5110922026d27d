"""Permissions are the one authorization vocabulary (issue 23): every
permission a view, service, template, menu or role names exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission

from mallservice.hooks import app_hook_modules
from mallservice.navigation import all_groups

ROOT = Path(__file__).resolve().parents[2]
PERMISSION = re.compile(r"^[a-z_]+\.[a-z_]+$")
TEMPLATE_PERMS = re.compile(r"\bperms\.([a-z_]+)\.([a-z_]+)\b")
HAS_PERM = re.compile(r"""has_perm\(\s*["']([a-z_]+\.[a-z_]+)["']""")


def _existing() -> set[str]:
    return {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }


def _constants() -> dict[str, str]:
    found = {}
    for module in app_hook_modules("permissions", include_core=True):
        for name, value in vars(module).items():
            if name.isupper() and isinstance(value, str) and PERMISSION.match(value):
                found[f"{module.__name__}.{name}"] = value
    return found


def _project_files(pattern: str) -> list[Path]:
    return [
        path
        for app in settings.PROJECT_APPS
        for path in (ROOT / app).rglob(pattern)
        if "migrations" not in path.parts
    ]


@pytest.mark.django_db
def test_every_permission_named_anywhere_exists():
    existing = _existing()
    named: dict[str, str] = dict(_constants())
    for module in app_hook_modules("permissions", include_core=True):
        for role, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            for perm in perms:
                named[f"{module.__name__} ROLE_PERMISSIONS[{role}]"] = perm
    for _name, entries in all_groups():
        for entry in entries:
            if entry.permission:
                named[f"menu {entry.url_name}"] = entry.permission
    for path in _project_files("*.html"):
        for app, code in TEMPLATE_PERMS.findall(path.read_text()):
            named[f"{path.relative_to(ROOT)} perms.{app}.{code}"] = f"{app}.{code}"
    for path in _project_files("*.py"):
        for perm in HAS_PERM.findall(path.read_text()):
            named[f"{path.relative_to(ROOT)} has_perm"] = perm
    from django.urls import get_resolver

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield getattr(pattern.callback, "view_class", None)

    for view in views(get_resolver().url_patterns):
        required = getattr(view, "permission_required", None)
        if required:
            for perm in [required] if isinstance(required, str) else required:
                named[f"{view.__module__}.{view.__name__}"] = perm
    unknown = {where: perm for where, perm in named.items() if perm not in existing}
    assert unknown == {}
    # and the check has something to check
    assert len(named) > 100
