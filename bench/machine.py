"""The machine a benchmark ran on, for the report's header."""

import os
import platform
import re
import shutil
import subprocess  # nosec B404
from pathlib import Path

DEFAULT_PG = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432")


def machine(pg_url=DEFAULT_PG):
    import django
    import gunicorn as gunicorn_package
    import psycopg

    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    with psycopg.connect(f"{pg_url}/postgres") as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    wrk_version = subprocess.run(  # noqa: S603  # nosec B603
        [shutil.which("wrk") or "wrk", "-v"], capture_output=True, text=True, timeout=10
    ).stdout.split("\n")[0]
    return {
        "CPUs (nproc)": str(os.cpu_count()),
        "memory": memory,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": postgres,
        "gunicorn": gunicorn_package.__version__,
        "wrk": wrk_version.strip() or "wrk",
        "load average at the end": " ".join(f"{load:.1f}" for load in os.getloadavg()),
    }
