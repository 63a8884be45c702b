"""The builders (tests/builders.py) make records that pass every validation, constraints included.

The factories leave check and unique constraints to the database when they save; these tests run the
constraints in Python on what each factory makes, so a default that the model would refuse shows here.
"""

import pytest
from django.core.exceptions import ValidationError

from core.models import Kind
from tests import builders
from volunteers.models import CertificateLevel


@pytest.fixture
def records(city):
    community = city["community_a"]
    team = builders.TeamFactory(community=community, fields=["助老"])
    elder = builders.ElderFactory(community=community)
    return [
        builders.DivisionFactory(code="230302001009", name="新社区", kind=Kind.COMMUNITY, parent=city["street_a"],
                                 households=10),
        builders.UserFactory(username="zhang", division=city["street_a"]),
        builders.CentreFactory(community=community),
        builders.FacilityFactory(division=community, services=["meals"]),
        builders.FacilityFactory(division=city["street_a"], kind="street_centre"),
        elder,
        builders.VisitFactory(elder=elder),
        team,
        builders.MemberFactory(team=team),
        builders.ServiceRecordFactory(team=team),
        builders.WorkerFactory(workplace=community),
        builders.WorkerFactory(workplace=community, level=CertificateLevel.NONE),
    ]


def test_every_factory_makes_a_record_that_passes_every_constraint(records):
    for record in records:
        record.full_clean()  # unique and check constraints included


def test_the_many_to_many_choices_and_the_password_are_set(records):
    _, user, _, daycare, _, elder, _, team, *_ = records
    assert user.check_password(builders.PASSWORD)
    assert list(daycare.services.values_list("code", flat=True)) == ["meals"]
    assert list(elder.categories.values_list("code", flat=True)) == ["alone"]
    assert list(team.fields.values_list("name", flat=True)) == ["助老"]


def test_an_uncertified_worker_has_no_certificate_and_a_certified_one_a_registration(records):
    certified, uncertified = records[-2], records[-1]
    assert certified.certificate_number and certified.obtained_on < certified.registration_valid_until
    assert uncertified.certificate_number is None and uncertified.registration_valid_until is None


def test_full_check_refuses_what_the_constraints_refuse_with_a_validation_error(city):
    with pytest.raises(ValidationError) as caught:
        builders.WorkerFactory(workplace=city["community_a"], certificate_number=None, full_check=True)
    assert "证书编号" in str(caught.value)
