"""The benchmark's table rows from its measurements: each figure against its goal (``bench.targets``)."""

from bench.report import Row
from bench.targets import (
    BOARD_MS_GOAL,
    BOARD_RATIO_GOAL,
    COMPLIANCE,
    COMPLIANCE_MS_GOAL,
    DRILL_MS_GOAL,
    FORM_MS_GOAL,
    OPENDATA_MAX_QUERIES,
    SAVE_ADDED_MS_GOAL,
    SAVES_GOAL,
    SAVES_PER_SECOND,
    SCALE_RATIO_TOLERANCE,
    SCALING_GOAL,
    SIZE_GOAL,
    THROUGHPUT_GOAL,
    UNCACHED_GOAL,
)


def scale_label(scale):
    return f"{scale:g}×"


def opendata_rows(scales, opendata):
    """The HSDS services list uncached: time and queries for each per_page, at 1× and 4×."""
    rows = []
    for factor, _name in scales:
        result = opendata[factor]
        label = f"HSDS /api/hsds/services uncached @{scale_label(factor)}"
        if not result.get("available"):
            rows.append(Row(label, result.get("reason", ""), "queries equal for every per_page", "not available"))
            continue
        if result.get("error"):
            rows.append(Row(label, result["error"], "200", "FAIL"))
            continue
        figures = result["per_page"]
        queries = [figures[key]["queries"] for key in figures]
        rows.append(Row(
            f"{label}: queries for per_page {' / '.join(figures)}",
            " / ".join(str(count) for count in queries),
            f"≤ {OPENDATA_MAX_QUERIES} at every per_page (a count per kind, a fetch and a prefetch per kind spanned)",
            "pass" if max(queries) <= OPENDATA_MAX_QUERIES else "FAIL",
        ))
        rows.append(Row(
            f"{label}: render for per_page {' / '.join(figures)}",
            " / ".join(f"{figures[key]['median_ms']:.1f} ms" for key in figures) + f" (medians of {result['runs']})",
            "(for information)", "—",
        ))
    return rows


def _share_rows(scales, throughput, goal_share, suffix, *, page_cache=True):
    """Each page's share of the bare view against ``goal_share``; with ``page_cache`` (the pages kept), a page
    whose view keeps none (``page_cached`` False) is given for reading, as is the layout-only page."""
    rows = []
    for factor, _name in scales:
        _resolved, baseline, pages, runs, results = throughput[factor]
        rates = [run["rps"] for run in runs]
        where = scale_label(factor)
        rows.append(Row(
            f"{baseline['label']} @{where}{suffix}",
            f"{sum(rates) / len(rates):.0f} req/s (mean of {len(rates)} runs, {min(rates):.0f}–{max(rates):.0f})",
            "100 % (baseline)", "—",
        ))
        for target in pages:
            label = f"{target['label']} @{where}{suffix}"
            goal = f"≥ {goal_share:.0%} of bare"
            if target.get("error"):
                rows.append(Row(label, target["error"], goal, "FAIL"))
            elif not target.get("url"):
                rows.append(Row(label, target["reason"], goal, "not available"))
            else:
                result = results[target["label"]]
                share = result["share"]
                errors = f", {result['errors']} errors" if result["errors"] else ""
                judged = "pass" if share >= goal_share and not result["errors"] else "FAIL"
                if target.get("reference"):
                    goal, judged = "(for reading: the most a page on the layout can reach)", "—"
                elif page_cache and not target.get("page_cached", True):
                    goal, judged = "(for reading: never page-cached, judged with the uncached pages)", "—"
                rows.append(Row(
                    f"{label} {target['url']}",
                    f"{result['rps']:.0f} req/s = {share:.0%} of {result['bare_rps']:.0f}{_spread(result)}{errors}",
                    goal, judged,
                ))
    return rows


def _shares(throughput, factor):
    _resolved, _baseline, _pages, _runs, results = throughput[factor]
    return {label: result["share"] for label, result in results.items()}


def _spread(result):
    """The rounds' shares behind a median share, when there were several."""
    shares = result.get("shares", ())
    if len(shares) < 2:
        return ""
    return f" (median of {len(shares)}: {min(shares):.0%}–{max(shares):.0%})"


def _scaling_rows(scales, uncached, pages):
    """Per page, the big city against 1×: uncached share of bare, queries and bytes."""
    (one, _), (big, _) = scales
    rows = []
    shares_one, shares_big = _shares(uncached, one), _shares(uncached, big)
    targets_one = {t["label"]: t for t in uncached[one][0]["targets"]}
    targets_big = {t["label"]: t for t in uncached[big][0]["targets"]}
    where = f"{scale_label(big)} vs {scale_label(one)}"
    for label in shares_one:
        if label not in shares_big or targets_one[label].get("reference"):
            continue
        ratio = shares_big[label] / shares_one[label]
        rows.append(Row(
            f"{label} uncached share {where}", f"{shares_big[label]:.0%} vs {shares_one[label]:.0%} (× {ratio:.2f})",
            f"within ±{SCALE_RATIO_TOLERANCE:.0%}", "pass" if abs(ratio - 1) <= SCALE_RATIO_TOLERANCE else "FAIL",
        ))
        first = pages[one].get(targets_one[label]["url"], {})
        second = pages[big].get(targets_big[label]["url"], {})
        if "queries" in first and "queries" in second:
            rows.append(Row(
                f"{label} queries {where}", f"{second['queries']} vs {first['queries']}",
                "not more", "pass" if second["queries"] <= first["queries"] else "FAIL",
            ))
            size = second["bytes"] / first["bytes"]
            rows.append(Row(
                f"{label} bytes {where}", f"{second['bytes']:,} vs {first['bytes']:,} (× {size:.2f})",
                f"≤ {SIZE_GOAL:g}×", "pass" if size <= SIZE_GOAL else "FAIL",
            ))
            rows.append(Row(
                f"{label} in-process uncached render {where}",
                f"{second['median_ms']:.1f} ms vs {first['median_ms']:.1f} ms (medians of {first['runs']})", "(for reading)", "—",
            ))
    return rows


def _saves_rows(scales, saves):
    rows = []
    for factor, _name in scales:
        for label, result in saves.get(factor, {}).items():
            share = result["busy"]["rps"] / result["quiet"]["rps"]
            errors = result["busy"]["errors"]
            rows.append(Row(
                f"{label} @{scale_label(factor)} under {SAVES_PER_SECOND} saves/s {result['url']}",
                f"{result['busy']['rps']:.0f} req/s = {share:.0%} of {result['quiet']['rps']:.0f} quiet "
                f"({result['saves']['saves']} saves in {result['saves']['seconds']} s"
                f"{f', {errors} errors' if errors else ''})",
                f"≥ {SAVES_GOAL:.0%} of quiet", "pass" if share >= SAVES_GOAL and not errors else "FAIL",
            ))
    return rows


def rows(scales, throughput, compliance, bench_import, *, uncached=None, pages=None, saves=None):
    rows = _share_rows(scales, throughput, THROUGHPUT_GOAL, "")
    if uncached:
        rows += _share_rows(scales, uncached, UNCACHED_GOAL, " uncached", page_cache=False)
        rows += _scaling_rows(scales, uncached, pages or {})
    if saves:
        rows += _saves_rows(scales, saves)
    (one, _), (four, _) = scales
    first, second = compliance[one], compliance[four]
    label = COMPLIANCE.label
    if not first.get("available") or not second.get("available"):
        reason = first.get("reason") or second.get("reason")
        for figure, goal in (
            (f"{label} uncached render @{scale_label(one)}", f"< {COMPLIANCE_MS_GOAL:.0f} ms"),
            (f"{label} queries {scale_label(one)} vs {scale_label(four)}", "equal"),
            (f"{label} render {scale_label(four)} ÷ {scale_label(one)}", f"≤ {SCALING_GOAL:g}"),
        ):
            rows.append(Row(figure, reason, goal, "not available"))
    elif first.get("error") or second.get("error"):
        rows.append(Row(label, first.get("error") or second.get("error"), "200", "FAIL"))
    else:
        rows.append(Row(
            f"{label} uncached render @{scale_label(one)}", f"{first['median_ms']:.1f} ms (median of {first['runs']}; fastest {first['min_ms']:.1f})",
            f"< {COMPLIANCE_MS_GOAL:.0f} ms", "pass" if first["median_ms"] < COMPLIANCE_MS_GOAL else "FAIL",
        ))
        rows.append(Row(
            f"{label} uncached render @{scale_label(four)}", f"{second['median_ms']:.1f} ms (median of {second['runs']}; fastest {second['min_ms']:.1f})",
            "(for the ratio)", "—",
        ))
        rows.append(Row(
            f"{label} queries {scale_label(one)} vs {scale_label(four)}", f"{first['queries']} vs {second['queries']}",
            "equal", "pass" if first["queries"] == second["queries"] else "FAIL",
        ))
        ratio = second["median_ms"] / first["median_ms"]
        allowed = four / one  # at most proportional to the data (≤ 4 at 4×)
        rows.append(Row(
            f"{label} render {scale_label(four)} ÷ {scale_label(one)}", f"{ratio:.2f}",
            f"≤ {allowed:g}", "pass" if ratio <= allowed else "FAIL",
        ))
    goal = f"≤ {SCALING_GOAL:g}"
    if bench_import is None:
        rows.append(Row("workbook import ÷ openpyxl read (manage.py bench_import)", "command not present yet", goal, "not available"))
    elif bench_import.get("error") or bench_import.get("ratio") is None:
        rows.append(Row(
            "workbook import ÷ openpyxl read (manage.py bench_import)",
            bench_import.get("error") or "no ratio in its output", goal, "FAIL",
        ))
    else:
        ratio = bench_import["ratio"]
        rows.append(Row(
            "workbook import ÷ openpyxl read (manage.py bench_import)", f"{ratio:.2f}", goal,
            "pass" if ratio <= SCALING_GOAL else "FAIL",
        ))
        rows += _province_import_rows(bench_import.get("province"), scales)
    return rows


#: Issue 20: a province-sized import into the big city costs at most this much more than into an empty database.
IMPORT_BIG_GOAL = 1.2
IMPORT_MEMORY_GOAL_MB = 500


def _province_import_rows(province, scales):
    """Issue 20's import figures from ``bench_import --rows 70000`` into an empty database and into the big city."""
    if not province:
        return []
    (_one, _), (big, _) = scales
    label = "workbook import, 70,000 rows"
    empty, at_big = province["empty"], province["big"]
    failed = next((run for run in (empty, at_big) if run.get("error") or not run.get("figures")), None)
    if failed is not None:
        return [Row(label, failed.get("error") or "no figures in its output", "runs", "FAIL")]
    rows = []
    for where, run in (("an empty database", empty), (f"the {scale_label(big)} city", at_big)):
        figures = run["figures"]
        ratio = max(figures["create"]["ratio"], figures["update"]["ratio"])
        rows.append(Row(
            f"{label} ÷ openpyxl read, into {where}",
            f"create {figures['create']['import']:.1f} s ÷ {figures['create']['read']:.1f} s = {figures['create']['ratio']:.2f}; "
            f"update {figures['update']['import']:.1f} s ÷ {figures['update']['read']:.1f} s = {figures['update']['ratio']:.2f}",
            f"≤ {SCALING_GOAL:g} (each)", "pass" if ratio <= SCALING_GOAL else "FAIL",
        ))
    peak = empty["figures"].get("peak_mb")
    rows.append(Row(f"{label}: peak memory of the import (tracemalloc)", f"{peak} MB",
                    f"< {IMPORT_MEMORY_GOAL_MB} MB", "pass" if peak is not None and peak < IMPORT_MEMORY_GOAL_MB else "FAIL"))
    times = {step: at_big["figures"][step]["import"] / empty["figures"][step]["import"] for step in ("create", "update")}
    rows.append(Row(
        f"{label}: into the {scale_label(big)} city ÷ into an empty database",
        f"create × {times['create']:.2f}, update × {times['update']:.2f}", f"≤ {IMPORT_BIG_GOAL:g} (each)",
        "pass" if max(times.values()) <= IMPORT_BIG_GOAL else "FAIL",
    ))
    return rows


def scale_rows(scales, scale):
    """Issue 20's figures: the board at each level (both scales), drill-downs, change forms and saves (big)."""
    (one, _), (big, _) = scales
    first, second = scale[one], scale[big]
    rows = []
    for label, at_big in second["pages"].items():
        at_one = first["pages"][label]
        where = f"{label} uncached"
        if label.startswith("board"):
            ratio = at_big["median_ms"] / at_one["median_ms"]
            passed = (max(at_big["median_ms"], at_one["median_ms"]) < BOARD_MS_GOAL and ratio <= BOARD_RATIO_GOAL
                      and at_big["queries"] == at_one["queries"])
            rows.append(Row(
                f"{where} {scale_label(big)} vs {scale_label(one)}",
                f"{at_big['median_ms']:.1f} ms vs {at_one['median_ms']:.1f} ms (× {ratio:.2f}); "
                f"{at_big['queries']} vs {at_one['queries']} queries; {at_big['kB']} kB",
                f"< {BOARD_MS_GOAL:.0f} ms, × ≤ {BOARD_RATIO_GOAL:g}, queries equal", "pass" if passed else "FAIL",
            ))
        else:
            rows.append(Row(
                f"{where} @{scale_label(big)}",
                f"{at_big['median_ms']:.1f} ms ({at_one['median_ms']:.1f} ms @{scale_label(one)}); "
                f"{at_big['queries']} queries",
                f"< {DRILL_MS_GOAL:.0f} ms", "pass" if at_big["median_ms"] < DRILL_MS_GOAL else "FAIL",
            ))
    for label, form in second["forms"].items():
        rows.append(Row(
            f"administrator's change form: {label} @{scale_label(big)}", f"{form['median_ms']:.1f} ms, {form['kB']} kB",
            f"< {FORM_MS_GOAL:.0f} ms", "pass" if form["median_ms"] < FORM_MS_GOAL and form["status"] == 200 else "FAIL",
        ))
    saves = second["saves"]
    if saves.get("error"):
        return [*rows, Row(f"save with kept figures @{scale_label(big)}", saves["error"], "", "FAIL")]
    for label, save in saves.items():
        rows.append(Row(
            f"save {label} @{scale_label(big)}: figures kept − not kept",
            f"{save['added_ms']:+.1f} ms ({save['kept_ms']:.1f} vs {save['not_kept_ms']:.1f} ms, medians of {save['runs']})",
            f"≤ {SAVE_ADDED_MS_GOAL:.0f} ms", "pass" if save["added_ms"] <= SAVE_ADDED_MS_GOAL else "FAIL",
        ))
    return rows
