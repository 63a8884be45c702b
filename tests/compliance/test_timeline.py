"""The as-of rule at its edges: figures as the records stood at the end of a month, from the audit history."""

from datetime import date, datetime, time

import pytest
from django.apps import apps
from django.utils import timezone

from compliance import selectors, timeline
from compliance.timeline import TRACKED

JAN, FEB, MAR = date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)


def at(day, hour=0, minute=0, second=0, micro=0):
    """An aware instant in the portal's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute, second, micro)))


def backdate(when):
    """Every history row written so far dated ``when`` (the city existed from then on)."""
    for label in TRACKED:
        apps.get_model(label).history.model.objects.update(history_date=when)


def save_at(obj, when):
    obj._history_date = when
    obj.save()


def delete_at(obj, when):
    obj._history_date = when
    obj.delete()


def figure(month, code, division=None):
    _plan, targets = selectors.plan_in_force()
    rows = timeline.evaluate(month=month, targets=targets, parts=selectors.districts(), codes=[code])
    row = rows[0]
    if division is None:
        return row.total
    return next(result for result in row.parts if result.division == division)


@pytest.fixture
def dated_city(city):
    backdate(at(date(2023, 12, 1)))
    return city


def test_a_change_on_the_first_day_of_a_month_counts_from_that_month(dated_city, make_centre):
    centre = make_centre(dated_city["community_c"], status="construction")
    backdate(at(date(2023, 12, 1)))
    centre.status = "operating"
    save_at(centre, at(MAR))  # 2024-03-01 00:00 Shanghai
    assert figure(FEB, "F1", dated_city["district2"]).value == 0
    assert figure(MAR, "F1", dated_city["district2"]).value == 100


def test_a_change_on_the_last_day_of_a_month_counts_for_that_month(dated_city, make_centre):
    centre = make_centre(dated_city["community_c"], status="construction")
    backdate(at(date(2023, 12, 1)))
    centre.status = "operating"
    save_at(centre, at(date(2024, 2, 29), 23, 59, 59, 999999))
    assert figure(JAN, "F1", dated_city["district2"]).value == 0
    assert figure(FEB, "F1", dated_city["district2"]).value == 100


def test_a_change_mid_month_shows_the_old_value_the_month_before(dated_city, make_centre):
    centre = make_centre(dated_city["community_c"], total="500", activity="100")  # F4 fails: 20 %
    backdate(at(date(2023, 12, 1)))
    centre.activity_area = 400
    save_at(centre, at(date(2024, 3, 15), 10))
    assert figure(FEB, "F4").value == 0
    assert figure(MAR, "F4").value == 100


def test_a_record_created_and_closed_within_a_month_never_counts(dated_city, make_centre):
    from facilities.models import Centre

    centre = Centre(
        code="C-X", name="临时中心", community=dated_city["community_c"], address="某路", total_area=500,
        activity_area=300, status="operating",
    )
    save_at(centre, at(date(2024, 2, 3)))
    centre.status = "closed"
    save_at(centre, at(date(2024, 2, 20)))
    assert figure(JAN, "F1", dated_city["district2"]).value == 0
    assert figure(FEB, "F1", dated_city["district2"]).value == 0


def test_a_deleted_record_counts_until_its_deletion(dated_city, make_centre):
    centre = make_centre(dated_city["community_c"])
    backdate(at(date(2023, 12, 1)))
    delete_at(centre, at(date(2024, 3, 10)))
    assert figure(FEB, "F1", dated_city["district2"]).value == 100
    assert figure(MAR, "F1", dated_city["district2"]).value == 0


def test_a_record_created_later_did_not_exist(dated_city, make_centre):
    make_centre(dated_city["community_c"])  # created today
    assert figure(FEB, "F1", dated_city["district2"]).value == 0
    assert figure(timezone.localdate().replace(day=1), "F1", dated_city["district2"]).value == 100


def test_e5_counts_visits_dated_in_the_month_as_recorded_by_its_end(dated_city, make_elder):
    from eldercare.models import Visit

    elder = make_elder(dated_city["community_c"])
    backdate(at(date(2023, 12, 1)))
    visit = Visit(elder=elder, visited_on=date(2024, 2, 29), visitor="张三", method=Visit.Method.PHONE)
    save_at(visit, at(date(2024, 2, 29), 18))
    late = Visit(elder=elder, visited_on=date(2024, 1, 31), visitor="李四", method=Visit.Method.IN_PERSON)
    save_at(late, at(date(2024, 2, 2)))  # a January visit entered in February
    assert figure(FEB, "E5").value == 100
    assert figure(JAN, "E5").value == 0
    assert figure(MAR, "E5").value == 0


def test_months_before_the_first_data_and_future_months_have_no_data(dated_city, make_centre, make_worker):
    make_worker(dated_city["community_a"])
    backdate(at(date(2023, 12, 1)))
    for month in (date(2021, 1, 1), date(2023, 11, 1), date(2099, 5, 1)):
        for code in ("F1", "S4", "E5"):
            result = figure(month, code)
            assert result.value is None and result.rounded is None and result.passed is None
    assert figure(date(2023, 12, 1), "S4").value == 1


def test_the_live_tables_are_back_after_an_as_of_block(dated_city, make_centre):
    make_centre(dated_city["community_c"])
    with timeline.as_of(FEB):
        from facilities.models import Centre

        assert not Centre.objects.exists()
    assert Centre.objects.count() == 1


def test_an_error_inside_an_as_of_block_leaves_the_live_tables(dated_city, make_centre):
    from facilities.models import Centre

    make_centre(dated_city["community_c"])
    with pytest.raises(ZeroDivisionError), timeline.as_of(FEB):
        _ = 1 / 0
    assert Centre.objects.count() == 1


# -- stored months -------------------------------------------------------------------------------


@pytest.fixture
def history_city(dated_city, make_centre, make_worker, make_elder, make_facility):
    """A city whose records changed over the first months of 2024."""
    from eldercare.models import FacilityKind, Visit

    centre = make_centre(dated_city["community_a"], total="333.33", activity="100")
    make_centre(dated_city["village"], total="120.5", activity="80")
    worker = make_worker(dated_city["community_a"])
    make_worker(dated_city["street_a"], role="station")
    elder = make_elder(dated_city["community_c"])
    make_facility(dated_city["street_a"], FacilityKind.INSTITUTION, beds=40, nursing_beds=23)
    backdate(at(date(2023, 12, 1)))
    centre.activity_area = 250
    save_at(centre, at(date(2024, 2, 10)))
    worker.on_duty = False
    save_at(worker, at(date(2024, 3, 1)))
    save_at(Visit(elder=elder, visited_on=date(2024, 1, 5), visitor="张三"), at(date(2024, 1, 5)))
    return dated_city


def test_stored_month_figures_equal_a_fresh_computation_from_history(history_city):
    from compliance import months
    from compliance.models import Level, MonthFigure

    _plan, targets = selectors.plan_in_force()
    for month in (JAN, FEB, MAR):
        stored = months.record(month)
        assert stored.rules_version == timeline.RULES_VERSION and stored.plan_name
        district_rows, street_rows = months.compute(month, targets=targets)
        fresh = {}
        for row in district_rows:
            fresh[(row.indicator.code, "ALL")] = row.total
            fresh.update({(row.indicator.code, part.division.code): part for part in row.parts})
        for row in street_rows:
            fresh.update({(row.indicator.code, part.division.code): part for part in row.parts})
        figures = list(MonthFigure.objects.filter(record=stored))
        assert len(figures) == len([key for key in fresh if key[0] != "S4" or key[1] == "ALL"])
        for figure in figures:
            result = fresh[(figure.indicator, figure.division_code)]
            assert months.value_of(figure) == result.value, figure.indicator
            assert figure.value == result.rounded and figure.passed == result.passed
        assert {figure.level for figure in figures} == {Level.CITY, Level.DISTRICT, Level.STREET}


def test_a_month_without_data_is_not_stored(history_city):
    from compliance import months
    from compliance.models import MonthRecord

    assert months.record(date(2021, 1, 1)) is None
    assert months.record(date(2099, 1, 1)) is None
    assert not MonthRecord.objects.exists()


def test_export_as_of_gives_the_same_csv_stored_or_computed(history_city):
    from io import StringIO

    from django.core.management import call_command

    def export(*args):
        out = StringIO()
        call_command("export_compliance", *args, stdout=out)
        return out.getvalue()

    computed = export("--month", "2024-02", "--as-of")
    call_command("backfill_months", "--from", "2024-01", "--to", "2024-03", stdout=StringIO())
    assert export("--month", "2024-02", "--as-of") == computed
    lines = dict(((line.split(",")[0], line.split(",")[1]), line) for line in computed.splitlines()[1:])
    assert lines[("S4", "ALL")] == "S4,ALL,2.00,1000,0"
    assert export("--month", "2024-03", "--as-of").count("S4,ALL,1.00") == 1
    # --month alone: today's records, E5 of that month.
    assert "S4,ALL,1.00" in export("--month", "2024-02")
    assert "E5,ALL,0.00" in computed and "E5,ALL,100.00" in export("--month", "2024-01", "--as-of")


def test_export_as_of_a_month_without_data_has_empty_values(history_city):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("export_compliance", "--month", "2021-01", "--as-of", stdout=out)
    rows = [line.split(",") for line in out.getvalue().splitlines()[1:]]
    assert rows and all(row[2] == "" and row[4] == "" for row in rows)


def test_the_month_end_command_stores_the_last_full_month(history_city):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from compliance.models import MonthRecord

    call_command("record_month", "--month", "2024-02", stdout=StringIO())
    assert MonthRecord.objects.get().source == MonthRecord.Source.MONTH_END
    with pytest.raises(CommandError, match="没有数据"):
        call_command("record_month", "--month", "2020-02", stdout=StringIO())
