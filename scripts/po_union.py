"""Resolve a merge conflict in a .po catalogue: regenerate it from the merged
code and keep every translation either side had.

    python scripts/po_union.py <app> [--prefer-theirs]   # during a conflicted merge

Takes both sides from the git index (stages 2 and 3), runs makemessages for
the app, and fills each entry from "ours" (or "theirs" with --prefer-theirs)
when that side has it, else from the other. Lists what is still
untranslated. `<app>` is an app label, or "project" for locale/."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def project_apps() -> list[str]:
    """settings.PROJECT_APPS, the one list of the project's apps."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DEBUG", "true")
    from mallservice.settings import PROJECT_APPS

    return list(PROJECT_APPS)


def main(app: str, prefer_theirs: bool = False) -> int:
    rel = "locale/zh_Hans/LC_MESSAGES/django.po"
    path = f"{app}/{rel}" if app != "project" else rel
    sides = []
    for stage in (2, 3):
        text = subprocess.run(
            ["git", "show", f":{stage}:{path}"], cwd=ROOT, capture_output=True, text=True
        ).stdout
        sides.append(polib.pofile(text) if text else polib.POFile())
    (ROOT / path).write_text(str(sides[0]))
    if app == "project":
        apps = [a for a in project_apps() if a != "mallservice"]
        args = ["--ignore=.venv", "--ignore=bench", *[f"--ignore={a}" for a in apps]]
        cwd, manage = ROOT, "manage.py"
    else:
        args, cwd, manage = [], ROOT / app, "../manage.py"
    subprocess.run(
        [sys.executable, manage, "makemessages", "-l", "zh_Hans", "--no-obsolete", *args],
        cwd=cwd,
        check=True,
        # makemessages needs the settings; development ones need no SECRET_KEY.
        env={**os.environ, "DEBUG": os.environ.get("DEBUG", "true")},
    )
    known: dict = {}
    # The preferred side is applied last, so its wording wins.
    for side in sides if prefer_theirs else reversed(sides):
        for entry in side:
            if entry.translated():
                known[(entry.msgctxt, entry.msgid)] = (entry.msgstr, dict(entry.msgstr_plural))
    po = polib.pofile(str(ROOT / path))
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in known:
            entry.msgstr, plural = known[key]
            if plural:
                entry.msgstr_plural = plural
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()
    left = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    for msgid in left:
        print(f"untranslated: {msgid!r}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], prefer_theirs="--prefer-theirs" in sys.argv[2:]))
