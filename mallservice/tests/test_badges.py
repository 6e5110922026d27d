"""A badge is drawn by `templates/components/_badge.html` (issue 23):
`{% status_badge obj %}` with the model's `BADGE_LEVELS` for a state,
`{% badge text level %}` for any other label, so that a state looks the
same on every page. A template writing its own `class="badge ...` span
picks its colour by hand."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template

from mallservice.tests.test_form_validation import _relative, _templates

INLINE_BADGE = re.compile(r"""class\s*=\s*["']badge\b""")


def _inline_badges(path: Path) -> int:
    return len(INLINE_BADGE.findall(path.read_text(encoding="utf-8")))


def test_no_template_draws_its_own_badge():
    components = Path(settings.BASE_DIR) / "templates" / "components"
    offenders = {
        _relative(path): n
        for path in _templates()
        if components not in path.parents and (n := _inline_badges(path))
    }
    assert offenders == {}


def test_the_scan_finds_an_inline_badge(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<td><span class='badge text-bg-danger'>x</span></td>", encoding="utf-8")
    assert _inline_badges(page) == 1
    page.write_text('{% badge _("x") "danger" %}<span class="badges">', encoding="utf-8")
    assert _inline_badges(page) == 0


def test_the_badge_tags_keep_the_test_id_and_the_level():
    template = Template('{% load mallservice_tags %}{% badge "迟到" "warning" testid="late" %}')
    assert (
        template.render(Context()).strip()
        == '<span class="badge text-bg-warning" data-testid="late">迟到</span>'
    )
