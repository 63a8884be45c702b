"""The parts of the benchmark that run inside Django, one database per process.

Settings read ``DATABASE_URL`` once at start-up, so the harness runs each of
these in its own ``python -m bench <command>`` process and reads its JSON.
"""

import json
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench.targets import BASELINE, COMPLIANCE, OPENDATA_PER_PAGE, OPENDATA_SERVICES, TARGETS


def cache_dir(database_url):
    """The file cache shared by the server's workers: one per benchmark database, emptied with it."""
    return str(Path(tempfile.gettempdir()) / "portal-bench-cache" / database_url.rsplit("/", 1)[-1])


def django_env(database_url, static_root=""):
    """Production settings, loopback only, for a benchmark database."""
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "CACHE_DIR": cache_dir(database_url),
        # wrk is one client hammering one URL: the open-data API's per-client limit would answer 429s.
        "OPENDATA_RATE_LIMIT": "100000000/m",
    }
    if static_root:
        env["BENCH_STATIC_ROOT"] = static_root
    return env


def setup(database_url):
    for key, value in django_env(database_url, os.environ.get("BENCH_STATIC_ROOT", "")).items():
        os.environ.setdefault(key, value)
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def recreate_database(database_url, template=""):
    """Drop and create the database named by a postgresql:// URL (connecting to ``postgres``).

    Its page cache goes with it: the generator writes in bulk, without the signals that retire pages.

    With ``template`` (an already migrated benchmark database) it is a copy of it, which
    spares a full ``migrate``.
    """
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql") or not name:
        raise SystemExit(f"--database-url must be postgresql://user@host:port/dbname, not {database_url!r}")
    if not name.startswith("portal_bench"):
        raise SystemExit(f"Refusing to drop {name!r}: benchmark databases are named portal_bench_*.")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        shutil.rmtree(cache_dir(database_url), ignore_errors=True)
        if template:
            connection.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
            )
        else:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def create_migrated(database_url, template=""):
    """Recreate the database and ``migrate`` it (a no-op check when copied from a migrated template)."""
    recreate_database(database_url, template)
    setup(database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def generate(database_url, scale, seed, template=""):
    """Recreate the database, migrate it, fill it at ``scale``; report counts and seconds."""
    started = time.perf_counter()
    create_migrated(database_url, template)
    from django.db import connection

    from bench.generate import populate

    migrated = time.perf_counter()
    counts = populate(scale, seed=seed, stdout=sys.stderr)
    with connection.cursor() as cursor:
        # What autovacuum does on a live database soon after a bulk load: statistics for the planner and
        # the visibility map that lets the indicators' partial indexes answer by index-only scans.
        cursor.execute("VACUUM ANALYZE")
    finished = time.perf_counter()
    return {
        "scale": scale, "counts": counts,
        "migrate_seconds": round(migrated - started, 2), "populate_seconds": round(finished - migrated, 2),
    }


def _sample(model):
    queryset = model.objects.order_by("pk")
    if hasattr(queryset, "operating"):
        queryset = queryset.operating()
    total = queryset.count()
    return queryset[total // 2] if total else None


def _sample_community():
    """A located community in the middle of the list (the nearest page needs coordinates)."""
    from core.models import Division

    located = Division.objects.communities().filter(latitude__isnull=False).order_by("pk")
    total = located.count()
    return located[total // 2] if total else None


def _sample_located_community():
    from core.models import Division

    return Division.objects.communities().filter(latitude__isnull=False).order_by("code").first()


def _detail_candidates(target):
    """The URLs of a sample record's detail page (its ``get_absolute_url`` and whatever reverses); or why none."""
    from django.apps import apps
    from django.urls import NoReverseMatch, reverse

    obj = _sample(apps.get_model(target.detail_of))
    if obj is None:
        return [], "没有可用的样本记录"
    candidates = [obj.get_absolute_url()] if hasattr(obj, "get_absolute_url") else []
    for how in ({"kwargs": {"pk": obj.pk}}, {"kwargs": {"code": getattr(obj, "code", "")}}, {"args": [obj.pk]}):
        try:
            candidates.append(reverse(target.url_name, **how))
        except NoReverseMatch:
            pass
    return candidates, "" if candidates else f"URL “{target.url_name}”尚不存在"


def _with_query(target, candidates):
    """The target's query string (``{community}`` a sample community) or a located community's lat/lon."""
    if target.query and candidates:
        query = target.query
        if "{community}" in query:
            community = _sample_community()
            query = query.format(community=community.code if community else "")
        candidates = [f"{candidate}?{query}" for candidate in candidates]
    if target.near_sample:
        community = _sample_located_community()
        if community is None:
            return [], "没有有坐标的社区"
        candidates = [f"{url}?lat={community.latitude:.6f}&lon={community.longitude:.6f}" for url in candidates]
    return candidates, ""


def _candidates(target):
    from django.urls import NoReverseMatch, reverse

    try:
        if target.detail_of:
            candidates, reason = _detail_candidates(target)
        else:
            candidates, reason = [reverse(target.url_name)], ""
        candidates, near_reason = _with_query(target, candidates)
        return candidates, near_reason or reason
    except (NoReverseMatch, LookupError):
        return [], f"URL “{target.url_name}”尚不存在"


def resolve(database_url):
    """Candidate URLs of every target (the harness GETs them; a 404 means not available)."""
    setup(database_url)
    from django.core.management import get_commands

    resolved = []
    for target in [BASELINE, *TARGETS]:
        candidates, reason = _candidates(target)
        resolved.append({
            "label": target.label, "url_name": target.url_name,
            "candidates": list(dict.fromkeys(candidates)), "reason": reason, "reference": target.reference,
            "page_cached": target.page_cached,
        })
    return {"targets": resolved, "bench_import": "bench_import" in get_commands()}


def measure_compliance(database_url, runs):
    """Uncached render time (median of ``runs``) and query count of the compliance page, as a reviewer."""
    setup(database_url)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from core.models import User

    try:
        url = reverse(COMPLIANCE.url_name)
    except NoReverseMatch:
        return {"available": False, "reason": f"URL “{COMPLIANCE.url_name}”尚不存在"}
    client = Client()
    client.force_login(User.objects.get(username="bench-reviewer"))
    cache.clear()
    first = client.get(url)  # warm-up: imports and compiled templates, as in a running server
    if first.status_code == 404:
        return {"available": False, "reason": f"{url} 返回 404", "url": url}
    if first.status_code != 200:
        return {"available": True, "error": f"{url} 返回 {first.status_code}", "url": url}
    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return {
        "available": True, "url": url, "median_ms": round(statistics.median(times), 1),
        "min_ms": round(min(times), 1), "runs": runs, "queries": len(queries.captured_queries),
    }


def measure_pages(database_url, runs, urls):
    """Each public page rendered in-process with no page kept (``BENCH_UNCACHED=pages``, bench.settings): median ms,
    queries, bytes (anonymous)."""
    os.environ["BENCH_UNCACHED"] = "pages"
    setup(database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for url in urls:
        first = client.get(url)  # warm-up: imports and compiled templates, as in a running server
        if first.status_code != 200:
            results[url] = {"error": f"{url} 返回 {first.status_code}"}
            continue
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results[url] = {
            "median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1), "runs": runs,
            "queries": len(queries.captured_queries), "bytes": len(response.content),
        }
    return results


def save_stream(database_url, rate, seconds, seed=21):
    """Clerks at month end: ``rate`` saves a second for ``seconds``, each a record of the city picked at
    random (a centre, an eldercare facility or a volunteer team in turn), saved through the model as the
    admin saves it (signals, history row, its own transaction). Reports how many were made."""
    setup(database_url)
    import random

    from django.db import transaction

    from eldercare.models import Facility
    from facilities.models import Centre
    from volunteers.models import Team

    rng = random.Random(seed)  # noqa: S311  # benchmark load, not security  # nosec B311
    kinds = [(model, list(model.objects.values_list("pk", flat=True))) for model in (Centre, Facility, Team)]
    interval, started, made = 1.0 / rate, time.perf_counter(), 0
    while True:
        due = started + made * interval
        now = time.perf_counter()
        if now - started >= seconds:
            break
        if due > now:
            time.sleep(due - now)
        model, pks = kinds[made % len(kinds)]
        with transaction.atomic():
            record = model.objects.select_for_update().get(pk=rng.choice(pks))
            record.save()
        made += 1
    return {"saves": made, "seconds": round(time.perf_counter() - started, 1)}
def measure_opendata(database_url, runs):
    """The HSDS services list rendered uncached: median time and query count for each ``OPENDATA_PER_PAGE``."""
    setup(database_url)
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse(OPENDATA_SERVICES)
    except NoReverseMatch:
        return {"available": False, "reason": f"URL “{OPENDATA_SERVICES}”尚不存在"}
    client = Client()
    results = {}
    for per_page in OPENDATA_PER_PAGE:
        target = f"{url}?per_page={per_page}"
        caches["pages"].clear()
        if client.get(target).status_code != 200:  # warm-up
            return {"available": True, "error": f"{target} did not answer 200"}
        times = []
        for _ in range(runs):
            caches["pages"].clear()
            started = time.perf_counter()
            client.get(target)
            times.append((time.perf_counter() - started) * 1000)
        caches["pages"].clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(target)
        results[str(per_page)] = {"median_ms": round(statistics.median(times), 1), "queries": len(queries.captured_queries)}
    return {"available": True, "url": url, "runs": runs, "per_page": results}


def emit(result):
    """The last line of stdout is the JSON the harness reads."""
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
