"""Script templates (播音稿)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from broadcasts.models import (
    SCRIPT_FIELDS,
    ScriptTemplate,
    template_placeholders,
)
from broadcasts.permissions import ADD_SCRIPTTEMPLATE
from broadcasts.services.common import require_perm
from mallservice.guards import field_error
from mallservice.models import Mall, User


def _check_body(body: str) -> None:
    unknown = [p for p in template_placeholders(body) if p not in SCRIPT_FIELDS]
    if unknown:
        raise field_error(
            "body",
            _("Unknown field(s): %(fields)s. Use only the listed fields.")
            % {"fields": ", ".join(unknown)},
            "unknown_placeholder",
        )


@transaction.atomic
def script_template_save(
    *,
    actor: User,
    mall: Mall,
    kind: str,
    name: str,
    body: str,
    is_active: bool = True,
    template: ScriptTemplate | None = None,
) -> ScriptTemplate:
    """Create a script template, or change `template`."""
    require_perm(actor, ADD_SCRIPTTEMPLATE)
    _check_body(body)
    if template is None:
        template = ScriptTemplate(mall=mall)
    else:
        template = ScriptTemplate.objects.select_for_update().get(pk=template.pk)
    template.kind, template.name, template.body, template.is_active = kind, name, body, is_active
    template.full_clean()
    template.save()
    return template
