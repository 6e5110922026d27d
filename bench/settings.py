"""Settings for the benchmark server: the production settings (DEBUG off,
persistent connections, cached templates) plus the ceiling views, on a
separate database so benchmark volumes never mix with demo data."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "k" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/mallservice_bench")
os.environ.setdefault("CONN_MAX_AGE", "600")

from mallservice.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
# Served over plain HTTP on loopback by gunicorn.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
