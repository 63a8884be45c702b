"""Each test worker's database is a copy of one migrated template instead of migrating on its own.

Migrating takes 6–18 s on this machine (Django renders the models' states for 106 migrations) and each xdist
worker did it. The run's first process (xdist's controller, or the only one) makes sure a template exists for the
migrations as they are now — named ``portal_test_template_<hash of every migration file and requirements.txt>``,
migrated by ``manage.py migrate`` under a temporary name and renamed when complete, templates of other hashes
dropped — and every process's test database starts as a copy of it. Django's test setup still runs ``migrate``,
which then finds every migration applied.

- PostgreSQL: a template database; each test database is created from it (Django's ``TEST["TEMPLATE"]``).
- SQLite: a file in the system's temporary directory; each worker's in-memory test database is filled from it
  with SQLite's backup API when its first connection opens (before Django's ``migrate`` looks).
"""

import hashlib
import os
import sqlite3
import subprocess  # nosec B404: runs this project's own manage.py
import sys
import tempfile
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


def _migrate(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)  # nosec B603: our own command


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
        _migrate(urlunsplit(parts._replace(path="/" + building)))
        connection.execute(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(building), sql.Identifier(name)))
    return name


def use(name):
    """Create this process's test databases from ``name``."""
    from django.conf import settings
    from django.db import connections

    for settings_dict in (settings.DATABASES["default"], connections["default"].settings_dict):
        settings_dict.setdefault("TEST", {})["TEMPLATE"] = name


def ensure_sqlite(directory=None):
    """The SQLite template's path, migrated now if it did not exist (and the other hashes' templates deleted)."""
    directory = Path(directory or tempfile.gettempdir())
    path = directory / f"{PREFIX}{_digest()}.sqlite3"
    if path.exists():
        return str(path)
    for old in directory.glob(f"{PREFIX}*.sqlite3"):
        old.unlink(missing_ok=True)
    building = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    building.unlink(missing_ok=True)
    _migrate(f"sqlite:///{building}")
    os.replace(building, path)  # complete, or not there: another run never copies half a template
    return str(path)


def use_sqlite(path):
    """Fill this process's in-memory test database from the template at ``path`` when its first connection opens."""
    from django.db.backends.signals import connection_created

    def restore(sender, connection, **kwargs):
        if connection.vendor != "sqlite" or not connection.is_in_memory_db():
            return
        connection_created.disconnect(restore)  # once: the in-memory database lives as long as this connection
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as template:
            template.backup(connection.connection)

    connection_created.connect(restore, weak=False)
