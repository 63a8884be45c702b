"""Production settings with a throw-away STATIC_ROOT for the benchmark's collectstatic.

Everything else (DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL) comes from the
environment exactly as in production; the harness sets it.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"  # the site's URLs and the layout-only page (bench/urls.py)

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

# The uncached runs: every cache off — the page cache and the shared one (versions, headline figures) —
# which is what a resident meets right after a save retired the pages they ask for.
if os.environ.get("BENCH_UNCACHED") == "1":
    CACHES = {  # noqa: F405
        name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in ("default", "pages")
    }
