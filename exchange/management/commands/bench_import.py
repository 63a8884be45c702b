"""``python manage.py bench_import [--rows 7000] [--keep]``: the import's speed next to openpyxl's own read.

Generates a valid city-scale workbook (``exchange.bench``) and a second one with the same codes and new
values. Each is imported the way an upload is, run once: the preview (read, check, plan — as the
background task does, with progress) and the confirm (the plan, through JSON as it is kept on disk,
applied). The first creates every record, the second updates most of them. Each is timed next to
openpyxl alone reading the same workbook (read-only mode, as the importer reads); the goal is ≤ 4× for
both. The peak memory (tracemalloc) is measured in a separate pass so that tracing does not slow the
timed one. Everything is rolled back unless ``--keep``.
"""

import io
import json
import resource
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from openpyxl import load_workbook

from core.models import Division
from exchange.bench import generate
from exchange.importer import import_workbook
from exchange.plan import apply_plan

GOAL = 4.0
MEMORY_GOAL_MB = 500


def read_with_openpyxl(data):
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()
        for row in worksheet.iter_rows(values_only=True):
            cells += len(row)
    workbook.close()
    return cells


class Progress:
    """What the background task's reporter sees, minus the cache: the last figures reported."""

    def __init__(self):
        self.calls, self.last = 0, None

    def __call__(self, done, total, force=False):
        self.calls += 1
        self.last = (done, total)


def upload_once(data, name):
    """Preview then confirm, as the upload does it: ``(result, preview seconds, confirm seconds, progress)``."""
    progress = Progress()
    started = time.perf_counter()
    preview = import_workbook(data, file_name=name, dry_run=True, progress=progress)
    if not preview.ok:
        raise CommandError("基准工作簿预览失败：\n" + "\n".join(preview.errors[:20]))
    kept = json.dumps(preview.plan, ensure_ascii=False, separators=(",", ":"))  # as exchange.pending keeps it
    previewed = time.perf_counter()
    result = apply_plan(json.loads(kept), file_name=name, sha256=preview.sha256, progress=progress)
    if not result.ok:
        raise CommandError("基准工作簿确认导入失败：\n" + "\n".join(result.errors[:20]))
    return result, previewed - started, time.perf_counter() - previewed, progress


class Command(BaseCommand):
    help = ("导入性能基准：生成全市规模工作簿，预览 + 确认（新增一遍、更新一遍），与 openpyxl 读取时间比较"
            "（目标 ≤ 4 倍），并报告内存峰值。")

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=7000, help="数据行数（所有工作表合计），默认 7000")
        parser.add_argument("--repeat", type=int, default=2, help="取最快的一次，默认 2")
        parser.add_argument("--keep", action="store_true", help="保留导入的数据（默认回滚）")
        parser.add_argument("--no-memory", action="store_true", help="不测内存峰值（省一遍）")
        parser.add_argument("--save", help="把生成的工作簿另存到该路径")

    def handle(self, *args, **options):
        created_data, rows = generate(options["rows"])
        updated_data, _rows = generate(options["rows"], seed=8)  # the same codes, new values
        if options["save"]:
            with open(options["save"], "wb") as handle:
                handle.write(created_data)
        best = {"read_create": [], "create": [], "read_update": [], "update": []}
        outcome = {}
        # Interleaved, best of ``repeat``: a busy machine slows both measurements alike.
        for attempt in range(max(1, options["repeat"])):
            keep = options["keep"] and attempt == options["repeat"] - 1
            with transaction.atomic():
                for step, data in (("create", created_data), ("update", updated_data)):
                    started = time.perf_counter()
                    read_with_openpyxl(data)
                    best[f"read_{step}"].append(time.perf_counter() - started)
                    result, preview, confirm, progress = upload_once(data, f"bench-{step}.xlsx")
                    best[step].append(preview + confirm)
                    outcome[step] = (result, preview, confirm, progress)
                    # As it goes: a long run on a busy machine shows what it has measured so far.
                    self.stdout.write(f"  第 {attempt + 1} 次 {step}: 读取 {best[f'read_{step}'][-1]:.3f} s，"
                                      f"预览 {preview:.3f} s，确认 {confirm:.3f} s")
                    self.stdout.flush()
                if not keep:
                    transaction.set_rollback(True)
        peak = None if options["no_memory"] else self.peak(created_data, updated_data)
        self.report(rows, len(created_data), best, outcome, peak)

    def peak(self, created_data, updated_data):
        with transaction.atomic():
            tracemalloc.start()
            upload_once(created_data, "bench-create.xlsx")
            upload_once(updated_data, "bench-update.xlsx")
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            transaction.set_rollback(True)
        return peak

    def report(self, rows, size, best, outcome, peak):
        write = self.stdout.write
        write(f"数据库: {connection.vendor}（已有区划 {Division.objects.count()} 个）")
        write(f"行数: {rows}（{size / 1024:.0f} KB）")
        figures = {"rows": rows, "vendor": connection.vendor}
        for step, label in (("create", "新增"), ("update", "更新")):
            read, full = min(best[f"read_{step}"]), min(best[step])
            result, preview, confirm, progress = outcome[step]
            counts = {name: sum(getattr(c, name) for c in result.sheets) for name in ("created", "updated", "unchanged")}
            write(f"{label}：openpyxl 只读读取 {read:.3f} s；预览 + 确认 {full:.3f} s（最后一次：预览 {preview:.3f} s，"
                  f"确认 {confirm:.3f} s）；新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}；"
                  f"进度报告 {progress.calls} 次")
            write(f"{label}倍数: {full / read:.2f}×（目标 ≤ {GOAL:.0f}×）{'达标' if full / read <= GOAL else '未达标'}")
            figures[step] = {"read": round(read, 3), "import": round(full, 3), "ratio": round(full / read, 2), **counts}
        ratio = max(figures["create"]["ratio"], figures["update"]["ratio"])
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if peak is not None:
            write(f"导入内存峰值（tracemalloc）: {peak / 1024 / 1024:.1f} MB（目标 < {MEMORY_GOAL_MB} MB）；"
                  f"进程最大常驻内存: {maxrss:.1f} MB")
        write(f"倍数: {ratio:.2f}×（新增、更新中较大者）")
        figures.update(ratio=ratio, peak_mb=None if peak is None else round(peak / 1024 / 1024, 1),
                       maxrss_mb=round(maxrss, 1))
        write(json.dumps(figures, ensure_ascii=False))
