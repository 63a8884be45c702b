"""``python -m bench [run|generate|…]``: the benchmark harness.

``run`` (the default) does everything ``make bench`` promises: generate the
city at 1× and 40× (``--factor``) on PostgreSQL, serve each with gunicorn — with
the page cache, without any cache, and under a stream of saves — load it with wrk on
loopback, time the compliance page in-process, and write the table to
``docs/PERFORMANCE.md``. The other commands are its steps, each in its own
process because Django reads ``DATABASE_URL`` once.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess  # nosec B404
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench import django_side
from bench import scale as bench_scale
from bench import timeline as bench_timeline
from bench.imports import PROVINCE_IMPORT_ROWS, province_import
from bench.imports import bench_import as _bench_import
from bench.loads import throughput as _throughput
from bench.loads import under_saves as _under_saves
from bench.machine import DEFAULT_PG, machine
from bench.report import Row, markdown, reliability_rows, table
from bench.rows import opendata_rows, rows, scale_label, scale_rows
from bench.server import ROOT, gunicorn
from bench.server import bench_step as _step
from bench.targets import SAVES_PER_SECOND, SAVES_SECONDS, UNDER_SAVES


def _parser():
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="the whole benchmark (default)")
    run.add_argument("--quick", action="store_true", help="smoke run: scale 0.05/0.2, 3-s loads, no report file")
    run.add_argument("--scale", type=float, default=None, help="base scale (default 1)")
    run.add_argument("--factor", type=float, default=40, help="the big city: base scale × this (default 40)")
    run.add_argument("--prefix", default="", help="benchmark database names start with this (default portal_bench_)")
    run.add_argument("--duration", type=int, default=None, help="seconds of each wrk run (default 4)")
    run.add_argument("--rounds", type=int, default=None,
                     help="runs of each page, each between two of the bare view; its share is their median (default 3)")
    run.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: leave a core to gunicorn)")
    run.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    run.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL server URL without a database name")
    run.add_argument("--skip-generate", action="store_true", help="reuse the databases of the last run")
    run.add_argument("--output", default=None, help="report file (default docs/PERFORMANCE.md; none with --quick)")
    run.add_argument("--skip-reliability", action="store_true", help="no hostile-workbook set and no soak")

    generate = sub.add_parser("generate", help="recreate a benchmark database and fill it at a scale")
    generate.add_argument("--scale", type=float, required=True)
    generate.add_argument("--database-url", required=True)
    generate.add_argument("--seed", type=int, default=8)
    generate.add_argument("--template", default="", help="copy this migrated database instead of migrating")

    createdb = sub.add_parser("createdb", help="recreate and migrate an empty benchmark database")
    createdb.add_argument("--database-url", required=True)
    createdb.add_argument("--template", default="")

    hostile = sub.add_parser("hostile", help="the hostile-workbook set, each case in a fresh process")
    hostile.add_argument("--database-url", required=True)
    hostile.add_argument("--case", action="append", default=[], help="only this case (repeatable)")

    soak = sub.add_parser("soak", help="public reads under load while imports and saves run, cache read-only")
    soak.add_argument("--database-url", required=True)
    soak.add_argument("--seconds", type=int, default=60)
    soak.add_argument("--read-only-after", type=int, default=20)
    soak.add_argument("--read-only-for", type=int, default=20)
    soak.add_argument("--connections", type=int, default=8)

    timeline = sub.add_parser("timeline", help="only the timeline's figures (issue 14) on their own databases")
    timeline.add_argument("--scale", type=float, default=1.0, help="base scale (4× is measured too)")
    timeline.add_argument("--pg-url", default=DEFAULT_PG, help="PostgreSQL server URL without a database name")
    timeline.add_argument("--prefix", default="portal_bench_timeline_", help="database names start with this "
                          "(must start with portal_bench_), e.g. portal_bench_h14_")
    timeline.add_argument("--skip-generate", action="store_true", help="reuse the databases of the last run")
    for name in ("timeline-history", "timeline-measure"):
        step = sub.add_parser(name, help=f"internal step of timeline: {name}")
        step.add_argument("--database-url", required=True)
        step.add_argument("--quick", action="store_true", help="one month and the trend page (no backfill, no report)")
        step.add_argument("--no-backfill", action="store_true", help="reuse the stored months of the last run")

    for name in ("resolve", "compliance", "pages", "opendata", "scale"):
        step = sub.add_parser(name, help=f"internal step of run: {name}")
        step.add_argument("--database-url", required=True)
        step.add_argument("--runs", type=int, default=7)
        if name == "pages":
            step.add_argument("urls", nargs="+")
        if name == "scale":
            step.add_argument("--pages-only", action="store_true", help="the boards and pages, not forms or saves")

    saves = sub.add_parser("saves", help="internal step of run: a bounded stream of clerks' saves")
    saves.add_argument("--database-url", required=True)
    saves.add_argument("--rate", type=float, default=5)
    saves.add_argument("--seconds", type=float, default=20)
    return parser


def _hostile(args):
    django_side.setup(args.database_url)
    from bench.hostile import measure_cases

    with tempfile.TemporaryDirectory(prefix="portal-hostile-") as workdir:
        env = django_side.django_env(args.database_url)
        return measure_cases(args.database_url, env, workdir, set(args.case))


def _soak(args):
    from bench.soak import soak

    return soak(args.database_url, seconds=args.seconds, read_only_after=args.read_only_after,
                read_only_for=args.read_only_for, connections=args.connections)


def _createdb(args):
    django_side.create_migrated(args.database_url, args.template)
    return {"created": args.database_url}


#: The steps ``run`` starts in their own processes: command → a function of the arguments returning JSON data.
STEPS = {
    "generate": lambda args: django_side.generate(args.database_url, args.scale, args.seed, args.template),
    "createdb": _createdb,
    "resolve": lambda args: django_side.resolve(args.database_url),
    "compliance": lambda args: django_side.measure_compliance(args.database_url, args.runs),
    "hostile": _hostile,
    "soak": _soak,
    "pages": lambda args: django_side.measure_pages(args.database_url, args.runs, args.urls),
    "saves": lambda args: django_side.save_stream(args.database_url, args.rate, args.seconds),
    "opendata": lambda args: django_side.measure_opendata(args.database_url, args.runs),
    "scale": lambda args: bench_scale.measure(args.database_url, args.runs, pages_only=args.pages_only),
    "timeline-history": lambda args: bench_timeline.add_history(args.database_url),
    "timeline-measure": lambda args: bench_timeline.measure(
        args.database_url, backfill=not (args.quick or args.no_backfill), report=not args.quick,
    ),
}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv or ["run"])
    if args.command in STEPS:
        django_side.emit(STEPS[args.command](args))
        return 0
    if args.command == "timeline":
        return timeline_run(args)
    return run(args, argv)


def _say(message):
    print(message, flush=True)


_scale_label = scale_label


def _generate(args, scales, base_env, template, phases):
    """Migrate the template database, then fill each scale's copy (or, reused, only migrate it)."""
    generated = {}
    t0 = time.perf_counter()
    _say(f"migrate {template}")
    _step(["createdb", "--database-url", f"{args.pg_url}/{template}"], base_env, 900)
    phases["migrate"] = time.perf_counter() - t0
    for factor, name in scales:
        url = f"{args.pg_url}/{name}"
        if args.skip_generate:
            _say(f"migrate {name} (reused)")
            subprocess.run(  # nosec B603
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                env={**os.environ, **base_env, "DATABASE_URL": url}, check=True, timeout=900,
            )
            continue
        _say(f"generate scale {factor:g} → {name}")
        t0 = time.perf_counter()
        generated[factor] = _step(
            ["generate", "--scale", str(factor), "--database-url", url, "--template", template], base_env, 3600
        )
        phases[f"generate {_scale_label(factor)}"] = time.perf_counter() - t0
        _say(f"    {generated[factor]['counts']} in {phases[f'generate {_scale_label(factor)}']:.1f} s")
    return generated


def _reliability(args, scales, base_env, template, prefix, phases):
    """The hostile-workbook set on its own database, then the soak on the base city."""
    reliability = {}
    t0 = time.perf_counter()
    _say("hostile workbooks, each in a fresh process (real limits)")
    hostile_url = f"{args.pg_url}/{prefix}hostile"
    _step(["createdb", "--database-url", hostile_url, "--template", template], base_env, 600)
    reliability["hostile"] = _step(["hostile", "--database-url", hostile_url], base_env, 7200)
    phases["hostile workbooks"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    soak_seconds = 20 if args.quick else 60
    _say(f"soak on {scales[0][1]}: {soak_seconds} s of reads, saves and imports; cache read-only in the middle")
    reliability["soak"] = _step([
        "soak", "--database-url", f"{args.pg_url}/{scales[0][1]}", "--seconds", str(soak_seconds),
        "--read-only-after", str(soak_seconds // 3), "--read-only-for", str(soak_seconds // 3),
        "--connections", str(args.connections)], base_env, soak_seconds + 600)
    _say(f"    {reliability['soak']}")
    phases["soak"] = time.perf_counter() - t0
    return reliability


def _write_report(output, rows, argv, args, measured):
    """docs/PERFORMANCE.md (or ``output``): the table, the machine, the command and every measurement."""
    command = f"{Path(sys.executable).name} -m bench {' '.join(argv)}".strip()
    if os.environ.get("MAKELEVEL"):
        command = f"make bench  # {command}"
    context = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "command": command,
        "machine": machine(args.pg_url),
        "generated": measured["generated"],
        "phases": measured["phases"],
        "load": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s per run after a 1-s warm-up; "
        f"gunicorn 2 sync workers on 127.0.0.1; {args.rounds} runs of each page, each between two of the bare view, "
        f"the page's share the median of its runs' shares; "
        f"{SAVES_PER_SECOND} saves/s for {SAVES_SECONDS} s against {', '.join(UNDER_SAVES)}",
        "compliance": measured["compliance"],
        "bench_import": measured["bench_import"],
        "scales": measured["scales"],
        "reliability": measured["reliability"],
    }
    path = ROOT / output
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown(rows, context), encoding="utf-8")
    print(f"written to {output}")


def _in_process(step, title, pg_url, scales, base_env, runs):
    """``python -m bench <step>`` on each scale's database: {factor: its JSON}."""
    results = {}
    for factor, name in scales:
        url = f"{pg_url}/{name}"
        _say(f"{title} in-process ({_scale_label(factor)})")
        results[factor] = _step([step, "--database-url", url, "--runs", str(runs)], {**base_env, "DATABASE_URL": url}, 1800)
        _say(f"    {results[factor]}")
    return results


#: More rounds of the boards and pages at each scale, alternating (1×, big, 1×, big, …) after the first: a ratio of
#: two times taken minutes apart took the machine's drift for the data's (× 1.6–2.0 in one run, × 1.0–1.3 when the
#: same pages were measured alternately).
BOARD_ROUNDS = 3


def _interleave_boards(results, pg_url, scales, base_env, runs):
    """Measure the boards and pages ``BOARD_ROUNDS - 1`` more times at each scale, alternating, and keep for each
    page the median of its rounds' medians (and the fastest time seen)."""
    rounds = {factor: [results[factor]["pages"]] for factor, _name in scales}
    for round_number in range(2, BOARD_ROUNDS + 1):
        for factor, name in scales:
            url = f"{pg_url}/{name}"
            _say(f"boards in-process, round {round_number} ({_scale_label(factor)})")
            measured = _step(["scale", "--database-url", url, "--runs", str(runs), "--pages-only"],
                             {**base_env, "DATABASE_URL": url}, 1800)
            rounds[factor].append(measured["pages"])
    for factor, _name in scales:
        pages = results[factor]["pages"]
        for label, page in pages.items():
            seen = [each[label] for each in rounds[factor]]
            page["median_ms"] = round(statistics.median(each["median_ms"] for each in seen), 1)
            page["min_ms"] = min(each["min_ms"] for each in seen)
            page["rounds"] = len(seen)


def run(args, argv):
    started = time.perf_counter()
    scale = args.scale or (0.05 if args.quick else 1.0)
    args.duration = args.duration or (3 if args.quick else 4)
    args.rounds = args.rounds or (1 if args.quick else 3)
    runs = 3 if args.quick else 15
    output = args.output or (None if args.quick else "docs/PERFORMANCE.md")
    prefix = args.prefix or ("portal_bench_quick_" if args.quick else "portal_bench_")
    big = _scale_label(args.factor).replace("×", "x")
    scales = [(scale, f"{prefix}1x"), (scale * args.factor, f"{prefix}{big}")]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it when run as root).")

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    static_root = workdir / "static"
    base_env = django_side.django_env(f"{args.pg_url}/{scales[0][1]}", str(static_root))
    phases = {}
    reliability = {}
    try:
        _say(f"collectstatic → {static_root}")
        subprocess.run(  # nosec B603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
            env={**os.environ, **base_env}, check=True, timeout=300,
        )
        template = f"{prefix}template"
        generated = _generate(args, scales, base_env, template, phases)

        throughput, uncached, saves, pages = {}, {}, {}, {}
        for factor, name in scales:
            url = f"{args.pg_url}/{name}"
            env = {**base_env, "DATABASE_URL": url, "CACHE_DIR": django_side.cache_dir(url)}
            shutil.rmtree(env["CACHE_DIR"], ignore_errors=True)
            resolved = _step(["resolve", "--database-url", url], env, 300)
            _say(f"serve {name} with gunicorn ({_scale_label(factor)}), page cache on")
            t0 = time.perf_counter()
            with gunicorn(env, workdir / f"gunicorn-{name}.log") as base_url:
                throughput[factor] = (resolved, *_throughput(base_url, resolved, args))
                _say(f"  under {SAVES_PER_SECOND} saves/s for {SAVES_SECONDS} s")
                saves[factor] = _under_saves(base_url, resolved, args, env, url)
            phases[f"load {_scale_label(factor)} cached"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            _say(f"serve {name} with gunicorn ({_scale_label(factor)}), no page kept")
            unresolved = json.loads(json.dumps(resolved))
            with gunicorn({**env, "BENCH_UNCACHED": "pages"}, workdir / f"gunicorn-{name}-uncached.log") as base_url:
                uncached[factor] = (unresolved, *_throughput(base_url, unresolved, args))
            phases[f"load {_scale_label(factor)} uncached"] = time.perf_counter() - t0
            urls = [target["url"] for target in unresolved["targets"][1:] if target.get("url")]
            _say(f"pages in-process, uncached ({_scale_label(factor)})")
            pages[factor] = _step(["pages", "--database-url", url, "--runs", str(runs), *urls], env, 1800)

        compliance = _in_process("compliance", "compliance page", args.pg_url, scales, base_env, runs)
        opendata = _in_process("opendata", "open-data services list", args.pg_url, scales, base_env, runs)
        scale_results = _in_process("scale", "boards, forms and saves", args.pg_url, scales, base_env, runs)
        _interleave_boards(scale_results, args.pg_url, scales, base_env, runs)

        bench_import = None
        if throughput[scales[0][0]][0]["bench_import"]:
            _say("manage.py bench_import")
            t0 = time.perf_counter()
            bench_import = _bench_import(args.pg_url, base_env, template, prefix)
            phases["bench_import"] = time.perf_counter() - t0
            _say(f"manage.py bench_import --rows {PROVINCE_IMPORT_ROWS}: an empty database, then the {_scale_label(scales[1][0])} city's")
            t0 = time.perf_counter()
            bench_import["province"] = province_import(args.pg_url, base_env, template, scales[1][1], prefix)
            phases[f"bench_import {PROVINCE_IMPORT_ROWS} rows"] = time.perf_counter() - t0

        if not args.skip_reliability:
            reliability = _reliability(args, scales, base_env, template, prefix, phases)
        # Last: the timeline adds history to the base city's database (issue 14; 4× with `python -m bench timeline`).
        t0 = time.perf_counter()
        timeline_results, timeline_rows = timeline_phase(args.pg_url, scales[:1], base_env, generate=False)
        phases["timeline"] = time.perf_counter() - t0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    table_rows = (
        rows(scales, throughput, compliance, bench_import, uncached=uncached, pages=pages, saves=saves)
        + reliability_rows(reliability) + opendata_rows(scales, opendata) + scale_rows(scales, scale_results)
        + timeline_rows
    )
    total = time.perf_counter() - started
    print()
    print(table(table_rows))
    passed = sum(row.result == "pass" for row in table_rows)
    failed = sum(row.result == "FAIL" for row in table_rows)
    print(f"\n{passed} pass, {failed} fail, {len(table_rows) - passed - failed} not available; {total:.0f} s in all")
    if output:
        _write_report(output, table_rows, argv, args, {
            "generated": generated,
            "phases": {**phases, "total": total},
            "compliance": compliance,
            "bench_import": bench_import,
            "scales": scales,
            "reliability": reliability,
        })
    return 0


def timeline_phase(pg_url, scales, env, *, generate=True, template=""):
    """Give each scale's database 60 months of history and measure the timeline (issue 14); its rows."""
    results = {}
    for index, (factor, name) in enumerate(scales):
        url = f"{pg_url}/{name}"
        step_env = {**env, "DATABASE_URL": url}
        if generate:
            _say(f"generate scale {factor:g} → {name}")
            _step(["generate", "--scale", str(factor), "--database-url", url, "--template", template], step_env, 3600)
        _say(f"    history: {_step(['timeline-history', '--database-url', url], step_env, 3600)}")
        _say(f"timeline ({_scale_label(factor)})")
        results[_scale_label(factor)] = _step(
            ["timeline-measure", "--database-url", url, *(["--quick"] if index else [])], step_env, 7200,
        )
        _say(f"    {results[_scale_label(factor)]}")
    return results, [Row(*row) for row in bench_timeline.rows(results)]


def timeline_run(args):
    """``python -m bench timeline``: the timeline's figures alone, printed (docs/PERFORMANCE.md keeps them)."""
    if not args.prefix.startswith("portal_bench_"):
        raise SystemExit("--prefix must start with portal_bench_ (benchmark databases are dropped and recreated).")
    scales = [(args.scale, f"{args.prefix}1x"), (args.scale * 4, f"{args.prefix}4x")]
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-timeline-"))
    env = django_side.django_env(f"{args.pg_url}/{scales[0][1]}", str(workdir / "static"))
    template = f"{args.prefix}template"
    try:
        subprocess.run(  # nosec B603
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
            env={**os.environ, **env}, check=True, timeout=300,
        )
        if not args.skip_generate:
            _step(["createdb", "--database-url", f"{args.pg_url}/{template}"], env, 900)
        results, rows = timeline_phase(args.pg_url, scales, env, generate=not args.skip_generate, template=template)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(rows))
    print(json.dumps(results, ensure_ascii=False))
    return 0
