#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mallservice.settings")
    # The settings default to production (DEBUG off, a SECRET_KEY required),
    # so the web server never runs with development settings by accident.
    # A checkout without a SECRET_KEY is a developer's: its commands
    # (makemigrations, shell, compilemessages) run the development settings.
    # Production sets SECRET_KEY, so its commands run as production.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
