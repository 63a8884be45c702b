"""Each rule of a centre at its boundary, in the model (forms) and in the database (bypassing forms)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from facilities.models import Centre
from tests.facilities.conftest import make_centre


def errors_of(centre):
    with pytest.raises(ValidationError) as caught:
        centre.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize(("field", "value", "ok"), [("total_area", "0.01", True), ("total_area", "0", False),
                                                   ("activity_area", "0.01", True), ("activity_area", "0", False)])
def test_areas_must_be_greater_than_zero(centre_a, field, value, ok):
    centre_a.activity_area = Decimal("0.01")
    setattr(centre_a, field, Decimal(value))
    if ok:
        centre_a.full_clean()
    else:
        assert field in errors_of(centre_a)


def test_activity_area_equal_to_total_is_allowed(centre_a):
    centre_a.activity_area = centre_a.total_area
    centre_a.full_clean()


def test_activity_area_above_total_is_refused_naming_both_figures(centre_a):
    centre_a.activity_area = Decimal("600.01")
    message = errors_of(centre_a)["activity_area"][0]
    assert "居民活动面积 600.01 平方米大于总建筑面积 600 平方米" in message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("08:00-12:00,13:00-17:00", "08:00-12:00,13:00-17:00"),  # two intervals
        ("08:00-12:00,12:00-17:00", "08:00-12:00,12:00-17:00"),  # touching is not overlapping
        ("13:00-17:00，8:00-12:00", "08:00-12:00,13:00-17:00"),  # full-width comma, sorted
        ("休息", ""),
    ],
)
def test_valid_hours_are_stored_normalised(centre_a, typed, stored):
    centre_a.hours_mon = typed
    centre_a.full_clean()
    assert centre_a.hours_mon == stored


@pytest.mark.parametrize(
    "typed", ["08:00-08:00", "17:00-08:00", "08:00-12:00,11:59-17:00", "08:00-10:00,11:00-12:00,13:00-14:00"]
)
def test_bad_intervals_are_refused_on_that_day(centre_a, typed):
    centre_a.hours_wed = typed
    assert "hours_wed" in errors_of(centre_a)


@pytest.mark.parametrize(
    ("phone", "ok"),
    [("0467-2345678", True), ("046712345678", True), ("010-12345678", True), ("13812345678", True),
     ("138 1234 5678", True), ("1381234567", False), ("12812345678", False), ("2345678", False), ("电话", False)],
)
def test_phone_must_look_like_a_landline_or_mobile(centre_a, phone, ok):
    centre_a.phone = phone
    if ok:
        centre_a.full_clean()
    else:
        assert "不像电话号码" in errors_of(centre_a)["phone"][0]


def test_phone_is_saved_without_spaces(centre_a):
    centre_a.phone = "138 1234 5678"
    centre_a.save()
    centre_a.refresh_from_db()
    assert centre_a.phone == "13812345678"


@pytest.mark.parametrize(
    "changes",
    [
        {"total_area": Decimal("0")},
        {"activity_area": Decimal("0")},
        {"activity_area": Decimal("700")},
        {"hours_mon": "12:00-08:00"},
        {"hours_tue": "08:00-12:00,11:00-13:00"},
        {"hours_fri": "8点到12点"},
        {"phone": "12345"},
    ],
)
def test_database_refuses_bad_data_written_past_the_forms(centre_a, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Centre.objects.filter(pk=centre_a.pk).update(**changes)


def test_database_accepts_activity_equal_to_total(centre_a):
    Centre.objects.filter(pk=centre_a.pk).update(activity_area=Decimal("600"))


def test_constraint_refusal_reads_in_chinese_naming_the_day(centre_a):
    constraint = next(c for c in Centre._meta.constraints if c.name == "centre_hours_tue_second_order")
    centre_a.hours_tue = "08:00-12:00,11:00-13:00"  # what a bulk writer might store without parsing
    with pytest.raises(ValidationError) as caught:
        constraint.validate(Centre, centre_a)
    assert caught.value.messages == ["周二开放时间：第二个时段应在第一个时段结束后开始，且结束时间晚于开始时间。"]


def test_shortest_day_follows_the_hours(city):
    centre = make_centre(city["community_a"], "SQ-8H", hours_sun="08:00-12:00,13:00-16:59")
    assert centre.shortest_day_minutes == 8 * 60 - 1
