from django.db import migrations

RULES = [
    ("population_60plus", "60岁以上人口不超过常住人口", "error"),
    ("households", "户数不超过常住人口", "error"),
    ("nursing_beds", "护理型床位不超过床位", "error"),
    ("visit_date", "探访日期不晚于今天，不早于老人登记日期", "error"),
    ("certificate_dates", "证书取得日期不晚于今天，登记有效期晚于取得日期", "error"),
    ("date_before_1900", "日期不早于 1900 年（Excel 日期序号误填）", "error"),
    ("centre_area_outlier", "每百户设施面积远离全市分布", "warning"),
    ("beds_outlier", "每千名老年人床位数远离全市分布", "warning"),
]


def seed(apps, schema_editor):
    rule = apps.get_model("reporting", "ValidationRule")
    for code, name, severity in RULES:
        rule.objects.get_or_create(code=code, defaults={"name": name, "severity": severity})


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
