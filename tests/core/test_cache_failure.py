"""A broken cache (read-only or full directory, Redis down) costs speed, never a page, a save or an import."""

import logging
import os
import subprocess
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from core import cache_backends
from core.cache_backends import FailSoftFileBasedCache
from exchange.importer import import_workbook
from tests.exchange.helpers import workbook_bytes
from tests.facilities.conftest import EIGHT_HOURS, make_centre

PUBLIC_PAGES = ("/", "/facilities/", "/eldercare/", "/volunteers/")
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/14"


def file_cache(location):
    return {
        "default": {"BACKEND": "core.cache_backends.FailSoftFileBasedCache", "LOCATION": str(location)},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"pages-{uuid.uuid4()}"},
    }


@pytest.fixture
def read_only_dir(tmp_path):
    """A cache directory nobody can write, not even root (a read-only bind mount when running as root)."""
    path = tmp_path / "cache"
    path.mkdir()
    (path / "seed").write_text("x")
    path.chmod(0o555)
    mounted = False
    if os.geteuid() == 0:
        commands = (["mount", "--bind", str(path), str(path)], ["mount", "-o", "remount,ro,bind", str(path)])
        for command in commands:
            if subprocess.run(command, capture_output=True, check=False).returncode != 0:  # noqa: S603
                if mounted:
                    subprocess.run(["umount", str(path)], check=False)  # noqa: S603, S607
                pytest.skip("running as root and the directory can't be made read-only here")
            mounted = True
    probe = path / "probe"
    with pytest.raises(OSError):
        probe.write_text("x")
    yield path
    if mounted:
        subprocess.run(["umount", str(path)], check=False)  # noqa: S603, S607
    path.chmod(0o755)


@pytest.fixture
def unwritable_cache(settings, read_only_dir):
    settings.CACHES = file_cache(read_only_dir)
    return read_only_dir


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {"BACKEND": "core.cache_backends.FailSoftRedisCache", "LOCATION": CLOSED_PORT_REDIS,
                    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"pages-{uuid.uuid4()}"},
    }


@pytest.fixture(params=["read-only directory", "redis down"])
def broken_cache(request):
    request.getfixturevalue("unwritable_cache" if request.param == "read-only directory" else "redis_down")
    return request.param


@pytest.mark.django_db
def test_public_pages_render_uncached_and_show_each_change(broken_cache, city, client):
    centre = make_centre(city["community_a"], "SQ-1", name="建设中心")
    for url in PUBLIC_PAGES:
        assert client.get(url).status_code == 200, url
    assert "建设中心" in client.get("/facilities/").content.decode()
    centre.name = "改名中心"
    centre.save()  # its signal's bump of the public version fails: remembered, never raised
    assert "改名中心" in client.get("/facilities/").content.decode()


@pytest.mark.django_db
def test_an_admin_save_succeeds_and_is_saved(broken_cache, city, alice, as_user):
    centre = make_centre(city["community_a"], "SQ-1")
    data = {
        "code": "SQ-1", "name": "新名字", "community": city["community_a"].pk, "address": "幸福路2号",
        "status": "operating", "phone": "0467-2345678", "total_area": "500", "activity_area": "300",
        **{f"hours_{day}": EIGHT_HOURS for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        "hours_holiday": "", "open_on_holidays": "on", "latitude": "", "longitude": "", "lock_version": 1,
        "_save": "1",
    }
    response = as_user(alice).post(reverse("admin:facilities_centre_change", args=[centre.pk]), data)
    assert response.status_code == 302
    centre.refresh_from_db()
    assert (centre.name, centre.version) == ("新名字", 2)
    assert centre.history.count() == 2


@pytest.mark.django_db
def test_an_import_and_the_import_command_succeed(broken_cache, city, adam, tmp_path, capsys):
    data = workbook_bytes({"志愿服务队": [["ZY1", "建设队", "230302001001", "是", 5, "张", "", "助老"]]})
    assert import_workbook(data, file_name="t.xlsx", user=adam).ok
    path = tmp_path / "t2.xlsx"
    path.write_bytes(workbook_bytes({"志愿服务队": [["ZY2", "二队", "230302001001", "是", 5, "张", "", "助老"]]}))
    call_command("import_workbook", str(path))
    assert "已导入" in capsys.readouterr().out


def test_the_failure_is_logged_once_per_outage(read_only_dir, caplog):
    broken = FailSoftFileBasedCache(str(read_only_dir), {})
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        for _ in range(20):
            broken.set("k", "v")
            assert broken.get("k", "default") == "default"
            broken.incr("version")
            broken.delete("k")
    assert len([record for record in caplog.records if record.levelno == logging.ERROR]) == 1


def test_an_invalidation_missed_during_the_outage_is_replayed_before_the_cache_is_trusted(tmp_path, monkeypatch):
    location = tmp_path / "cache"
    soft = FailSoftFileBasedCache(str(location), {})
    soft.set("public:version", 5, None)
    soft.set("figure", "old")
    moved = tmp_path / "away"
    location.rename(moved)
    location.write_text("not a directory")  # every write (and read) now fails
    soft.incr("public:version")  # a save's bump, lost for now
    assert soft.is_failing()
    assert soft.get("public:version") is None  # bypassed, never the old value
    location.unlink()
    moved.rename(location)  # the disk is back, still holding version 5
    assert soft.is_failing()  # within the retry pause
    monkeypatch.setattr(cache_backends, "RETRY_SECONDS", 0)
    assert not soft.is_failing()
    assert soft.get("public:version") == 6  # the missed bump was replayed first
