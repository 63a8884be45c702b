"""Read settings from the environment, failing loudly on malformed values.

Modelled on healthchecks' ``envbool``: ``DEBUG=Flase`` must stop start-up, not
silently mean True or False.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None:
        if required:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default
    return value


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"Environment variable {name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} is not an integer.") from None


def env_list(name, default=()):
    """A comma-separated list; empty items are refused (``a,,b`` is a typo)."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if raw.strip() == "":
        return []
    if any(not item for item in items):
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} has an empty item in its comma-separated list.")
    return items


def env_origins(name, default=()):
    """CSRF trusted origins must carry a scheme (Django 4+)."""
    origins = env_list(name, default)
    for origin in origins:
        if not (origin.startswith("http://") or origin.startswith("https://")):
            raise ImproperlyConfigured(
                f"Environment variable {name}: origin {origin!r} must start with http:// or https://."
            )
    return origins


def env_database(name, default_sqlite_path):
    """``DATABASE_URL`` selects PostgreSQL (psycopg 3); unset means the SQLite file."""
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path)}
    if not raw.startswith(("postgres://", "postgresql://", "sqlite://")):
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} must be a postgresql://user@host:port/dbname or sqlite:///path URL."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=env_int("CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from None
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ImproperlyConfigured(f"Environment variable {name}={raw!r} names no database.")
    return config


def env_rate(name, default):
    """A rate limit such as ``600/m`` (requests per s, m, h or d; ``100/5m`` is per five minutes)."""
    import re

    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip()
    if not re.fullmatch(r"[1-9][0-9]*/([1-9][0-9]*)?[smhd]", value):
        raise ImproperlyConfigured(
            f"Environment variable {name}={raw!r} is not a rate; write requests/window, e.g. 600/m, 100/5m, 10000/d."
        )
    return value
