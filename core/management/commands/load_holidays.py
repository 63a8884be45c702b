from django.core.management.base import BaseCommand

from core.caching import invalidate_public
from core.holiday_calendar import known_years, load_calendar
from core.models import Holiday


class Command(BaseCommand):
    help = "从 chinesecalendar 软件包导入法定节假日和调休工作日；可重复运行，默认不覆盖已有（可能经人工修改的）日期。"

    def add_arguments(self, parser):
        parser.add_argument("--years", nargs="+", type=int, help="要导入的年份，如 --years 2025 2026；默认为软件包已知的全部年份")
        parser.add_argument("--overwrite", action="store_true", help="用软件包的数据覆盖已有日期的类型和名称")

    def handle(self, *args, years=None, overwrite=False, **options):
        available = known_years()
        if years:
            missing = sorted(set(years) - set(available))
            if missing:
                self.stdout.write(
                    self.style.WARNING(
                        f"软件包尚无 {'、'.join(map(str, missing))} 年的安排（已知 {available[0]}–{available[-1]} 年），"
                        "请在后台“节假日”中手工录入。"
                    )
                )
        result = load_calendar(Holiday, years or None, overwrite=overwrite)
        # Its new days are written with bulk_create (no signal): retire the calendar every process keeps
        # (core.reference) and the pages that show "open now" by it.
        invalidate_public()
        self.stdout.write(
            f"节假日：新增 {result['created']} 天，更新 {result['updated']} 天，保留 {result['kept']} 天。"
        )
