"""The production topology of docs/DEPLOY.md §7: two gunicorn app servers, one PostgreSQL, Redis as the shared cache.

A bureau administrator saves a centre through server A; the centre's public page, cached by server B a moment
before, shows the new name on B's very next request. Before the save, a change written behind the portal's back
(plain SQL, no signal) stays invisible on B: the page really is B's cached copy, and only the save retires it.

Runs in the PostgreSQL run of the suite (``DATABASE_URL=postgresql://…``, as ``.ci/run``'s second run); under
``CI=true`` an unreachable PostgreSQL or Redis fails. The SQLite run leaves it to that one: the servers it starts use
PostgreSQL whatever the suite's own database is, so running it twice tested the same thing twice (13 s a run).
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connections

from tests.security.test_shared_cache import REDIS_HOST, REDIS_PORT, redis_reachable

BASE_DIR = Path(__file__).resolve().parents[2]
PG_HOST, PG_PORT = "127.0.0.1", 5432
# Not the cache database other tests and developers use: this test never flushes, but keeps to its own.
REDIS_DB = 13
PASSWORD = "scale-out-pw-2026"  # noqa: S105 - a throw-away database's account  # nosec B105

pytestmark = [
    pytest.mark.scaleout,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="the production topology runs in the PostgreSQL run (DATABASE_URL=postgresql://…)"),
]


def _reachable(host, port):
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


def _require(name, ok):
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is unreachable and CI=true")
        pytest.skip(f"{name} is unreachable")


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_url():
    """PostgreSQL's server URL: DATABASE_URL's server when it is PostgreSQL, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}"
    return f"postgresql://postgres@{PG_HOST}:{PG_PORT}"


SEED = """
from decimal import Decimal
from core.models import Division, Kind, Role, User
from facilities.models import Centre
district = Division.objects.create(code="230302000000", name="鸡冠区", kind=Kind.DISTRICT)
street = Division.objects.create(code="230302001000", name="向阳街道", kind=Kind.STREET, parent=district)
community = Division.objects.create(code="230302001001", name="建设社区", kind=Kind.COMMUNITY, parent=street,
                                    households=1000, population=2500, population_60plus=600)
centre = Centre.objects.create(code="SQZX230302001001", name="建设社区服务中心", community=community, address="建设路1号",
                               total_area=Decimal("500"), activity_area=Decimal("300"), status="operating")
admin = User(username="scale-admin", role=Role.ADMIN)
admin.set_password({password!r})
admin.save()
print(centre.pk)
"""


@pytest.fixture
def topology(tmp_path, transactional_db):
    """A fresh PostgreSQL database, migrated and seeded, and two gunicorn servers on it sharing Redis.

    The database is a copy of this worker's test database (``CREATE DATABASE … TEMPLATE``): the same migrated
    schema, triggers included, in a fraction of a second instead of a second ``migrate`` (12–15 s of the
    PostgreSQL run). Transactional (``transactional_db``): no transaction of this worker holds the test database
    open while it is copied. Its rows may be gone (a transactional test's teardown empties every table): the
    servers need none but the ones ``SEED`` writes."""
    _require(f"PostgreSQL at {PG_HOST}:{PG_PORT}", _reachable(PG_HOST, PG_PORT) or
             os.environ.get("DATABASE_URL", "").startswith("postgres"))
    _require(f"Redis at {REDIS_HOST}:{REDIS_PORT}", redis_reachable())
    import psycopg

    server = _server_url()
    name = f"portal_scaleout_{uuid.uuid4().hex[:10]}"
    migrated = _copy_of_the_test_database(psycopg, server, name)
    environ = {key: value for key, value in os.environ.items()
               if key not in {"TESTING", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "CACHE_DIR"}}
    environ.update(
        DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", DATABASE_URL=f"{server}/{name}",
        REDIS_URL=f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}", SECRET_KEY="scale-out-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    servers = []
    try:
        manage = [sys.executable, "manage.py"]
        if not migrated:
            subprocess.run([*manage, "migrate", "--noinput"], cwd=BASE_DIR, env=environ, check=True,  # noqa: S603
                           capture_output=True, timeout=600)
        seeded = subprocess.run([*manage, "shell", "-c", SEED.format(password=PASSWORD)],  # noqa: S603
                                cwd=BASE_DIR, env=environ, check=True, capture_output=True, text=True, timeout=120)
        centre_pk = int(seeded.stdout.strip().splitlines()[-1])
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
                [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                 "--timeout", "120", "--log-level", "warning"],
                cwd=BASE_DIR, env=environ, stdout=subprocess.DEVNULL, stderr=(tmp_path / f"{port}.log").open("w"),
            )
            servers.append((process, port))
        for _process, port in servers:
            _wait_until_up(port)
        yield {"a": servers[0][1], "b": servers[1][1], "centre": centre_pk, "database": f"{server}/{name}"}
    finally:
        for process, _port in servers:
            process.terminate()
        for process, _port in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy_of_the_test_database(psycopg, server, name):
    """Create ``name`` as a copy of this worker's test database; False (an empty database made instead, to be
    migrated) if a session of the worker that is not this thread's (a finished test's thread) would not let go."""
    template = connections["default"].settings_dict["NAME"]
    connections.close_all()  # PostgreSQL copies a database only while no one is connected to it
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for attempt in range(10):
            try:
                connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
                return True
            except psycopg.errors.ObjectInUse:
                if not attempt:
                    # Idle sessions left by threads of earlier tests (a live server's, a race test's): nothing
                    # runs in this worker but this test. They end a moment after being told to.
                    connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                                       "AND pid <> pg_backend_pid() AND state = 'idle'", [template])
                time.sleep(0.2)
        connection.execute(f'CREATE DATABASE "{name}"')
        return False


def _wait_until_up(port, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _headers, _body = _request(port, "GET", "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"gunicorn on port {port} did not answer /healthz within {seconds} s")


def _request(port, method, path, *, body=None, cookies=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
    if body is not None:
        body = urlencode(body, doseq=True)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    content = response.read().decode("utf-8", "replace")
    if cookies is not None:
        for header in response.headers.get_all("Set-Cookie") or []:
            key, _, rest = header.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    return response.status, response.headers, content


class FormFields(HTMLParser):
    """The values a browser would submit for the form ``form_id`` (inputs, checked boxes, selected options, text)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.select, self.textarea = form_id, False, None, None
        self.fields = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


def _login(port):
    cookies = {}
    _request(port, "GET", "/admin/login/", cookies=cookies)
    status, headers, _body = _request(port, "POST", "/admin/login/?next=/admin/", cookies=cookies, body={
        "username": "scale-admin", "password": PASSWORD, "csrfmiddlewaretoken": cookies["csrftoken"],
    }, headers={"Referer": f"http://127.0.0.1:{port}/admin/login/"})
    assert status == 302 and "login" not in headers["Location"], "the administrator is signed in"
    return cookies


def _save_centre_name(port, pk, name):
    cookies = _login(port)
    path = f"/admin/facilities/centre/{pk}/change/"
    status, _headers, page = _request(port, "GET", path, cookies=cookies)
    assert status == 200
    parser = FormFields("centre_form")
    parser.feed(page)
    fields = [(key, name if key == "name" else value) for key, value in parser.fields]
    assert ("name", name) in fields and any(key == "community" for key, _value in fields)
    status, headers, body = _request(port, "POST", path, cookies=cookies, body=[*fields, ("_continue", "1")],
                                     headers={"Referer": f"http://127.0.0.1:{port}{path}"})
    assert status == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', body, re.S)


def test_a_save_through_one_app_server_retires_the_cached_public_page_of_the_other(topology):
    import psycopg

    page = f"/facilities/{topology['centre']}/"
    status, _headers, first = _request(topology["b"], "GET", page)
    assert status == 200 and "建设社区服务中心" in first
    # Behind the portal's back (no signal, no version bump): B keeps answering from its cache.
    with psycopg.connect(topology["database"], autocommit=True) as connection:
        connection.execute("UPDATE facilities_centre SET name = %s WHERE id = %s", ("改名未通知", topology["centre"]))
    for _ in range(3):
        _status, _headers, cached = _request(topology["b"], "GET", page)
        assert "建设社区服务中心" in cached and "改名未通知" not in cached, "B answers from its cache"
    _save_centre_name(topology["a"], topology["centre"], "建设社区党群服务中心")
    status, _headers, fresh = _request(topology["b"], "GET", page)
    assert status == 200 and "建设社区党群服务中心" in fresh, "B's next request shows the save made through A"
    status, _headers, on_a = _request(topology["a"], "GET", page)
    assert "建设社区党群服务中心" in on_a
