"""The public pages under load: each against the bare view, and two of them under a stream of clerks' saves."""

import json
import os
import statistics
import subprocess  # nosec B404
import sys
import time

from bench.server import ROOT, get_status, wrk
from bench.targets import SAVES_PER_SECOND, SAVES_SECONDS, UNDER_SAVES


def _say(message):
    print(message, flush=True)


def _find_url(base_url, target):
    """The first of the target's candidate URLs that answers 200; else why not (404s: not available)."""
    url, statuses = None, []
    for candidate in target["candidates"]:
        status = get_status(base_url + candidate)
        statuses.append(f"{candidate} → {status}")
        if status == 200:
            url = candidate
            break
    target["url"] = url
    if url is None and not target["reason"]:
        if statuses and all(s.endswith("→ 404") for s in statuses):
            target["reason"] = "; ".join(statuses)
        else:
            target["error"] = "; ".join(statuses) or "no URL"


def throughput(base_url, resolved, args):
    """wrk each target ``args.rounds`` times, each run between two runs of the bare view: its share is the median
    of its rounds' shares, each run against the mean of the bare view just before and just after it.

    The machine's speed drifts over minutes (a shared host, wrk, gunicorn and PostgreSQL on two cores): a page is
    compared with the bare view measured around it, not with one baseline for the whole run, and a page of 10–15 %
    swung by a quarter between single 10-s runs, so one run is not its figure.
    """
    results = {}
    for target in resolved["targets"]:
        _find_url(base_url, target)
    baseline, *pages = resolved["targets"]
    if baseline.get("url") is None:
        raise RuntimeError(f"the bare view is not available: {baseline}")
    for target in resolved["targets"]:
        if target.get("url"):
            wrk(base_url + target["url"], seconds=1, threads=args.threads, connections=args.connections)  # warm-up

    def load(url):
        return wrk(base_url + url, seconds=args.duration, threads=args.threads, connections=args.connections)

    runs = [load(baseline["url"])]
    for target in pages:
        if target.get("url"):
            rounds = []
            for _ in range(args.rounds):
                page = load(target["url"])
                runs.append(load(baseline["url"]))
                rounds.append((page, (runs[-2]["rps"] + runs[-1]["rps"]) / 2))
            results[target["label"]] = result = _median_round(rounds)
            _say(f"    {target['label']} {target['url']}: {result['rps']:.0f} req/s = {result['share']:.0%} "
                 f"(rounds {', '.join(f'{share:.0%}' for share in result['shares'])}; "
                 f"bare {min(r['rps'] for r in runs):.0f}–{max(r['rps'] for r in runs):.0f})")
    return baseline, pages, runs, results


def _median_round(rounds):
    """One page's figure from its rounds [(wrk result, bare req/s around it)]: the median share, the median
    req/s and bare req/s, every round's share, and the errors of all rounds."""
    shares = [page["rps"] / bare for page, bare in rounds]
    return {
        "share": statistics.median(shares),
        "shares": shares,
        "rps": statistics.median(page["rps"] for page, _bare in rounds),
        "bare_rps": statistics.median(bare for _page, bare in rounds),
        "errors": sum(page["errors"] for page, _bare in rounds),
    }


def under_saves(base_url, resolved, args, env, database_url):
    """Each UNDER_SAVES page: quiet throughput, then the same while a process makes SAVES_PER_SECOND saves."""
    urls = {}
    for target in resolved["targets"]:  # the page itself, not a variant with a query (the last page)
        if target.get("url_name") and target.get("url") and "?" not in target["url"]:
            urls.setdefault(target["url_name"], target)
    results = {}
    for name in UNDER_SAVES:
        target = urls.get(name)
        if target is None or not target.get("url"):
            continue
        url = base_url + target["url"]
        quiet = wrk(url, seconds=SAVES_SECONDS, threads=args.threads, connections=args.connections)
        saver = subprocess.Popen(  # noqa: S603  # nosec B603
            [sys.executable, "-m", "bench", "saves", "--database-url", database_url,
             "--rate", str(SAVES_PER_SECOND), "--seconds", str(SAVES_SECONDS)],
            cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        time.sleep(1.5)  # the saver's Django start-up, so that wrk runs while it saves
        busy = wrk(url, seconds=SAVES_SECONDS - 2, threads=args.threads, connections=args.connections)
        out, err = saver.communicate(timeout=SAVES_SECONDS + 120)
        if saver.returncode != 0:
            raise RuntimeError(f"python -m bench saves failed:\n{err[-3000:]}")
        made = json.loads(out.strip().splitlines()[-1])
        results[target["label"]] = {"url": target["url"], "quiet": quiet, "busy": busy, "saves": made}
        _say(f"    {target['label']} under {made['saves']} saves in {made['seconds']} s: "
             f"{busy['rps']:.0f} req/s vs {quiet['rps']:.0f} quiet = {busy['rps'] / quiet['rps']:.0%}")
    return results
