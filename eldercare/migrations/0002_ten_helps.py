from django.db import migrations

TEN_HELPS = [
    "meals", "bathing", "medical", "cleaning", "emergency",
    "mobility", "shopping", "recreation", "companionship", "learning",
]


def load(apps, schema_editor):
    CareService = apps.get_model("eldercare", "CareService")
    for position, code in enumerate(TEN_HELPS):
        CareService.objects.update_or_create(code=code, defaults={"ordering": position})


class Migration(migrations.Migration):
    dependencies = [("eldercare", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
