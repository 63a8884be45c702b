"""Production settings with a throw-away STATIC_ROOT for the benchmark's collectstatic.

Everything else (DEBUG, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL) comes from the
environment exactly as in production; the harness sets it.
"""

import os

from config.settings import *  # noqa: F403

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
