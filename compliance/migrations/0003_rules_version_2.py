"""Rules version 2 (DOMAIN.md, 2026-12): targets read from the plans as they are written.

- F2 is 100, not 80: 《鸡西市“十四五”民政事业发展规划》第二节 “到2025年，全市城乡社区综合服务设施实现全覆盖” (城乡);
  80 came from no seed.
- S2 is the plan's average, “人/站” ≥ 1, not a share of stations ≥ 100 %.
- Sources cite each document by its title, not by the seed's file number.
- The Suzhou variant says that its targets are the 2017–2020 consultation draft's.

Each change goes through the history tables with its reason, so that a running deployment's bureau sees the
old value, the new one and why (admin → 目标 → 历史). A target the bureau has already edited away from the
shipped value is left as the bureau set it.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

OLD_JILIN = "吉林省“十四五”城乡社区服务体系建设规划（吉政办发〔2022〕18号，000）"
OLD_JIXI = "鸡西市“十四五”民政事业发展规划（001）"
OLD_SUZHOU = "苏州市推进基本公共服务均等化（004）"
OLD_NATIONAL = "国办发〔2021〕56号“十四五”城乡社区服务体系建设规划（000 转引）"

NATIONAL = "国务院办公厅《“十四五”城乡社区服务体系建设规划》（国办发〔2021〕56号）"
JILIN = "《吉林省“十四五”城乡社区服务体系建设规划》（吉政办发〔2022〕18号）"
JIXI = "《鸡西市“十四五”民政事业发展规划》"
SUZHOU = "《苏州市推进基本公共服务均等化行动计划（2017~2020年）（征求意见稿）》"
TITLES = ((OLD_NATIONAL, NATIONAL), (OLD_JILIN, JILIN), (OLD_JIXI, JIXI), (OLD_SUZHOU, SUZHOU))

OLD_SUZHOU_PLAN = "苏州变体"
SUZHOU_PLAN = "苏州变体（2017~2020年行动计划征求意见稿的目标）"
SUZHOU_DESCRIPTION = (
    "同默认规划，另按苏州 2017~2020 年行动计划（征求意见稿）的 2020 年目标：护理型床位占比 ≥70%、"
    "每千名老年人养老床位 ≥50 张、日间照料覆盖 100%。这些是“十三五”时期征求意见稿的目标，不是“十四五”规划。"
)

# indicator: (shipped figure, new figure, new source or None, new clause, reason ≤ 100 characters)
CHANGES = {
    "F2": (
        "80", "100", JIXI, "第二节：到2025年，全市城乡社区综合服务设施实现全覆盖",
        "规则第2版：鸡西规划第二节要求城乡社区综合服务设施全覆盖，目标应为100%；原80%无规划依据",
    ),
    "S2": (
        "100", "1", JILIN, "专栏4-4：实现平均每个乡镇(街道)社会工作站至少拥有1名“社工”专业人才（平均数，人/站）",
        "规则第2版：吉林规划专栏4-4是平均每站至少1名（人/站），不是逐站达标率100%",
    ),
}
CLAUSES = {
    "S4": "主要指标表第9行：社会工作专业人才总量 1000 人（本门户统计其中持证的部分）",
    "E7": "第二节：在中心城区构建“15分钟养老服务圈”（1000 米是本门户的可度量形式，不是规划中的数字）",
}
SOURCE_REASON = "规则第2版：来源写明文件全称和条款"


def _titled(source):
    for old, new in TITLES:
        source = source.replace(old, new)
    return source


def _record(Historical, obj, fields, history_type, reason, when):
    Historical.objects.create(
        id=obj.pk, history_date=when, history_type=history_type, history_change_reason=reason,
        **{name: getattr(obj, name) for name in fields},
    )


def load(apps, schema_editor):
    Plan = apps.get_model("compliance", "Plan")
    Target = apps.get_model("compliance", "Target")
    HistoricalPlan = apps.get_model("compliance", "HistoricalPlan")
    HistoricalTarget = apps.get_model("compliance", "HistoricalTarget")
    target_fields = ["plan_id", "indicator", "comparator", "figure", "binding", "source", "clause"]
    plan_fields = ["name", "description", "in_force"]
    now = timezone.now()

    for plan in Plan.objects.filter(name=OLD_SUZHOU_PLAN):
        if not HistoricalPlan.objects.filter(id=plan.pk).exists():
            _record(HistoricalPlan, plan, plan_fields, "+", "规则第2版前的记录", now)
        plan.name, plan.description = SUZHOU_PLAN, SUZHOU_DESCRIPTION
        plan.save(update_fields=["name", "description"])
        _record(HistoricalPlan, plan, plan_fields, "~", "规则第2版：注明苏州目标出自2017~2020年行动计划征求意见稿", now)

    for target in Target.objects.order_by("pk"):
        reasons = []
        change = CHANGES.get(target.indicator)
        if change and target.figure == Decimal(change[0]):
            _old, figure, source, clause, reason = change
            target.figure, target.clause = Decimal(figure), clause
            target.source = source
            reasons.append(reason)
        elif target.indicator in CLAUSES and target.clause != CLAUSES[target.indicator]:
            target.clause = CLAUSES[target.indicator]
            reasons.append(SOURCE_REASON)
        titled = _titled(target.source)
        if titled != target.source:
            target.source = titled
            reasons.append(SOURCE_REASON)
        if not reasons:
            continue
        if not HistoricalTarget.objects.filter(id=target.pk).exists():
            # Loaded by 0002 without a history row: keep the old value visible before the change.
            before = Target.objects.get(pk=target.pk)
            _record(HistoricalTarget, before, target_fields, "+", "规则第2版前的记录", now)
        target.save()
        _record(HistoricalTarget, target, target_fields, "~", reasons[0][:100], now)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0002_default_plans")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
