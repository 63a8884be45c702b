import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env.env_bool("SOME_FLAG") is expected


def test_env_bool_refuses_a_typo_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DEBUG", "Flase")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env.env_bool("DEBUG")


def test_env_list_refuses_an_empty_item(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "example.org,,www.example.org")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS"):
        env.env_list("ALLOWED_HOSTS")


def test_csrf_origins_need_a_scheme(monkeypatch):
    monkeypatch.setenv("CSRF_TRUSTED_ORIGINS", "portal.example.org")
    with pytest.raises(ImproperlyConfigured, match="CSRF_TRUSTED_ORIGINS"):
        env.env_origins("CSRF_TRUSTED_ORIGINS")


def test_database_url_selects_postgresql_through_psycopg(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/portal")
    config = env.env_database("DATABASE_URL", "/tmp/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "portal"


def test_no_database_url_means_the_sqlite_file(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env.env_database("DATABASE_URL", "/tmp/db.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"


def test_an_unsupported_database_url_is_refused(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/portal")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.env_database("DATABASE_URL", "/tmp/db.sqlite3")


def _start_django(**environ):
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT, env={**base, **environ}, capture_output=True, text=True, timeout=60,
    )


def test_a_malformed_setting_stops_start_up_naming_the_variable():
    result = _start_django(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_start_up_without_a_secret_key_is_refused():
    result = _start_django(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
