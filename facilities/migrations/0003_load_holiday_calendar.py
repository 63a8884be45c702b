"""Seed core.Holiday from the chinesecalendar package, so a fresh database knows the holidays."""

from django.conf import settings
from django.db import migrations


def load(apps, schema_editor):
    if not getattr(settings, "LOAD_HOLIDAYS_ON_MIGRATE", True):
        return
    from core.holiday_calendar import load_calendar

    load_calendar(apps.get_model("core", "Holiday"))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("facilities", "0002_constraint_messages"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
