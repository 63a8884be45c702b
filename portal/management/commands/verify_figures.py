from django.core.management.base import BaseCommand

from core import kept_figures


class Command(BaseCommand):
    help = "核对数据库维护的汇总数（如首页的街道汇总数）：从原始记录重新计算，列出每一处不一致；有不一致时退出码为 1。"

    def handle(self, *args, **options):
        found = kept_figures.differences()
        for name, messages in found.items():
            self.stdout.write(f"{name}：{len(messages)} 处不一致")
            for message in messages:
                self.stdout.write(f"  {message}")
        if found:
            raise SystemExit(1)
        self.stdout.write(f"已核对 {len(kept_figures.CHECKS)} 类汇总数，全部一致。")
