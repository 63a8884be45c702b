"""The soak: public reads under load while imports and admin saves run and the cache directory goes read-only.

``python -m bench soak --database-url URL`` (``make bench`` runs it on the 1× city), loopback only,
bounded in time: gunicorn serves the portal; wrk reads four public pages for ``seconds`` at
``connections`` connections; meanwhile this process (the same settings, database and cache
directory) saves communities through the admin and imports volunteer teams through the upload
and confirm pages, as a bureau administrator, one writer each on its own records; from
``read_only_after`` for ``read_only_for`` seconds the cache directory is read-only (a read-only bind
mount when running as root, else its mode). Afterwards: reader errors (non-2xx/3xx, timeouts),
writer errors, and lost writes — every save that answered success must be in the database (or
overwritten only by a later save of the same writer) and in the record's history with its version.
"""

import os
import re
import shutil
import subprocess  # nosec B404
import tempfile
import threading
import time
from pathlib import Path

LUA = """
local paths = {"/", "/facilities/", "/eldercare/", "/volunteers/"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


class ReadOnly:
    """Make a directory read-only and back (bind mount as root, else chmod)."""

    def __init__(self, path):
        self.path = Path(path)
        self.how = None

    def __enter__(self):
        self.path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            bind = subprocess.run(["mount", "--bind", str(self.path), str(self.path)], capture_output=True, check=False)  # noqa: S603, S607  # nosec
            if bind.returncode == 0:
                remount = subprocess.run(  # noqa: S603  # nosec
                    ["mount", "-o", "remount,ro,bind", str(self.path)], capture_output=True, check=False  # noqa: S607
                )
                if remount.returncode == 0:
                    self.how = "read-only bind mount"
                    return self
                subprocess.run(["umount", str(self.path)], check=False)  # noqa: S603, S607  # nosec
            raise RuntimeError("running as root and the cache directory can't be made read-only (mount failed)")
        self.path.chmod(0o555)
        self.how = "chmod 555"
        return self

    def __exit__(self, *exc):
        if self.how == "read-only bind mount":
            subprocess.run(["umount", str(self.path)], check=False)  # noqa: S603, S607  # nosec
        else:
            self.path.chmod(0o755)


def soak(database_url, *, seconds=60, read_only_after=20, read_only_for=20, connections=8):
    """Run the soak; return its figures (a dict)."""
    workdir = Path(tempfile.mkdtemp(prefix="portal-soak-"))
    try:
        return _soak(workdir, database_url, seconds=seconds, read_only_after=read_only_after,
                     read_only_for=read_only_for, connections=connections)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _soak(workdir, database_url, *, seconds, read_only_after, read_only_for, connections):
    from bench import django_side
    from bench.server import gunicorn, parse_wrk

    static_root = workdir / "static"
    env = django_side.django_env(database_url, str(static_root))
    for key, value in env.items():
        os.environ[key] = value
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    cache_dir = Path(env["CACHE_DIR"])
    cache_dir.mkdir(parents=True, exist_ok=True)
    writers = Writers()
    script = workdir / "rotate.lua"
    script.write_text(LUA)
    figures = {"seconds": seconds, "connections": connections}
    with gunicorn(env, workdir / "gunicorn.log") as base_url:
        stop = threading.Event()
        threads = [threading.Thread(target=writers.admin_saves, args=(stop,)),
                   threading.Thread(target=writers.imports, args=(stop,))]
        reader = subprocess.Popen(  # noqa: S603  # nosec B603 B607
            [shutil.which("wrk") or "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script), base_url],  # noqa: S607
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for thread in threads:
            thread.start()
        started = time.monotonic()
        time.sleep(read_only_after)
        with ReadOnly(cache_dir) as read_only:
            figures["read_only"] = read_only.how
            figures["read_only_probe"] = _probe(cache_dir)
            time.sleep(read_only_for)
        output, _err = reader.communicate(timeout=seconds + 60)
        stop.set()
        for thread in threads:
            thread.join(60)
        figures["elapsed"] = round(time.monotonic() - started, 1)
        reads = parse_wrk(output)
        log = (workdir / "gunicorn.log").read_text(errors="replace")
    figures.update(
        reads=reads["requests"], read_rps=round(reads["rps"], 1), read_errors=reads["errors"],
        admin_saves=len(writers.saved["admin"]), imports=len(writers.saved["import"]),
        writer_errors=writers.errors[:10], writer_error_count=len(writers.errors),
        lost=writers.lost_writes(), cache_errors_logged=len(re.findall(r"cache .* failed on", log)),
        server_errors_logged=log.count("Traceback"),
    )
    return figures


def _probe(path):
    try:
        (path / "soak-probe").write_text("x")
    except OSError:
        return "writes refused"
    (path / "soak-probe").unlink()
    return "WRITABLE"


class Writers:
    """The admin saves and the imports, each recording what it saved."""

    def __init__(self):
        from django.contrib.auth import get_user_model

        from core.models import Division, Level, Role
        from volunteers.models import Team

        user_model = get_user_model()
        self.user, _created = user_model.objects.get_or_create(username="soak-admin", defaults={"role": Role.ADMIN})
        self.user.role = Role.ADMIN
        self.user.save()
        self.communities = list(Division.objects.filter(level=Level.COMMUNITY).order_by("code")[:10])
        self.teams = list(Team.objects.select_related("community").order_by("code")[:5])
        self.saved = {"admin": [], "import": []}  # (model label, pk, version, value)
        self.errors = []

    def _client(self):
        from django.test import Client

        client = Client()
        client.force_login(self.user)
        return client

    def admin_saves(self, stop):
        from django.db import connection

        from core.models import Division

        client = self._client()
        number = 0
        try:
            while not stop.is_set():
                community = Division.objects.get(pk=self.communities[number % len(self.communities)].pk)
                households = 1000 + number
                response = client.post(f"/admin/core/division/{community.pk}/change/", {
                    "code": community.code, "name": community.name, "kind": community.kind,
                    "parent": community.parent_id, "households": households,
                    "population": community.population or "", "population_60plus": community.population_60plus or "",
                    "latitude": community.latitude if community.latitude is not None else "",
                    "longitude": community.longitude if community.longitude is not None else "",
                    "lock_version": community.version, "_save": "1",
                })
                # A refused save (a conflict, a database error) redirects back to its own change page with the
                # message that nothing was saved: only the redirect to the list is a save.
                if response.status_code == 302 and "/change/" not in response.url:
                    self.saved["admin"].append(("core.Division", community.pk, community.version + 1, households))
                else:
                    self.errors.append(f"admin save {community.code}: HTTP {response.status_code}")
                number += 1
                time.sleep(0.2)
        finally:
            connection.close()

    def imports(self, stop):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from exchange.exporter import _cell
        from exchange.spec import SHEETS_BY_NAME
        from tests.exchange.helpers import workbook_bytes
        from volunteers.models import Team

        client = self._client()
        sheet = SHEETS_BY_NAME["志愿服务队"]
        number = 0
        try:
            while not stop.is_set():
                teams = list(Team.objects.filter(pk__in=[team.pk for team in self.teams]).select_related("community")
                             .prefetch_related("fields").order_by("code"))
                rows = []
                for team in teams:
                    row = [_cell(column, team) for column in sheet.columns]
                    row[1] = f"soak {number} {team.code}"
                    rows.append(row)
                data = workbook_bytes({sheet.name: rows})
                page = client.post("/exchange/", {"workbook": SimpleUploadedFile(f"soak-{number}.xlsx", data)})
                token = re.search(r'name="token" value="([0-9a-f]{64})"', page.content.decode())
                if page.status_code != 200 or token is None:
                    self.errors.append(f"import {number}: preview HTTP {page.status_code}, no confirm offered")
                else:
                    confirm = client.post("/exchange/confirm/", {"token": token.group(1)})
                    if confirm.status_code == 302 and confirm.url.rstrip("/").endswith("/exchange"):
                        for team in teams:
                            self.saved["import"].append(("volunteers.Team", team.pk, team.version + 1,
                                                         f"soak {number} {team.code}"))
                    else:
                        self.errors.append(f"import {number}: confirm HTTP {confirm.status_code}")
                number += 1
                time.sleep(1)
        finally:
            connection.close()

    def lost_writes(self):
        """Saves that answered success but are not in the database or not in the history with their version."""
        from django.apps import apps

        lost = 0
        latest = {}
        for label, pk, version, value in self.saved["admin"] + self.saved["import"]:
            latest[(label, pk)] = max(latest.get((label, pk), (0, None)), (version, value), key=lambda item: item[0])
            model = apps.get_model(label)
            field = "households" if label == "core.Division" else "name"
            if not model.history.filter(id=pk, version=version, **{field: value}).exists():
                lost += 1
        for (label, pk), (version, value) in latest.items():
            model = apps.get_model(label)
            field = "households" if label == "core.Division" else "name"
            if not model.objects.filter(pk=pk, version=version, **{field: value}).exists():
                lost += 1
        return lost
