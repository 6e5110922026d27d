"""What the members app's models share."""

from __future__ import annotations

from mallservice import workflow


class StateMachineMixin(workflow.StateMachineMixin):
    """The project's state machine over this app's `status` fields."""

    STATE_FIELD = "status"
