"""Give a deployment made before cities existed its city (and its province when the code's prefix is known).

Districts without a parent are grouped by the first four digits of their code; each group gets its
city (named ``CITY_NAME`` when the deployment has one city) under its province, and every division
below gets the denormalised ``city``/``province``. City-wide reviewers become that city's reviewers
when there is one city. No record the indicators count is created or changed: no figure moves.
"""

from django.conf import settings
from django.db import migrations

from core.provinces import province_name


def forwards(apps, schema_editor):
    Division = apps.get_model("core", "Division")
    User = apps.get_model("core", "User")
    orphans = list(Division.objects.filter(level="district", parent__isnull=True))
    groups = {}
    for district in orphans:
        groups.setdefault(district.code[:4], []).append(district)
    for prefix, districts in sorted(groups.items()):
        province = None
        name = province_name(prefix)
        if name:
            province, _created = Division.objects.get_or_create(
                code=prefix[:2] + "0" * 10, defaults={"name": name, "level": "province", "kind": "province"},
            )
        city_name = settings.CITY_NAME if len(groups) == 1 else f"{prefix}00000000"
        city, _created = Division.objects.get_or_create(
            code=prefix + "0" * 8,
            defaults={"name": city_name, "level": "city", "kind": "city", "parent": province, "province": province},
        )
        ids = [district.pk for district in districts]
        Division.objects.filter(pk__in=ids).update(parent=city, city=city, province=province)
        Division.objects.filter(district_id__in=ids).update(city=city, province=province)
    cities = list(Division.objects.filter(level="city"))
    if len(cities) == 1:
        User.objects.filter(role="reviewer", division__isnull=True).update(division=cities[0])


def backwards(apps, schema_editor):
    Division = apps.get_model("core", "Division")
    User = apps.get_model("core", "User")
    User.objects.filter(role="reviewer", division__level="city").update(division=None)
    Division.objects.filter(level="district").update(parent=None)
    Division.objects.update(city=None, province=None)
    Division.objects.filter(level__in=["city", "province"]).delete()


class Migration(migrations.Migration):

    dependencies = [("core", "0005_division_levels")]

    operations = [migrations.RunPython(forwards, backwards)]
