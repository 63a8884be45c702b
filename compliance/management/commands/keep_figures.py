from django.core.management.base import BaseCommand

from compliance import kept
from core.dates import last_full_month


class Command(BaseCommand):
    help = ("重算达标审查的指标汇总数（每个街道一行，保存后随数据同步更新），按上一个完整月份。"
            "每月初运行一次（例如 cron 每天运行 --if-stale）；未重算的月份按原始记录计算，结果相同，只是更慢。")

    def add_arguments(self, parser):
        parser.add_argument("--if-stale", action="store_true", help="已是上一个完整月份的汇总数时什么也不做")

    def handle(self, *args, if_stale=False, **options):
        month = last_full_month()
        if if_stale and kept.kept_month() == month:
            self.stdout.write(f"指标汇总数已是 {month:%Y-%m}，无需重算。")
            return
        rows = kept.rebuild(month)
        self.stdout.write(f"指标汇总数：{month:%Y-%m}，{rows} 个街道（或不属于街道的区划）。")
