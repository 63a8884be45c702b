"""Production settings: `check --deploy` is clean, and malformed environment values stop start-up.

Settings are read once at import. `check --deploy` needs a Django set up with them, so each of those cases
runs in a fresh interpreter with ``DJANGO_SETTINGS_MODULE=config.settings`` and only the environment given here
(the test settings' own variables are removed). Reading the settings themselves has no side effect, so the
malformed values are tried by executing ``config/settings.py`` afresh in this process under that environment.
The helpers of ``config.env`` are then tested case by case (formerly also in tests/core/test_settings_env.py).
"""

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

BASE_DIR = Path(__file__).resolve().parents[2]
CHECK_DEPLOY = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('check', deploy=True, fail_level='WARNING')"
)
SETUP_ONLY = "import django; django.setup()"
# Everything the settings read, so that the parent's values (test settings, a developer's shell) don't leak in.
SETTINGS_VARIABLES = {
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DATABASE_URL", "REDIS_URL", "CONN_MAX_AGE",
    "TESTING", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "BEHIND_PROXY", "CITY_NAME", "LOG_LEVEL",
    "AXES_FAILURE_LIMIT", "DJANGO_SETTINGS_MODULE",
    # Set for the browser tests in the same process; `check --deploy` rightly refuses it in production.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(**overrides):
    environ = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="portal.example.cn",
        CSRF_TRUSTED_ORIGINS="https://portal.example.cn",
        DATABASE_URL="postgresql://portal@127.0.0.1:5432/portal",
        BEHIND_PROXY="1",
    )
    environ.update(overrides)
    return environ


def run_python(code, environ):
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=120
    )


def read_settings(monkeypatch, environ):
    """``config/settings.py`` executed afresh under exactly ``environ``: its globals, or what it raises."""
    for key in list(os.environ):
        monkeypatch.delenv(key)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(BASE_DIR / "config" / "settings.py"))


def test_a_well_formed_production_environment_starts_and_check_deploy_is_clean():
    result = run_python(CHECK_DEPLOY + "; from django.conf import settings; print('DEBUG', settings.DEBUG)",
                        production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert "DEBUG False" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"SESSION_COOKIE_SECURE": "0"}, "security.W012"),
        ({"SECURE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"SECRET_KEY": "short"}, "security.W009"),
        ({"SECURE_SSL_REDIRECT": "no"}, "security.W008"),
    ],
)
def test_check_deploy_fails_when_a_production_safeguard_is_turned_off(overrides, warning):
    result = run_python(CHECK_DEPLOY, production_env(**overrides))
    assert result.returncode != 0
    assert warning in result.stderr


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe'"),
        ({"ALLOWED_HOSTS": "portal.example.cn,,www.example.cn"}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "mysql://portal@127.0.0.1/portal"}, "DATABASE_URL"),
        ({"CSRF_TRUSTED_ORIGINS": "portal.example.cn"}, "CSRF_TRUSTED_ORIGINS"),
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT"),
    ],
)
def test_a_malformed_environment_value_stops_start_up_naming_the_variable(monkeypatch, overrides, named):
    environ = production_env(**{key: value for key, value in overrides.items() if value is not None})
    for key, value in overrides.items():
        if value is None:
            environ.pop(key)
    assert read_settings(monkeypatch, production_env())["DEBUG"] is False  # the same environment, well formed
    with pytest.raises(ImproperlyConfigured, match=re.escape(named)):
        read_settings(monkeypatch, environ)


def test_a_malformed_value_stops_start_up_in_a_fresh_interpreter_too():
    """The in-process reading above is what `django.setup()` does: one real start-up shows it."""
    result = run_python(SETUP_ONLY, production_env(DEBUG="maybe"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG='maybe'" in result.stderr


# The helpers themselves, case by case.


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("true", True), ("yes", True), ("Yes", True), ("On", True), ("0", False), ("off", False), ("", False)],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env.env_bool("FLAG") is expected


@pytest.mark.parametrize("raw", ["maybe", "Flase", "2", "y es"])
def test_env_bool_refuses_anything_else_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("DEBUG", raw)
    with pytest.raises(ImproperlyConfigured, match=r"DEBUG=.* is not a boolean"):
        env.env_bool("DEBUG")


@pytest.mark.parametrize("raw", ["a,,b", "a,", ",a", "a, ,b"])
def test_env_list_refuses_an_empty_item(monkeypatch, raw):
    monkeypatch.setenv("ALLOWED_HOSTS", raw)
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS.*empty item"):
        env.env_list("ALLOWED_HOSTS")


def test_env_list_trims_items(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.cn , b.example.cn ")
    assert env.env_list("ALLOWED_HOSTS") == ["a.example.cn", "b.example.cn"]


@pytest.mark.parametrize("raw", ["portal.example.cn", "//portal.example.cn", "ftp://portal.example.cn"])
def test_env_origins_requires_a_scheme(monkeypatch, raw):
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", raw)
    with pytest.raises(ImproperlyConfigured, match="CSRF_TRUSTED_ORIGINS.*must start with http:// or https://"):
        env.env_origins("CSRF_TRUSTED_ORIGINS")


@pytest.mark.parametrize(
    "raw", ["mysql://u@h/db", "redis://127.0.0.1:6379/0", "postgresql://u@h:5432/", "postgresql://u@h:notaport/db"]
)
def test_env_database_refuses_other_engines_and_malformed_urls(monkeypatch, raw):
    monkeypatch.setenv("DATABASE_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_database("DATABASE_URL", "/tmp/unused.sqlite3")


def test_env_database_reads_postgresql_with_conn_max_age(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal:secret@db.internal:5433/portal")
    monkeypatch.setenv("CONN_MAX_AGE", "120")
    config = env.env_database("DATABASE_URL", "/tmp/unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["HOST"], config["PORT"], config["CONN_MAX_AGE"]) == ("portal", "db.internal", 5433, 120)


def test_no_database_url_means_the_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env.env_database("DATABASE_URL", "/tmp/db.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("AXES_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="AXES_FAILURE_LIMIT='five' is not an integer"):
        env.env_int("AXES_FAILURE_LIMIT", 5)
