"""Several app servers share one cache through REDIS_URL (docs/DEPLOY.md); without it, the processes of
one machine (gunicorn's workers) share a file cache, so a save retires cached pages in every worker."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
SET = (
    "import django; django.setup(); from django.conf import settings; from django.core.cache import cache; "
    "cache.set({key!r}, 'written by server A', 60); print(settings.CACHES['default']['BACKEND'])"
)
GET = "import django; django.setup(); from django.core.cache import cache; print(cache.get({key!r}, 'nothing'))"


def redis_reachable():
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_url():
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is unreachable at {REDIS_HOST}:{REDIS_PORT} and CI=true")
        pytest.skip(f"Redis is unreachable at {REDIS_HOST}:{REDIS_PORT}")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


def app_server(code, redis_url=None, cache_dir=None):
    """A fresh interpreter with the real settings, as one app server would start."""
    environ = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "TESTING", "SECRET_KEY"}}
    environ.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    if redis_url:
        environ["REDIS_URL"] = redis_url
    if cache_dir:
        environ["CACHE_DIR"] = str(cache_dir)
    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_with_redis_url_what_one_server_caches_another_reads(redis_url):
    key = f"portal-test-{uuid.uuid4().hex}"
    assert app_server(SET.format(key=key), redis_url) == "core.cache_backends.FailSoftRedisCache"
    assert app_server(GET.format(key=key), redis_url) == "written by server A"


def test_without_redis_url_the_workers_of_one_machine_share_a_file_cache(tmp_path):
    key = f"portal-test-{uuid.uuid4().hex}"
    assert app_server(SET.format(key=key), cache_dir=tmp_path) == "core.cache_backends.FailSoftFileBasedCache"
    assert app_server(GET.format(key=key), cache_dir=tmp_path) == "written by server A"
    assert app_server(GET.format(key=key), cache_dir=tmp_path / "elsewhere") == "nothing"
