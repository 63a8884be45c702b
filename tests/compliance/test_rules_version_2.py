"""Rules version 2 (DOMAIN.md 2026-12) reaches a database migrated before it as it reaches a fresh one."""

import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from compliance.models import Plan, Target

pytestmark = pytest.mark.django_db

rules_v2 = importlib.import_module("compliance.migrations.0003_rules_version_2")


def run_the_migration():
    """The data step of 0003 with historical models (no simple-history signals), of today's schema: the
    tables here have every later migration's columns too, which the models of 0003's own state would not fill."""
    rules_v2.load(MigrationLoader(connection).project_state().apps, None)


def _targets():
    return {
        (target.plan.name, target.indicator): (target.comparator, target.figure, target.binding, target.source,
                                               target.clause)
        for target in Target.objects.select_related("plan")
    }


def test_a_database_migrated_before_version_2_ends_with_the_fresh_plan_and_the_history_of_the_change():
    fresh = _targets()
    assert fresh[("“十四五”默认规划（鸡西）", "F2")][1] == 100
    assert fresh[("“十四五”默认规划（鸡西）", "S2")][1] == 1
    assert all("（001）" not in source and "（000）" not in source for _c, _f, _b, source, _cl in fresh.values())
    # The state 0002 left on a deployment: F2 80, S2 100, sources by seed file number, the old Suzhou name.
    Target.history.all().delete()
    Plan.history.all().delete()
    Plan.objects.filter(name=rules_v2.SUZHOU_PLAN).update(name=rules_v2.OLD_SUZHOU_PLAN)
    Target.objects.filter(indicator="F2").update(figure=Decimal("80"))
    Target.objects.filter(indicator="S2").update(figure=Decimal("100"))
    for new, old in ((rules_v2.JIXI, rules_v2.OLD_JIXI), (rules_v2.JILIN, rules_v2.OLD_JILIN)):
        for target in Target.objects.filter(source__contains=new):
            Target.objects.filter(pk=target.pk).update(source=target.source.replace(new, old))

    run_the_migration()

    assert _targets() == fresh
    default_f2 = Target.objects.get(plan__in_force=True, indicator="F2")
    old, new = default_f2.history.order_by("history_id")
    assert (old.figure, new.figure) == (80, 100)
    assert "80%无规划依据" in new.history_change_reason
    assert Plan.objects.get(name__startswith="苏州变体").history.count() == 2


def test_a_target_the_bureau_already_changed_is_left_as_the_bureau_set_it():
    Target.objects.filter(indicator="F2").update(figure=Decimal("90"))
    run_the_migration()
    assert set(Target.objects.filter(indicator="F2").values_list("figure", flat=True)) == {90}
