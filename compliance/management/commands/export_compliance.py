from django.core.management.base import BaseCommand, CommandError

from compliance import months, selectors, timeline
from compliance.exports import write_csv
from compliance.kinds import Context
from compliance.models import MonthRecord
from core.dates import last_full_month, parse_month


class Command(BaseCommand):
    help = "按 DOMAIN.md 输出达标情况 CSV（indicator,division,value,target,passed）到标准输出。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="特殊困难老年人探访率（E5）的统计月份，格式 YYYY-MM；默认上一个完整月份")
        parser.add_argument(
            "--as-of", action="store_true", dest="as_of",
            help="全部指标按该月月末的记录计算（已保存的月度数据优先，否则按历史记录计算）；不加时为当前记录",
        )

    def handle(self, *args, month=None, as_of=False, **options):
        if month:
            try:
                first = parse_month(month)
            except ValueError:
                raise CommandError(f"--month 应为 YYYY-MM（如 2025-06），“{month}”不是。") from None
        else:
            first = last_full_month()
        _plan, targets = selectors.plan_in_force()
        if not as_of:
            write_csv(selectors.city_board(ctx=Context(month=first), targets=targets), self.stdout)
            return
        stored = MonthRecord.objects.filter(month=first).first()
        if stored is not None:
            write_csv(months.stored_rows(stored), self.stdout)
        else:
            write_csv(timeline.evaluate(month=first, targets=targets, parts=selectors.districts()), self.stdout)
