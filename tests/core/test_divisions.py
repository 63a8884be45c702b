import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import Division, Kind, Level, code_level
from tests.personas import make_division


@pytest.mark.parametrize(
    ("code", "level"),
    [("230302000000", Level.DISTRICT), ("230302001000", Level.STREET), ("230302001001", Level.COMMUNITY),
     ("23030200100", None), ("2303020010AB", None)],
)
def test_code_shape_gives_the_level(code, level):
    assert code_level(code) == level


def test_a_street_gets_its_district_and_a_community_its_street_and_district(city):
    assert city["street_a"].district == city["district"]
    assert city["community_a"].street == city["street_a"]
    assert city["community_a"].district == city["district"]
    assert city["community_a"].level == Level.COMMUNITY


def test_a_code_of_the_wrong_length_is_refused_in_chinese(city):
    division = Division(code="2303020010", name="坏社区", kind=Kind.COMMUNITY, parent=city["street_a"], households=10)
    with pytest.raises(ValidationError) as excinfo:
        division.full_clean()
    assert "12 位数字" in " ".join(excinfo.value.message_dict["code"])


def test_a_community_code_must_start_with_its_streets_digits(city):
    # A community under 向阳街道 (230302001) coded like a 鸡东县 community.
    division = Division(code="230321001009", name="错位社区", kind=Kind.COMMUNITY, parent=city["street_a"], households=10)
    with pytest.raises(ValidationError) as excinfo:
        division.full_clean()
    assert "230302001" in " ".join(excinfo.value.message_dict["code"])


def test_a_street_code_with_community_shape_is_refused(city):
    division = Division(code="230302009001", name="错形街道", kind=Kind.STREET, parent=city["district"])
    with pytest.raises(ValidationError) as excinfo:
        division.full_clean()
    assert "code" in excinfo.value.message_dict


def test_a_community_must_hang_under_a_street_not_a_district(city):
    division = Division(code="230302001009", name="无街道社区", kind=Kind.COMMUNITY, parent=city["district"], households=5)
    with pytest.raises(ValidationError) as excinfo:
        division.full_clean()
    assert "parent" in excinfo.value.message_dict


def test_households_must_be_at_least_one(city):
    with pytest.raises(ValidationError) as excinfo:
        make_division("230302001009", "空社区", Kind.COMMUNITY, city["street_a"], households=0)
    assert "至少为 1" in " ".join(excinfo.value.message_dict["households"])


def test_negative_counts_are_refused(city):
    with pytest.raises(ValidationError) as excinfo:
        make_division("230302001009", "负社区", Kind.COMMUNITY, city["street_a"], households=5, population=-3)
    assert "population" in excinfo.value.message_dict


def test_the_database_refuses_a_community_without_households_even_without_forms(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Division.objects.create(code="230302001009", name="绕过表单", kind=Kind.COMMUNITY, parent=city["street_a"])


def test_latitude_without_longitude_is_refused(city):
    with pytest.raises(ValidationError):
        make_division("230302001009", "半坐标", Kind.COMMUNITY, city["street_a"], households=5, latitude=45.3)


def test_within_a_district_includes_its_streets_and_communities(city):
    codes = set(Division.objects.within(city["district"]).values_list("code", flat=True))
    assert "230302001001" in codes and "230302001000" in codes
    assert "230321001001" not in codes


def test_admin_form_shows_the_message_and_saves_nothing(city, adam, as_user):
    client = as_user(adam)
    response = client.post(
        "/admin/core/division/add/",
        {"code": "230321001009", "name": "错位社区", "kind": Kind.COMMUNITY, "parent": city["street_a"].pk,
         "households": "10"},
    )
    assert response.status_code == 200
    assert "应以上级区划" in response.content.decode()
    assert not Division.objects.filter(code="230321001009").exists()
