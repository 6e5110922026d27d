"""Many audited rows in one transaction, without a quadratic slowdown.

Every pgtrigger trigger (the audit triggers included) first asks
`_pgtrigger_should_ignore()`, which reads the `pgtrigger.ignore` setting
inside an exception block. When the setting does not exist, each row written
raises and aborts a subtransaction, and PostgreSQL rescans the transaction's
pending deferred trigger events at every such abort — Django's foreign keys
are DEFERRABLE INITIALLY DEFERRED, so there is one pending check per foreign
key of every row written so far. Measured at 1,000,000 members: 100,000
imported members took 300 s; with the setting present, 6 s.

`quick_audited_writes()` gives the setting an empty list for the rest of the
transaction: nothing is ignored, every trigger still writes its history row,
and no exception is raised. A list someone already set is left alone."""

from __future__ import annotations

from django.db import connection


def quick_audited_writes() -> None:
    """Call inside the transaction that writes many audited rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pgtrigger.ignore', '{}', true) "
            "WHERE coalesce(current_setting('pgtrigger.ignore', true), '') = ''"
        )
