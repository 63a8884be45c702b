from decimal import Decimal

import pytest

from core.hours import day_minutes, normalise_hours, parse_hours
from core.models import Holiday
from core.opening import at, filter_open_at, hours_on, is_open_at, week_schedule
from facilities.models import Centre

WEEKDAY = "08:30-11:30,13:30-17:30"


@pytest.fixture
def centre(city):
    centre = Centre(
        code="SQ1", name="建设社区党群服务中心", community=city["community_a"], address="某路1号",
        total_area=Decimal("600"), activity_area=Decimal("400"),
        hours_mon=WEEKDAY, hours_tue=WEEKDAY, hours_wed=WEEKDAY, hours_thu=WEEKDAY, hours_fri=WEEKDAY,
        hours_sat="09:00-12:00", hours_sun="", open_on_holidays=True,
    )
    centre.full_clean()
    centre.save()
    return centre


def test_fullwidth_input_is_normalised():
    assert normalise_hours("8:30－11:30，13:30－17:30") == "08:30-11:30,13:30-17:30"
    assert normalise_hours("休息") == ""


def test_a_lunch_break_is_not_open_time():
    assert day_minutes("08:00-12:00,13:30-17:00") == 450


@pytest.mark.parametrize(
    "typed",
    ["08:00-12:00,12:00-13:00,14:00-15:00", "12:00-08:00", "08:00-12:00,11:00-13:00", "8点到12点", "25:00-26:00"],
)
def test_bad_hours_are_refused(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        parse_hours(typed)


def test_open_and_closed_on_an_ordinary_monday(centre):
    monday = (2025, 6, 9)
    assert is_open_at(centre, at(*monday, 8, 30))
    assert not is_open_at(centre, at(*monday, 12, 0))
    assert not is_open_at(centre, at(*monday, 17, 30))  # closing minute is closed


def test_holiday_uses_saturday_hours_when_the_centre_opens_on_holidays(centre):
    Holiday.objects.create(date=at(2025, 10, 1).date(), kind=Holiday.DayKind.HOLIDAY, name="国庆节")
    assert hours_on(centre, at(2025, 10, 1).date(), Holiday.objects.get()) == "09:00-12:00"
    assert is_open_at(centre, at(2025, 10, 1, 10, 0))  # a Wednesday, but holiday hours apply
    assert not is_open_at(centre, at(2025, 10, 1, 15, 0))
    centre.open_on_holidays = False
    assert not is_open_at(centre, at(2025, 10, 1, 10, 0))


def test_makeup_workday_uses_monday_hours(centre):
    Holiday.objects.create(date=at(2025, 9, 28).date(), kind=Holiday.DayKind.WORKDAY, name="国庆节调休")
    assert is_open_at(centre, at(2025, 9, 28, 14, 0))  # a Sunday, normally closed


def test_database_filter_agrees_with_python(centre, city):
    other = Centre.objects.create(
        code="SQ2", name="夜间中心", community=city["community_b"], address="某路2号",
        total_area=Decimal("300"), activity_area=Decimal("200"), hours_mon="18:00-22:00",
    )
    for moment in [at(2025, 6, 9, 9, 0), at(2025, 6, 9, 12, 0), at(2025, 6, 9, 14, 0), at(2025, 6, 9, 19, 0)]:
        in_db = set(filter_open_at(Centre.objects.all(), moment).values_list("code", flat=True))
        in_python = {c.code for c in (centre, other) if is_open_at(c, moment)}
        assert in_db == in_python, moment


def test_week_schedule_marks_holidays(centre):
    Holiday.objects.create(date=at(2025, 10, 1).date(), kind=Holiday.DayKind.HOLIDAY, name="国庆节")
    week = week_schedule(centre, start=at(2025, 9, 29).date())
    assert [day["hours"] for day in week][:3] == [WEEKDAY, WEEKDAY, "09:00-12:00"]
    assert week[2]["special"].name == "国庆节"
