from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance import months, timeline
from compliance.models import MonthRecord
from core.dates import last_full_month, parse_month


class Command(BaseCommand):
    help = "按历史记录补算并保存一段月份（含首尾）的指标值；没有数据的月份跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", help="起始月份 YYYY-MM")
        parser.add_argument("--to", dest="last", help="结束月份 YYYY-MM")
        parser.add_argument(
            "--missing", action="store_true",
            help="从最早有数据的月份到上一个完整月份，只补算还没有保存的月份（可重复运行）",
        )

    def handle(self, *args, first=None, last=None, missing=False, **options):
        if missing:
            start = timeline.first_data_month()
            if start is None:
                self.stdout.write("没有数据，无需补算。")
                return
            end = last_full_month(timezone.localdate())
            stored = set(MonthRecord.objects.values_list("month", flat=True))
            todo = [month for month in timeline.months_between(start, end) if month not in stored]
        else:
            if not (first and last):
                raise CommandError("请用 --from 和 --to 指定月份，或用 --missing。")
            try:
                start, end = parse_month(first), parse_month(last)
            except ValueError:
                raise CommandError("--from 和 --to 应为 YYYY-MM（如 2021-01）。") from None
            if start > end:
                raise CommandError("--from 不能晚于 --to。")
            todo = timeline.months_between(start, end)
        count = 0
        for done, month in enumerate(todo, start=1):
            count += months.record(month) is not None
            self.stdout.write(f"[{done}/{len(todo)}] {month:%Y-%m}")
        self.stdout.write(f"共保存 {count} 个月。")
