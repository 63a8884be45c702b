import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.fields import validate_phone
from eldercare.forms import FacilityAdminForm
from eldercare.models import Elder, Facility, FacilityKind, Visit, id_check_digit, validate_id_number

from .conftest import valid_id

FOUR = {"full_care": True, "day_care": True, "home_visits": True, "guidance": True}


# --- the four-function rule (E2/E3) -------------------------------------------------------------------------


def test_street_centre_with_all_four_functions_is_comprehensive(city, make_facility):
    centre = make_facility(city["street_a"], code="J1", kind=FacilityKind.STREET_CENTRE, **FOUR)
    assert centre.is_comprehensive
    assert list(Facility.objects.comprehensive()) == [centre]


@pytest.mark.parametrize("missing", ["full_care", "day_care", "home_visits", "guidance"])
def test_street_centre_lacking_any_one_function_is_not_comprehensive(city, make_facility, missing):
    centre = make_facility(city["street_a"], code="J1", kind=FacilityKind.STREET_CENTRE, **{**FOUR, missing: False})
    assert not centre.is_comprehensive
    assert not Facility.objects.comprehensive().exists()


def test_a_day_care_centre_with_four_functions_is_not_a_comprehensive_street_centre(city, make_facility):
    daycare = make_facility(city["community_a"], code="R1", **FOUR)
    assert not daycare.is_comprehensive
    assert not Facility.objects.comprehensive().exists()


# --- beds ---------------------------------------------------------------------------------------------------


def _institution_form(city, **overrides):
    data = {
        "code": "Y1", "name": "福利院", "kind": FacilityKind.INSTITUTION, "division": city["street_a"].pk,
        "status": "operating", "address": "康宁路1号", "phone": "0467-2345678", "beds": 100, "nursing_beds": 100,
        "ownership": "public",
    }
    return FacilityAdminForm(data={**data, **overrides})


def test_nursing_beds_equal_to_beds_are_accepted_by_the_form(city):
    form = _institution_form(city)
    assert form.is_valid(), form.errors


def test_nursing_beds_above_beds_are_refused_by_the_form_with_the_field_named(city):
    form = _institution_form(city, nursing_beds=101)
    assert not form.is_valid()
    assert "护理型床位数 101 大于床位数 100" in form.errors["nursing_beds"][0]


def test_nursing_beds_above_beds_are_refused_by_the_database(city, make_facility):
    institution = make_facility(city["street_a"], code="Y1", kind=FacilityKind.INSTITUTION, beds=50, nursing_beds=50)
    with pytest.raises(IntegrityError), transaction.atomic():
        Facility.objects.filter(pk=institution.pk).update(nursing_beds=51)


def test_the_database_constraint_speaks_chinese_in_validate_constraints(city, make_facility):
    institution = make_facility(city["street_a"], code="Y1", kind=FacilityKind.INSTITUTION, beds=50, nursing_beds=50)
    institution.nursing_beds = 60
    with pytest.raises(ValidationError) as caught:
        institution.validate_constraints()
    assert "护理型床位数不能大于床位数" in str(caught.value)


# --- where each kind sits -----------------------------------------------------------------------------------


def test_day_care_centre_must_sit_in_a_community(city, make_facility):
    with pytest.raises(ValidationError) as caught:
        make_facility(city["street_a"], code="R1", kind=FacilityKind.DAYCARE)
    assert "日间照料中心必须属于一个社区或村" in caught.value.message_dict["division"][0]
    assert make_facility(city["community_a"], code="R2", kind=FacilityKind.DAYCARE).pk


def test_street_centre_must_sit_in_a_street(city, make_facility):
    with pytest.raises(ValidationError) as caught:
        make_facility(city["community_a"], code="J1", kind=FacilityKind.STREET_CENTRE)
    assert "综合养老服务中心必须属于一个街道或乡镇" in caught.value.message_dict["division"][0]
    assert make_facility(city["town"], code="J2", kind=FacilityKind.STREET_CENTRE).pk


def test_institution_may_sit_in_a_street_or_a_community_but_not_a_district(city, make_facility):
    assert make_facility(city["street_a"], code="Y1", kind=FacilityKind.INSTITUTION).pk
    assert make_facility(city["village"], code="Y2", kind=FacilityKind.INSTITUTION).pk
    with pytest.raises(ValidationError):
        make_facility(city["district"], code="Y3", kind=FacilityKind.INSTITUTION)


def test_admin_form_normalises_typed_hours(city):
    form = _institution_form(city, hours_mon="8:30－11:30，13:30－17:30", hours_tue="休息", hours_wed=" 08:00 - 12:00 ")
    assert form.is_valid(), form.errors
    facility = form.save()
    assert (facility.hours_mon, facility.hours_tue, facility.hours_wed) == ("08:30-11:30,13:30-17:30", "", "08:00-12:00")


def test_admin_form_refuses_overlapping_hours_naming_the_day(city):
    form = _institution_form(city, hours_fri="08:00-12:00,11:00-13:00")
    assert not form.is_valid()
    assert form.errors["hours_fri"][0].startswith("周五开放时间")


# --- ID numbers (GB 11643) and phones -----------------------------------------------------------------------


def test_a_valid_id_number_passes():
    validate_id_number("11010519491231002X")  # the standard's published example, check digit X
    validate_id_number(valid_id("23030219450101123"))


def test_lower_case_x_check_digit_is_accepted_and_stored_upper_case(city, make_elder):
    elder = make_elder(city["community_a"], id_number="11010519491231002x")
    assert elder.id_number == "11010519491231002X"


def test_a_wrong_check_digit_is_refused_and_the_right_one_named():
    first17 = "23030219450101123"
    right = id_check_digit(first17)
    wrong = "0" if right != "0" else "1"
    with pytest.raises(ValidationError) as caught:
        validate_id_number(first17 + wrong)
    assert caught.value.code == "id_check_digit"
    assert f"应为 {right}" in caught.value.messages[0]


def test_x_where_a_digit_belongs_is_refused():
    first17 = "23030219450101123"
    assert id_check_digit(first17) != "X"
    with pytest.raises(ValidationError):
        validate_id_number(first17 + "X")


@pytest.mark.parametrize("value", ["2303021945010112", "230302194501011234X", "23030219450101123Y", "A30302194501011234"])
def test_id_numbers_of_the_wrong_shape_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        validate_id_number(value)
    assert caught.value.code == "id_shape"


@pytest.mark.parametrize("phone", ["13812345678", "0467-2345678", "04672345678", "0467-2345678-12"])
def test_valid_phones_pass(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "2345678", "138-1234-5678x"])
def test_invalid_phones_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_elder_with_a_bad_phone_is_refused_on_the_phone_field(city, make_elder):
    with pytest.raises(ValidationError) as caught:
        make_elder(city["community_a"], phone="1234")
    assert "phone" in caught.value.message_dict


def test_elder_must_be_registered_in_a_community(city):
    elder = Elder(code="E1", name="王", community=city["street_a"],
                  id_number=valid_id("23030219450101123"))
    with pytest.raises(ValidationError):
        elder.full_clean()


def test_the_same_visit_twice_is_refused_in_chinese(elder_a):
    Visit.objects.create(elder=elder_a, visited_on="2025-06-30", visitor="刘洋", method=Visit.Method.PHONE)
    duplicate = Visit(elder=elder_a, visited_on="2025-06-30", visitor="刘洋", method=Visit.Method.PHONE)
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "同一老人同一天已有" in str(caught.value)
    # the same day by another method is a second visit
    Visit(elder=elder_a, visited_on="2025-06-30", visitor="刘洋", method=Visit.Method.IN_PERSON).full_clean()


@pytest.mark.parametrize(("latitude", "longitude"), [(45.3, None), (None, 130.9)])
def test_every_located_record_needs_both_coordinates_or_neither(city, latitude, longitude):
    from core.models import Division
    from facilities.models import Centre

    facility = Facility(code="YL-X", name="某中心", kind=FacilityKind.DAYCARE, division=city["community_a"],
                        address="某路", latitude=latitude, longitude=longitude)
    with pytest.raises(ValidationError) as caught:
        facility.full_clean()
    assert "纬度和经度须同时填写或同时留空" in str(caught.value)
    community = city["community_a"]
    community.latitude, community.longitude = latitude, longitude
    with pytest.raises(ValidationError):
        community.full_clean()
    for model, pk in ((Division, community.pk), (Facility, None), (Centre, None)):
        with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
            if pk:
                model.objects.filter(pk=pk).update(latitude=latitude, longitude=longitude)
            elif model is Facility:
                facility.save()
            else:
                Centre.objects.create(code="C-X", name="中心", community=community, address="某路", total_area=100,
                                      activity_area=60, latitude=latitude, longitude=longitude)
