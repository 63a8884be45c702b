"""Probes for the load balancer and the benchmark (the pages live in ``portal``)."""

import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
READY_KEY = "readyz:probe"


def healthz(request):
    """Liveness (the process answers) and the benchmark's bare-Django baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database answers a query and the shared cache stores and returns a value.

    200 ``ok``, or 503 with one line per failing part (the detail is logged, not shown).
    """
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means not ready
        logger.exception("readyz: database check failed")
        problems.append("database: unavailable")
    token = secrets.token_hex(8)
    try:
        cache.set(READY_KEY, token, 30)
        cache_ok = cache.get(READY_KEY) == token
    except Exception:  # noqa: BLE001
        logger.exception("readyz: cache check failed")
        cache_ok = False
    if not cache_ok:
        problems.append("cache: unavailable")
    if problems:
        return HttpResponse("\n".join(problems) + "\n", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
