"""Production settings with a throw-away STATIC_ROOT for the benchmark's collectstatic.

Everything else (DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL) comes from the
environment exactly as in production; the harness sets it.
"""

import os

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"  # the site's URLs and the layout-only page (bench/urls.py)

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

# The public pages' uncached runs (``BENCH_UNCACHED=pages``): what a resident meets right after a save retired
# the page they ask for — the page cache bypassed (every request renders), the shared cache as in production
# (the versions a page is checked against and the reference data they guard, core.reference: a save bumps the
# versions, it doesn't take the cache away).
if os.environ.get("BENCH_UNCACHED") == "pages":
    PUBLIC_PAGE_CACHE = False
    CACHES = {**CACHES, "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}  # noqa: F405
# The boards' runs (``BENCH_UNCACHED=1``, bench.scale): every cache off, the page cache and the shared one.
if os.environ.get("BENCH_UNCACHED") == "1":
    CACHES = {  # noqa: F405
        name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in ("default", "pages")
    }
