"""Latitude and longitude both or neither (rules version 2), in the database.

A record with one coordinate alone was unlocated for E7 and the maps already; that lone value is cleared
first, so that the constraint can be added to a running deployment's data.
"""

from django.db import migrations, models
from django.db.models import Q


def clear_lone_coordinates(apps, schema_editor):
    model = apps.get_model("eldercare", "Facility")
    lone = Q(latitude__isnull=True, longitude__isnull=False) | Q(latitude__isnull=False, longitude__isnull=True)
    model.objects.filter(lone).update(latitude=None, longitude=None)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_location_pair'),
        ('eldercare', '0008_elder_categories'),
    ]

    operations = [
        migrations.RunPython(clear_lone_coordinates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='facility',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('latitude__isnull', True), ('longitude__isnull', True)), models.Q(('latitude__isnull', False), ('longitude__isnull', False)), _connector='OR'), name='eldercare_facility_location_pair', violation_error_message='纬度和经度须同时填写或同时留空：只有一个坐标无法定位。'),
        ),
    ]
