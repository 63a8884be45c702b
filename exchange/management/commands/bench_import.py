"""``python manage.py bench_import [--rows 7000] [--keep]``: the import's speed next to openpyxl's own read.

Generates a valid city-scale workbook, times openpyxl alone reading every cell
(read-only mode, as the importer reads), then the full import (validation and
writes with history) in a transaction that is rolled back unless ``--keep``.
Reports the ratio (goal ≤ 4×) and the peak memory of the import (tracemalloc,
measured in a separate run so that tracing does not slow the timed one).
"""

import io
import resource
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from openpyxl import load_workbook

from exchange.bench import generate
from exchange.importer import import_workbook

GOAL = 4.0


def read_with_openpyxl(data):
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for worksheet in workbook.worksheets:
        worksheet.reset_dimensions()
        for row in worksheet.iter_rows(values_only=True):
            cells += len(row)
    workbook.close()
    return cells


class Command(BaseCommand):
    help = "导入性能基准：生成全市规模工作簿，比较 openpyxl 读取时间与完整导入时间（目标 ≤ 4 倍），并报告内存峰值。"

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=7000, help="数据行数（所有工作表合计），默认 7000")
        parser.add_argument("--repeat", type=int, default=3, help="取最快的一次，默认 3")
        parser.add_argument("--keep", action="store_true", help="保留导入的数据（默认回滚）")
        parser.add_argument("--save", help="把生成的工作簿另存到该路径")

    def handle(self, *args, **options):
        data, rows = generate(options["rows"])
        if options["save"]:
            with open(options["save"], "wb") as handle:
                handle.write(data)
        repeat = max(1, options["repeat"])
        read_times, import_times = [], []
        # Interleaved, best of ``repeat``: a busy machine slows both measurements alike.
        for attempt in range(repeat):
            started = time.perf_counter()
            read_with_openpyxl(data)
            read_times.append(time.perf_counter() - started)
            keep = options["keep"] and attempt == repeat - 1
            with transaction.atomic():
                started = time.perf_counter()
                result = import_workbook(data, file_name="bench.xlsx")
                import_times.append(time.perf_counter() - started)
                if not result.ok:
                    raise CommandError("基准工作簿导入失败：\n" + "\n".join(result.errors[:20]))
                if not keep:
                    transaction.set_rollback(True)
        with transaction.atomic():
            tracemalloc.start()
            import_workbook(data, file_name="bench.xlsx")
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            transaction.set_rollback(True)
        read, full = min(read_times), min(import_times)
        ratio = full / read
        maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.stdout.write(f"数据库: {connection.vendor}")
        self.stdout.write(f"行数: {rows}（{len(data) / 1024:.0f} KB）")
        self.stdout.write(f"openpyxl 只读读取: {read:.3f} s")
        self.stdout.write(f"完整导入（校验 + 写入 + 历史记录）: {full:.3f} s")
        self.stdout.write(f"倍数: {ratio:.2f}×（目标 ≤ {GOAL:.0f}×）{'达标' if ratio <= GOAL else '未达标'}")
        self.stdout.write(f"导入内存峰值（tracemalloc）: {peak / 1024 / 1024:.1f} MB；进程最大常驻内存: {maxrss_kb / 1024:.1f} MB")
        for counts in result.sheets:
            self.stdout.write(f"  {counts.name}: 新增 {counts.created}，更新 {counts.updated}，未变 {counts.unchanged}")
