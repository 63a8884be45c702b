from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from compliance import months
from compliance.models import MonthRecord
from core.dates import last_full_month, parse_month


class Command(BaseCommand):
    help = "月末任务：保存上一个完整月份（或 --month 指定月份）全市、各区县、各街道的指标值（按月末记录计算）。"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="要保存的月份，格式 YYYY-MM；默认上一个完整月份")

    def handle(self, *args, month=None, **options):
        try:
            chosen = parse_month(month) if month else last_full_month(timezone.localdate())
        except ValueError:
            raise CommandError(f"--month 应为 YYYY-MM（如 2025-06），“{month}”不是。") from None
        stored = months.record(chosen, source=MonthRecord.Source.MONTH_END)
        if stored is None:
            raise CommandError(f"{chosen:%Y-%m} 没有数据（早于最早的记录或尚未到来）。")
        self.stdout.write(f"已保存 {chosen:%Y-%m}：{stored.figures.count()} 个指标值（规则版本 {stored.rules_version}）。")
