"""Resolve a merge conflict in a .po catalogue: regenerate it from the merged
code and keep every translation either side had.

    python scripts/po_union.py <app>      # during a conflicted git merge

Takes both sides from the git index (stages 2 and 3), runs makemessages for
the app, and fills entries from "ours" first, then "theirs". Lists what is
still untranslated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main(app: str) -> int:
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
        apps = ["members", "complaints", "broadcasts", "mailroom", "rosters"]
        args = ["--ignore=.venv", "--ignore=bench", *[f"--ignore={a}" for a in apps]]
        cwd, manage = ROOT, "manage.py"
    else:
        args, cwd, manage = [], ROOT / app, "../manage.py"
    subprocess.run(
        [sys.executable, manage, "makemessages", "-l", "zh_Hans", "--no-obsolete", *args],
        cwd=cwd,
        check=True,
    )
    known: dict = {}
    for side in reversed(sides):  # ours wins: applied last
        for entry in side:
            if entry.translated():
                known[(entry.msgctxt, entry.msgid)] = (entry.msgstr, dict(entry.msgstr_plural))
    po = polib.pofile(str(ROOT / path))
    for entry in po:
        key = (entry.msgctxt, entry.msgid)
        if key in known and (not entry.translated() or "fuzzy" in entry.flags):
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
    sys.exit(main(sys.argv[1]))
