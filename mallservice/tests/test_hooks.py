"""Every app plugs into the kernel the same way: its hook modules match the
protocols of `mallservice.hooks.HOOKS`, and its tests are collected."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path
from typing import get_type_hints

import pytest
from django.conf import settings

from mallservice.hooks import HOOKS

ROOT = Path(__file__).resolve().parents[2]


# The kernel's modules of these names are where the hooks are read, except
# the two read with `include_core=True`.
KERNEL_HOOKS = {"permissions", "schedule"}


def _modules():
    for app in settings.PROJECT_APPS:
        for name in HOOKS:
            if app == "mallservice" and name not in KERNEL_HOOKS:
                continue
            if (ROOT / app / f"{name}.py").exists():
                yield app, name


def _keywords(function) -> list[str]:
    params = inspect.signature(function).parameters.values()
    return sorted(p.name for p in params if p.name != "self")


@pytest.mark.parametrize(("app", "name"), list(_modules()))
def test_hook_module_matches_its_protocol(app: str, name: str) -> None:
    module = importlib.import_module(f"{app}.{name}")
    protocol = HOOKS[name]
    for attribute in get_type_hints(protocol):
        assert hasattr(module, attribute), f"{app}/{name}.py lacks {attribute}"
    for attribute, member in vars(protocol).items():
        if attribute.startswith("_") or not callable(member):
            continue
        found = getattr(module, attribute, None)
        assert callable(found), f"{app}/{name}.py lacks {attribute}()"
        assert _keywords(found) == _keywords(member), (
            f"{app}/{name}.py {attribute}{inspect.signature(found)} differs from the protocol"
        )


def test_every_project_app_has_its_tests_collected() -> None:
    """pytest.ini names no app: an app added to PROJECT_APPS is tested."""
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    for app in settings.PROJECT_APPS:
        assert f"\n{app}/tests/" in f"\n{listed}", f"no test of {app} is collected"
