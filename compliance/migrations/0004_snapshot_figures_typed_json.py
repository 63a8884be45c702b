"""Snapshots store typed figures: ``{"value": "52.00" | null, "target": "100" | null, "passed": bool | null}``
instead of the export's CSV texts ``["52.00", "100", "1"]`` ("" for none; "1"/"0"/"" for pass/fail)."""

from django.db import migrations

PASSED = {"1": True, "0": False, "": None}
PASSED_TEXT = {True: "1", False: "0", None: ""}


def _typed(figure):
    if isinstance(figure, dict):
        return figure
    value, target, passed = figure
    return {"value": value or None, "target": target or None, "passed": PASSED[passed]}


def _texts(figure):
    if isinstance(figure, list):
        return figure
    return [figure["value"] or "", figure["target"] or "", PASSED_TEXT[figure["passed"]]]


def _convert(apps, convert):
    Snapshot = apps.get_model("compliance", "Snapshot")
    for snapshot in Snapshot.objects.all():
        snapshot.data = {
            code: {division: convert(figure) for division, figure in divisions.items()}
            for code, divisions in snapshot.data.items()
        }
        snapshot.save(update_fields=["data"])


def forwards(apps, schema_editor):
    _convert(apps, _typed)


def backwards(apps, schema_editor):
    _convert(apps, _texts)


class Migration(migrations.Migration):
    dependencies = [("compliance", "0003_timeline")]
    operations = [migrations.RunPython(forwards, backwards)]
