"""Check constraints in the staff's words.

Django reports a broken ``CheckConstraint`` as "Constraint “name” is
violated", on no field. A model that lists its constraints in
``CONSTRAINT_MESSAGES`` gets the error on the field a person typed, in the
message given there, with the constraint's name as the error code::

    class LeaveRequest(ConstraintMessagesMixin, models.Model):
        CONSTRAINT_MESSAGES = {
            "leave_period_in_order": ("end_date", _("The end must not be before the start.")),
        }

``full_clean()`` (which every service calls before saving) raises it, and so
does a save the database refuses, when the write is wrapped in
:func:`constraint_errors`. A constraint only code can break (an internal
invariant) is left out of ``CONSTRAINT_MESSAGES`` and listed in
``mallservice.tests.test_constraint_messages.INTERNAL``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, ClassVar

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, FieldError, ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import CheckConstraint, Q

# A constraint's name -> (field, or None for the top of the form; message).
ConstraintMessages = dict[str, tuple[str | None, Any]]


class ConstraintMessagesMixin:
    """Put a broken check constraint's error on a field, in words."""

    CONSTRAINT_MESSAGES: ClassVar[ConstraintMessages] = {}

    def validate_constraints(self, exclude=None) -> None:
        messages = type(self).CONSTRAINT_MESSAGES
        using = router.db_for_write(self.__class__, instance=self)
        errors: dict[str, list[ValidationError]] = {}
        for model_class, model_constraints in self.get_constraints():
            for constraint in model_constraints:
                try:
                    if isinstance(constraint, CheckConstraint):
                        check_constraint_validate(constraint, model_class, self, exclude, using)
                    else:
                        constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as exc:
                    if constraint.name in messages:
                        field, error = constraint_error(messages, constraint.name)
                        errors.setdefault(field, []).append(error)
                    elif getattr(exc, "code", None) == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(exc)
                    else:
                        errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def check_constraint_validate(
    constraint: CheckConstraint, model: type, instance: Any, exclude: Any, using: str
) -> None:
    """Django's `CheckConstraint.validate`, handing the query only the
    fields the condition reads. Django passes every field of the model,
    each a query annotation to resolve: for a model of forty fields that
    was nearly all the time `full_clean()` took. The same query, the same
    result: a field left out by `exclude` still skips the constraint."""
    condition = Q(constraint.condition)
    reads = condition.referenced_base_fields
    against = {
        name: value
        for name, value in instance._get_field_expression_map(
            meta=model._meta, exclude=exclude
        ).items()
        if name in reads
    }
    try:
        if not condition.check(against, using=using):
            raise ValidationError(
                constraint.get_violation_error_message(), code=constraint.violation_error_code
            )
    except FieldError:
        pass


def constraint_error(messages: ConstraintMessages, name: str) -> tuple[str, ValidationError]:
    """The field (or NON_FIELD_ERRORS) and error for constraint ``name``."""
    field, message = messages[name]
    return field or NON_FIELD_ERRORS, ValidationError(message, code=name)


def constraint_messages() -> dict[str, ConstraintMessages]:
    """Every model's ``CONSTRAINT_MESSAGES``, keyed by constraint name."""
    found: dict[str, ConstraintMessages] = {}
    for model in apps.get_models():
        for name in getattr(model, "CONSTRAINT_MESSAGES", {}):
            found[name] = model.CONSTRAINT_MESSAGES
    return found


def integrity_validation_error(exc: IntegrityError) -> ValidationError | None:
    """The field error for a check constraint the database refused, or None
    when the constraint has no message (a bug, which should stay a 500)."""
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    messages = constraint_messages().get(name) if name else None
    if messages is None:
        return None
    field, error = constraint_error(messages, name)
    return ValidationError({field: [error]})


@contextlib.contextmanager
def constraint_errors() -> Iterator[None]:
    """Turn a check constraint the database refuses into the same
    ValidationError ``full_clean()`` gives, for writes that skip it. The
    write runs in a savepoint so the request's transaction stays usable."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        error = integrity_validation_error(exc)
        if error is None:
            raise
        raise error from exc
