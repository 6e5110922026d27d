"""Fill msgstr entries of a .po file from a JSON object {msgid: msgstr}.

    python scripts/po_fill.py locale/zh_Hans/LC_MESSAGES/django.po zh.json

Entries with a plural form take a list of strings. Only empty or fuzzy
entries are filled unless --overwrite is given; untranslated msgids left over
are listed so nothing is forgotten."""

from __future__ import annotations

import json
import sys

import polib


def main(argv: list[str]) -> int:
    overwrite = "--overwrite" in argv
    args = [a for a in argv if a != "--overwrite"]
    po = polib.pofile(args[0])
    with open(args[1], encoding="utf-8") as handle:
        translations = json.load(handle)
    for entry in po:
        if entry.obsolete or entry.msgid not in translations:
            continue
        if entry.translated() and not overwrite and "fuzzy" not in entry.flags:
            continue
        value = translations[entry.msgid]
        if entry.msgid_plural:
            values = value if isinstance(value, list) else [value]
            entry.msgstr_plural = dict(enumerate(values))
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    left = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries()]
    for msgid in left:
        print(f"untranslated: {msgid!r}")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
