"""PostgreSQL: each test worker's database is a copy of one migrated template instead of migrating on its own.

Migrating takes ~18 s on this machine (Django renders the models' states for 106 migrations) and each xdist worker
did it. The run's first process (xdist's controller, or the only one) makes sure a template database exists for
the migrations as they are now — ``portal_test_template_<hash of every migration file and requirements.txt>``,
migrated by ``manage.py migrate`` into a temporary name and renamed when complete, templates of other hashes
dropped — and every process creates its test database from it (Django's ``TEST["TEMPLATE"]``). Django's test
setup still runs ``migrate``, which then finds every migration applied.
"""

import hashlib
import os
import subprocess  # nosec B404: runs this project's own manage.py
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "portal_test_template_"
ENV = "PORTAL_TEST_TEMPLATE"


def _digest():
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def ensure(database_url):
    """The template's name, migrated now if it did not exist (and the other hashes' templates dropped)."""
    import psycopg
    from psycopg import sql

    name = PREFIX + _digest()
    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        existing = [row[0] for row in connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"])]
        if name in existing:
            return name
        for old in existing:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(old)))
        building = name + "_tmp"
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
        env = {**os.environ, "DATABASE_URL": urlunsplit(parts._replace(path="/" + building)),
               "DJANGO_SETTINGS_MODULE": "config.test_settings"}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # nosec B603: our own command
        connection.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(name)))
    return name


def use(name):
    """Create this process's test databases from ``name``."""
    from django.conf import settings
    from django.db import connections

    for settings_dict in (settings.DATABASES["default"], connections["default"].settings_dict):
        settings_dict.setdefault("TEST", {})["TEMPLATE"] = name
