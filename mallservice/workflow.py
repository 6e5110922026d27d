"""The one state-machine mixin of the project (STYLE: workflow state is a
TextChoices field, allowed moves are data on the model, `transition_to()` is
pure and raises on a forbidden move; the service locks, transitions, saves
and records the event)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

M = TypeVar("M", bound=Model)


class TransitionError(ValidationError):
    """A forbidden move of a state machine; code "invalid_transition"."""


class StateMachineMixin:
    """`TRANSITIONS = {from_state: {to_state, ...}}`; the state lives in the
    field named by STATE_FIELD. A model may word its own refusal with
    TRANSITION_ERROR (params: old, new — the states' labels)."""

    TRANSITIONS: ClassVar[dict[str, Any]] = {}
    STATE_FIELD: ClassVar[str] = "state"
    TRANSITION_ERROR: ClassVar[Any] = _("This cannot move from “%(old)s” to “%(new)s”.")

    def can_transition_to(self, target: str) -> bool:
        return target in self.TRANSITIONS.get(getattr(self, self.STATE_FIELD), ())

    def transition_to(self, target: str) -> None:
        current = getattr(self, self.STATE_FIELD)
        if not self.can_transition_to(target):
            labels = dict(self._meta.get_field(self.STATE_FIELD).flatchoices)
            raise TransitionError(
                self.TRANSITION_ERROR,
                code="invalid_transition",
                params={"old": labels.get(current, current), "new": labels.get(target, target)},
            )
        setattr(self, self.STATE_FIELD, target)


def locked(obj: M) -> M:
    """The record read again and locked (`SELECT … FOR UPDATE`) for the rest
    of the service's transaction: the step every workflow service takes
    before `transition_to()`."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)
