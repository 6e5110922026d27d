"""The test suite runs the development configuration (DEBUG on, the
development SECRET_KEY, plain static files), which production never gets
by default: the settings default to DEBUG off.

pytest.ini loads this module as a plugin (`-p mallservice.pytest_env`), so
it runs before pytest-django reads the settings, for `make test` and a bare
`python -m pytest` alike. A DEBUG given in the environment still wins, so
the production smoke tests can run the suite with DEBUG=false."""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "true")
