"""What the mailroom models share: the state machine over `status` and the
ID card's last four characters (all we keep of an ID number)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from mallservice import workflow

id_last4_validator = RegexValidator(
    r"^\d{3}[\dXx]$", _("Enter the last four characters of the ID number."), "invalid_id_last4"
)
ID_LAST4_HELP = _("Only the last four characters are stored (data minimisation).")


class StateMachineMixin(workflow.StateMachineMixin):
    """The project's state machine over this app's `status` fields."""

    STATE_FIELD = "status"
