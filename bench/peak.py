"""``python -m bench.peak PEAK_FILE manage.py ARGS…``: run a management command, then write its peak memory.

The peak is ``VmHWM`` of this process (``/proc/self/status``, kB): the high-water mark of its own
address space. ``ru_maxrss`` from ``wait4`` would not do: Linux carries it over ``fork`` and ``exec``,
so a child of a big harness would report the harness's size.
"""

import atexit
import re
import runpy
import sys
from pathlib import Path


def _write_peak(path):
    match = re.search(r"^VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.MULTILINE)
    Path(path).write_text(match.group(1) if match else "")


def main():
    peak_file, script, *args = sys.argv[1:]
    atexit.register(_write_peak, peak_file)
    sys.argv = [script, *args]
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
