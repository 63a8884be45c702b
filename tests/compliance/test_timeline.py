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
