from django.core.management.base import BaseCommand, CommandError

from compliance import months, timeline


class Command(BaseCommand):
    help = "按历史记录补算并保存一段月份（含首尾）的指标值；没有数据的月份跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="起始月份 YYYY-MM")
        parser.add_argument("--to", dest="last", required=True, help="结束月份 YYYY-MM")

    def handle(self, *args, first, last, **options):
        try:
            start, end = timeline.parse_month(first), timeline.parse_month(last)
        except ValueError:
            raise CommandError("--from 和 --to 应为 YYYY-MM（如 2021-01）。") from None
        if start > end:
            raise CommandError("--from 不能晚于 --to。")

        def say(done, total, month):
            self.stdout.write(f"[{done}/{total}] {month:%Y-%m}")

        stored = months.backfill(start, end, progress=say)
        self.stdout.write(f"共保存 {len(stored)} 个月。")
