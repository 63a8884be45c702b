"""The official calendar, seeded from the chinesecalendar package into core.Holiday."""

import importlib
from datetime import date
from io import StringIO

from django.apps import apps
from django.core.management import call_command

from core.holiday_calendar import known_years
from core.models import Holiday


def load(*years, overwrite=False):
    out = StringIO()
    args = ["load_holidays"]
    if years:
        args += ["--years", *map(str, years)]
    if overwrite:
        args.append("--overwrite")
    call_command(*args, stdout=out)
    return out.getvalue()


def test_loads_holidays_and_make_up_days_with_chinese_names(db):
    load(2025)
    national_day = Holiday.objects.get(date=date(2025, 10, 1))
    assert (national_day.kind, national_day.name) == (Holiday.DayKind.HOLIDAY, "国庆节")
    make_up = Holiday.objects.get(date=date(2025, 9, 28))
    assert (make_up.kind, make_up.name) == (Holiday.DayKind.WORKDAY, "国庆节调休")
    assert not Holiday.objects.filter(date=date(2025, 6, 9)).exists()  # an ordinary Monday
    assert not Holiday.objects.exclude(date__year=2025).exists()


def test_loading_twice_changes_nothing(db):
    load(2025, 2026)
    count = Holiday.objects.count()
    assert "新增 0 天" in load(2025, 2026)
    assert Holiday.objects.count() == count > 0


def test_a_day_the_bureau_corrected_is_kept_unless_overwrite(db):
    load(2025)
    Holiday.objects.filter(date=date(2025, 10, 1)).update(name="国庆节（本市）")
    load(2025)
    assert Holiday.objects.get(date=date(2025, 10, 1)).name == "国庆节（本市）"
    load(2025, overwrite=True)
    assert Holiday.objects.get(date=date(2025, 10, 1)).name == "国庆节"


def test_a_year_the_package_does_not_know_is_reported(db):
    unknown = known_years()[-1] + 1
    assert f"软件包尚无 {unknown} 年的安排" in load(unknown)


def test_the_data_migration_loads_every_known_year(db, settings):
    migration = importlib.import_module("facilities.migrations.0003_load_holiday_calendar")
    settings.LOAD_HOLIDAYS_ON_MIGRATE = True
    migration.load(apps, None)
    years = set(Holiday.objects.dates("date", "year").values_list("date__year", flat=True))
    assert {2024, 2025, 2026} <= years
    assert min(years) == known_years()[0]


def test_the_data_migration_is_off_under_test_settings(db):
    migration = importlib.import_module("facilities.migrations.0003_load_holiday_calendar")
    migration.load(apps, None)
    assert not Holiday.objects.exists()


def test_loaded_days_count_at_once_in_the_calendar_each_process_keeps(db):
    from core.opening import special_day

    Holiday.objects.all().delete()
    assert special_day(date(2025, 10, 1)) is None  # the process now keeps a calendar without it (core.reference)
    load(2025)  # bulk_create: no signal; the command retires what the processes keep
    assert special_day(date(2025, 10, 1)).name == "国庆节"
