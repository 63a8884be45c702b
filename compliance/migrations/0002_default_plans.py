"""Load the default plan of DOMAIN.md (in force on a fresh database) and the Suzhou variant."""

from decimal import Decimal

from django.db import migrations

JILIN = "吉林省“十四五”城乡社区服务体系建设规划（吉政办发〔2022〕18号，000）"
JIXI = "鸡西市“十四五”民政事业发展规划（001）"
SUZHOU = "苏州市推进基本公共服务均等化（004）"
NATIONAL = "国办发〔2021〕56号“十四五”城乡社区服务体系建设规划（000 转引）"

# code, comparator, figure, binding, source, clause
DEFAULT = [
    ("F1", ">=", "100", "expected", NATIONAL + "；" + JIXI, "城市社区综合服务设施实现全覆盖"),
    ("F2", ">=", "80", "expected", NATIONAL, "农村社区综合服务设施覆盖率达到80%"),
    ("F3", ">", "30", "expected", JIXI, "主要指标表第7行：每百户居民拥有的城乡社区综合服务设施面积 >30 平方米"),
    ("F4", ">=", "100", "expected", JILIN, "（十）居民活动区域占社区综合服务设施总面积的60%以上"),
    ("F5", ">=", "100", "expected", JILIN, "（十）开放时间每天不少于8小时，节假日全天开放"),
    ("F6", ">=", "80", "expected", JIXI, "主要指标表第10行：志愿服务站点在社区综合服务设施中的覆盖率 80%"),
    ("V1", ">=", "100", "expected", JILIN, "专栏4-3：每个村(社区)至少组建1支以党员为骨干的志愿者服务队"),
    ("S1", ">=", "3", "expected", JILIN, "（十五）平均每个城市社区获得“社工证书”的工作人员数至少3人以上"),
    ("S2", ">=", "100", "expected", JILIN, "专栏4-4：每个乡镇(街道)社会工作站至少拥有1名“社工”专业人才"),
    ("S3", ">=", "18", "expected", JIXI, "社区工作者段落：每万名城镇常住人口拥有社区工作者18人"),
    ("S4", ">=", "1000", "expected", JIXI, "主要指标表第9行：社会工作专业人才总量 1000 人"),
    ("E1", ">=", "55", "binding", JIXI, "主要指标表第16行：养老机构护理型床位占比 55%"),
    ("E2", ">=", "80", "expected", JIXI, "主要指标表第17行：城镇街道范围具备综合功能的养老服务机构覆盖率 80%"),
    ("E3", ">=", "60", "expected", JIXI, "主要指标表第18行：农村乡镇范围具备综合功能的养老服务机构覆盖率 60%"),
    ("E4", ">=", "100", "expected", JIXI + "；" + SUZHOU, "专栏6-02：实现城市社区日间照料机构全覆盖；004 表1"),
    ("E5", ">=", "100", "binding", JIXI + "；" + JILIN, "主要指标表第19行：特殊困难老年人月探访率 100%；000 专栏2-2"),
    ("E6", ">=", None, "expected", JIXI + "；" + SUZHOU, "001 基线：每千名老人拥有床位27张（不设目标）"),
    ("E7", ">=", "100", "expected", JIXI, "第二节：在中心城区构建“15分钟养老服务圈”（1000 米内）"),
    ("E8", ">=", "100", "binding", JIXI, "主要指标表第21行：县(市)公办养老机构覆盖率 100%"),
]
SUZHOU_CHANGES = {
    "E1": ("70", "binding", SUZHOU, "表1：护理型床位数占养老机构床位数比率 ≥70%"),
    "E6": ("50", "expected", SUZHOU, "表1：每千名老年人拥有养老床位数 50 张"),
    "E4": ("100", "expected", SUZHOU, "表1：城乡社区日间照料服务覆盖率 100%"),
}


def load(apps, schema_editor):
    Plan = apps.get_model("compliance", "Plan")
    Target = apps.get_model("compliance", "Target")
    default, _ = Plan.objects.update_or_create(
        name="“十四五”默认规划（鸡西）",
        defaults={"description": "DOMAIN.md 所列全部指标的默认目标（国家、吉林省、鸡西市规划）。",
                  "in_force": not Plan.objects.filter(in_force=True).exists()},
    )
    # 0003 (rules version 2) renames the Suzhou variant; reloaded after it (the browser tests empty the tables and
    # load both again), the renamed plan is kept rather than made twice.
    suzhou = Plan.objects.filter(name__startswith="苏州变体（").first()
    if suzhou is None:
        suzhou, _ = Plan.objects.update_or_create(
            name="苏州变体",
            defaults={"description": "同默认规划，护理型床位占比 ≥70%、每千名老年人养老床位 ≥50 张、日间照料覆盖 100%（苏州 004）。"},
        )
    for code, comparator, figure, binding, source, clause in DEFAULT:
        Target.objects.update_or_create(
            plan=default, indicator=code,
            defaults={"comparator": comparator, "figure": Decimal(figure) if figure else None,
                      "binding": binding, "source": source, "clause": clause},
        )
        if code in SUZHOU_CHANGES:
            figure, binding, source, clause = SUZHOU_CHANGES[code]
        Target.objects.update_or_create(
            plan=suzhou, indicator=code,
            defaults={"comparator": comparator, "figure": Decimal(figure) if figure else None,
                      "binding": binding, "source": source, "clause": clause},
        )


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
