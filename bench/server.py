"""gunicorn on 127.0.0.1 and wrk against it, both bounded in time."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess  # nosec B404
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def bench_step(args, env, timeout):
    """Run ``python -m bench …`` and return the JSON of its last stdout line."""
    result = subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "-m", "bench", *args], cwd=ROOT, env={**os.environ, **env},
        capture_output=True, text=True, timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"python -m bench {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_status(url, timeout=30):
    """HTTP status of a GET (redirects are not followed: a 302 is what the page answers)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:  # nosec B310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextmanager
def gunicorn(env, log_path, startup_timeout=60):
    """Serve the portal with gunicorn (2 sync workers) on a free loopback port; yield its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
        "--timeout", "30", "--graceful-timeout", "5", "--log-level", "warning",
        "--error-logfile", str(log_path),
    ]
    with open(log_path, "ab") as log:
        process = subprocess.Popen(  # noqa: S603  # nosec B603
            command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=log, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
            try:
                if get_status(base + "/healthz", timeout=2) == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer /healthz within {startup_timeout} s; see {log_path}")
            time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_LATENCY = re.compile(r"^\s+Latency\s+([\d.]+)(us|ms|s)\b", re.MULTILINE)
_NON_2XX = re.compile(r"^\s*Non-2xx or 3xx responses:\s+(\d+)", re.MULTILINE)
_SOCKET_ERRORS = re.compile(r"^\s*Socket errors:.*?timeout (\d+)", re.MULTILINE)
_TOTAL = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)


def parse_wrk(output):
    """Requests/s, mean latency (ms), request count and non-2xx/3xx count from wrk's report."""
    rate = _RATE.search(output)
    if rate is None:
        raise ValueError(f"wrk printed no Requests/sec line:\n{output}")
    latency = _LATENCY.search(output)
    latency_ms = None
    if latency:
        latency_ms = float(latency.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[latency.group(2)]
    total = _TOTAL.search(output)
    non_2xx = _NON_2XX.search(output)
    timeouts = _SOCKET_ERRORS.search(output)
    return {
        "rps": float(rate.group(1)),
        "latency_ms": latency_ms,
        "requests": int(total.group(1)) if total else None,
        "errors": (int(non_2xx.group(1)) if non_2xx else 0) + (int(timeouts.group(1)) if timeouts else 0),
    }


def wrk(url, *, seconds, threads, connections):
    command = [shutil.which("wrk") or "wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", url]
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    return parse_wrk(result.stdout)
