"""Django's `migrate`, faster on an empty database and counting as it goes.

- A new model and an index, constraint or trigger operation re-render only
  their own model in the migration state
  (`mallservice.management.migration_state`): a fresh database migrates in
  a fraction of the time, the test database too.
- At verbosity 1 and above each migration is numbered, `[12/43] Applying
  members.0001_initial... OK (3.1s)`, so a first run shows how far it is.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db.models.signals import pre_migrate

from mallservice.management.migration_state import cheap_model_rendering


class Command(DjangoMigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        self._planned = 0
        self._done = 0

        def count_plan(sender: Any, plan: list | None = None, **kwargs: Any) -> None:
            # Sent once per app with the same plan: count it once.
            self._planned = len(plan or [])

        pre_migrate.connect(count_plan, dispatch_uid="migrate_progress_count", weak=False)
        try:
            with cheap_model_rendering():
                return super().handle(*args, **options)
        finally:
            pre_migrate.disconnect(dispatch_uid="migrate_progress_count")

    def migration_progress_callback(self, action: str, migration: Any = None, fake: bool = False):
        if self.verbosity < 1 or action not in {"apply_start", "apply_success"}:
            return super().migration_progress_callback(action, migration, fake)
        if action == "apply_start":
            self._done += 1
            self._started = time.monotonic()
            width = len(str(self._planned))
            self.stdout.write(
                f"  [{self._done:>{width}}/{self._planned}] Applying {migration}...", ending=""
            )
            self.stdout.flush()
            return None
        elapsed = time.monotonic() - self._started
        self.stdout.write(self.style.SUCCESS(f" {'FAKED' if fake else 'OK'} ({elapsed:.1f}s)"))
        return None
