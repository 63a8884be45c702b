from django.core.management.base import BaseCommand, CommandError

from compliance import months, selectors, timeline
from compliance.exports import write_csv
from compliance.kinds import Context
from compliance.models import MonthRecord
from core.dates import last_full_month, parse_month
from core.models import Division, Level


class Command(BaseCommand):
    help = (
        "按 DOMAIN.md 输出达标情况 CSV（indicator,division,value,target,passed）到标准输出。"
        "ALL 行是本平台的全部区域（所有单位和数值合并计算，不是下级的平均数）；其后每个下级区划一行："
        "只有一个市的平台为各区县（与 DOMAIN.md 相同），一个省的平台为各市州。"
        "--division 输出某个省、市州或区县：第一行为该区划本身（division 为其代码），其后为其各下级区划。"
        "每个区划按其适用的规划判断（下级区划有自己的规划时按自己的规划）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="特殊困难老年人探访率（E5）的统计月份，格式 YYYY-MM；默认上一个完整月份")
        parser.add_argument(
            "--division", metavar="CODE",
            help="只输出该省、市州或区县（12 位区划代码）及其下级区划；不加时为 ALL（平台全部区域）及其下级区划",
        )
        parser.add_argument(
            "--as-of", action="store_true", dest="as_of",
            help="全部指标按该月月末的记录计算（已保存的月度数据优先，否则按历史记录计算）；不加时为当前记录",
        )

    def handle(self, *args, month=None, as_of=False, division=None, **options):
        if month:
            try:
                first = parse_month(month)
            except ValueError:
                raise CommandError(f"--month 应为 YYYY-MM（如 2025-06），“{month}”不是。") from None
        else:
            first = last_full_month()
        if division is not None:
            if as_of:
                raise CommandError("--division 暂不能与 --as-of 同时使用。")
            write_csv(self.division_board(division, Context(month=first)), self.stdout, whole=division)
            return
        _plan, targets = selectors.plan_in_force()
        if not as_of:
            write_csv(selectors.city_board(ctx=Context(month=first)), self.stdout)
            return
        stored = MonthRecord.objects.filter(month=first).first()
        if stored is not None:
            write_csv(months.stored_rows(stored), self.stdout)
        else:
            write_csv(timeline.evaluate(month=first, targets=targets, parts=selectors.districts()), self.stdout)

    def division_board(self, code, ctx):
        found = Division.objects.filter(
            code=code, level__in=[Level.PROVINCE, Level.CITY, Level.DISTRICT]
        ).first()
        if found is None:
            raise CommandError(f"--division {code}：没有这个省、市州或区县（应为 12 位区划代码）。")
        parts = selectors.children_of(found)
        return selectors.level_board(ctx=ctx, within=found, parts=parts, judging=selectors.judging_for(found, parts))
