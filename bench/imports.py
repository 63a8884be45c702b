"""The imports of the benchmark: ``manage.py bench_import`` on a fresh database copied from a template.

The data-exchange issue's 7,000-row workbook into an empty database, and issue 20's province-sized one
(``PROVINCE_IMPORT_ROWS``) into an empty database and into a copy of the big city's.
"""

import json
import os
import re
import subprocess  # nosec B404
import sys
import time

from bench.server import ROOT
from bench.server import bench_step as _step

#: Issue 20's province-sized import: created and updated, into an empty database and into the big city.
PROVINCE_IMPORT_ROWS = 70_000


def bench_import(pg_url, env, template, prefix="portal_bench_", *, rows=None, memory=True, keep_figures=False):
    """Run the data-exchange issue's ``bench_import`` on a fresh copy of ``template``; find its ratio (and, given
    ``rows``, its figures: seconds, ratios, peak memory). ``keep_figures``: the copy keeps the board's figures
    first (``manage.py keep_figures``), as a running deployment does, so that the import keeps them too."""
    url = f"{pg_url}/{prefix}import"
    _step(["createdb", "--database-url", url, "--template", template], env, timeout=1800)
    if keep_figures:
        subprocess.run(  # noqa: S603  # nosec B603
            [sys.executable, "manage.py", "keep_figures"], cwd=ROOT, env={**os.environ, **env, "DATABASE_URL": url},
            check=True, capture_output=True, timeout=600,
        )
    command = [sys.executable, "manage.py", "bench_import"]
    if rows:
        command += ["--rows", str(rows)]
    if not memory:
        command.append("--no-memory")
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, cwd=ROOT, env={**os.environ, **env, "DATABASE_URL": url}, capture_output=True, text=True, timeout=3600,
    )
    seconds = time.perf_counter() - started
    output = result.stdout + result.stderr
    if result.returncode != 0:
        return {"error": f"exit {result.returncode}: {output[-500:]}", "seconds": seconds}
    figures = None
    for line in reversed(result.stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and "ratio" in data:
            figures = data
            break
    ratio = None if figures is None else float(figures["ratio"])
    if ratio is None:
        match = re.findall(r"(?:ratio|倍数)\D{0,20}?(\d+(?:\.\d+)?)", output, re.IGNORECASE)
        ratio = float(match[-1]) if match else None
    return {"ratio": ratio, "figures": figures, "output": output.strip()[-800:], "seconds": seconds}


def province_import(pg_url, env, template, big, prefix):
    """``PROVINCE_IMPORT_ROWS`` rows imported into an empty database (with its peak memory) and into a copy of the
    big city's (``big``), both keeping the board's figures: {"empty": …, "big": …}."""
    return {
        "empty": bench_import(pg_url, env, template, prefix, rows=PROVINCE_IMPORT_ROWS, keep_figures=True),
        "big": bench_import(pg_url, env, big, prefix, rows=PROVINCE_IMPORT_ROWS, memory=False),
    }
